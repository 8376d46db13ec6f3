"""Dutch full-text search over stories, episodes and their transcripts (Whoosh).

The index is derived data: :func:`rebuild` makes it from the database, and
:func:`update_item` / :func:`remove_item` keep it current after each commit.
:func:`query` turns a visitor's words into plain result values.

Modules: ``analysis`` (Dutch analyzer), ``documents`` (schema and document
builder), ``store`` (generations on disk, writers, atomic swap), ``sync``
(database to index), ``querying`` (parsing, ranking, facets, highlights).
"""

from __future__ import annotations

from flask import Flask

from .querying import FacetValue, Hit, SearchResults, clean_query, query
from .store import IndexStore, RebuildRunning
from .sync import (
    RebuildReport,
    index_store,
    indexed_versions,
    rebuild,
    remove_item,
    update_item,
)

__all__ = [
    "FacetValue",
    "Hit",
    "IndexStore",
    "RebuildReport",
    "RebuildRunning",
    "SearchResults",
    "clean_query",
    "index_store",
    "indexed_versions",
    "init_app",
    "query",
    "rebuild",
    "remove_item",
    "update_item",
]


def init_app(app: Flask) -> None:
    """Index imported and demo items as they are saved (``importer.AFTER_SAVE``)."""
    from .. import importer

    if update_item not in importer.AFTER_SAVE:
        importer.AFTER_SAVE.append(update_item)
