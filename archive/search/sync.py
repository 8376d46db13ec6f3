"""Keeping the index in step with the database: per item, and as a whole.

The database is the truth. Day to day the index follows the change log
(:mod:`.follow`); :func:`rebuild` makes a whole new generation from the
database, and :func:`update_item` / :func:`remove_item` repair single items.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..editorial import changelog
from ..models import Episode, Story, db
from . import building
from .documents import documents_for, item_key
from .follow import (
    apply_changes,
    follower_name,
    following,
    index_store,
    read_position,
    write_position,
)

log = logging.getLogger(__name__)

#: Told (items done, documents done) after every item of a rebuild.
Progress = Callable[[int, int], None]


def update_item(item: Story | Episode) -> bool:
    """Index ``item`` as it is now if it is published (or scheduled), else remove it.

    For repairs and tests: the normal path is :func:`.follow.follow`. Returns
    False when the index could not be written; never raises.
    """
    try:
        key = item_key(item.kind, item.id)
        documents = documents_for(item) if item.is_published else []
        index_store().write_item(key, documents)
    except Exception:
        log.exception("search index update failed for %s %s", item.kind, item.id)
        return False
    return True


def remove_item(kind: str, item_id: int) -> bool:
    """Remove a (deleted) item from the index. Returns False on failure; never raises.

    A failed removal is harmless to visitors (search shows only hits whose row
    is still public) and is cleared by ``flask reindex``.
    """
    try:
        index_store().write_item(item_key(kind, item_id), [])
    except Exception:
        log.exception("search index removal failed for %s %s", kind, item_id)
        return False
    return True


@dataclass
class RebuildReport:
    stories: int = 0
    episodes: int = 0
    documents: int = 0
    replayed: int = 0
    seconds: float = 0.0
    generation: Path | None = None

    def __str__(self) -> str:
        return (
            f"Indexed {self.stories} stories and {self.episodes} episodes "
            f"({self.documents} documents) in {self.seconds:.1f} s."
        )


def count_published() -> int:
    """How many stories and episodes a rebuild indexes (for its progress)."""
    with Session(db.engine) as session:
        return sum(
            session.scalar(select(func.count()).select_from(model).where(model.published_clause()))
            or 0
            for model in (Story, Episode)
        )


def rebuild(procs: int = 1, progress: Progress | None = None) -> RebuildReport:
    """Rebuild the whole index from the database into a new generation and swap it in.

    Searches keep using the old generation until the swap. The new generation
    starts at the change log's last id when the rebuild began; the changes
    made meanwhile are applied to it under the follow lock, then it is
    swapped in. Raises :class:`~archive.search.store.RebuildRunning` if
    another rebuild runs. ``progress`` is told how far it got after every item.
    """
    store = index_store()
    report = RebuildReport()
    started = time.perf_counter()

    def on_item(built: building.Built) -> None:
        report.stories, report.episodes = built.items["story"], built.items["episode"]
        report.documents = built.documents
        if progress is not None:
            progress(report.stories + report.episodes, report.documents)

    with store.rebuilding():
        start = changelog.last_id()
        generation = store.new_generation()
        try:
            building.build(
                generation,
                procs=procs,
                on_item=on_item,
                limit_mb=current_app.config.get("SEARCH_REBUILD_MB", building.LIMIT_MB),
            )
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        write_position(generation, start)
        with following(store):
            report.replayed = apply_changes(store, generation)
            store.swap(generation)
    store.prune()
    changelog.report_position(follower_name(store), read_position(generation))
    report.seconds = time.perf_counter() - started
    report.generation = generation
    return report


def indexed_versions() -> dict[str, str]:
    """Item key -> the version (see ``documents.item_version``) in the current index."""
    searcher = index_store().searcher()
    reader = searcher.reader()
    if not reader.has_column("version"):
        return {}
    column = reader.column_reader("version", translate=False)
    versions = {}
    for docnum in reader.all_doc_ids():
        value = column[docnum]
        if value:
            key, _, changed = value.decode("utf-8").partition("|")
            versions[key] = f"{key}|{changed}"
    return versions
