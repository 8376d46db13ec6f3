"""Dutch full-text search over stories, episodes and their transcripts (Whoosh).

The index is derived data: it follows the change log (:func:`follow`, run
after every editorial commit of this process), :func:`rebuild` makes it anew
from the database, and :func:`update_item` / :func:`remove_item` repair items.
:func:`query` turns a visitor's words into plain result values.

Modules: ``analysis`` (Dutch analyzer), ``documents`` (schema and document
builder), ``store`` (generations on disk, writers, atomic swap), ``follow``
(the change log to the index), ``sync`` (rebuilds and repairs), ``syntax``
(the visitors' query language, from any text), ``queries`` (its Whoosh
queries), ``suggest`` ("Bedoelde je …?" from public words), ``querying``
(ranking, facets, hits), ``cache`` (repeated answers), ``excerpts`` (highlighted excerpts).
"""

from __future__ import annotations

from flask import Flask, current_app

from ..editorial import changelog
from .cache import ResultCache
from .follow import OutdatedIndex, follow, follower_name, position, schema_is_current
from .querying import FacetValue, Hit, SearchResults, query
from .store import IndexStore, RebuildRunning
from .sync import (
    RebuildReport,
    index_store,
    indexed_versions,
    rebuild,
    remove_item,
    update_item,
)
from .syntax import clean_query

__all__ = [
    "FacetValue",
    "Hit",
    "IndexStore",
    "OutdatedIndex",
    "RebuildReport",
    "RebuildRunning",
    "ResultCache",
    "SearchResults",
    "clean_query",
    "follow",
    "follower_name",
    "index_store",
    "indexed_versions",
    "init_app",
    "position",
    "query",
    "rebuild",
    "remove_item",
    "result_cache",
    "schema_is_current",
    "update_item",
]


def init_app(app: Flask) -> None:
    """Follow the change log after every editorial commit; keep repeated answers."""
    changelog.register(app, follow)
    app.extensions["archive.search_cache"] = ResultCache(
        app.config.get("SEARCH_CACHE_ENTRIES", 1000)
    )


def result_cache() -> ResultCache:
    """This app's cache of search answers (see :mod:`.cache`)."""
    return current_app.extensions["archive.search_cache"]
