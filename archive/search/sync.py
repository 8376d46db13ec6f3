"""Keeping the index in step with the database: per item, and as a whole.

The database is the truth. Item updates run after the database commit; a
failed index update never fails the request: the item is marked
``needs_reindex`` (``flask check --repair`` and ``flask reindex`` pick it up).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from ..models import ITEM_MODELS, Episode, Story, db
from .documents import documents_for, item_key
from .store import IndexStore

log = logging.getLogger(__name__)

#: Rows read per database round trip during a rebuild.
REBUILD_BATCH = 200


def index_store() -> IndexStore:
    return IndexStore(current_app.config["INDEX_DIR"])


def _mark_for_reindex(item: Story | Episode, value: bool) -> None:
    # A flag, not a change: ``updated_at`` stays what the index was (or will be) built from.
    model = type(item)
    try:
        db.session.execute(
            update(model)
            .where(model.id == item.id)
            .values(needs_reindex=value, updated_at=model.updated_at)
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("could not set needs_reindex=%s on %s %s", value, item.kind, item.id)


def update_item(item: Story | Episode) -> bool:
    """Index ``item`` if it is published (or scheduled), else remove it.

    Call after the database commit. Returns False when the index could not be
    updated; the item is then marked ``needs_reindex``. Never raises.
    """
    try:
        key = item_key(item.kind, item.id)
        documents = documents_for(item) if item.is_published else []
        index_store().write_item(key, documents)
    except Exception:
        log.exception("search index update failed for %s %s", item.kind, item.id)
        _mark_for_reindex(item, True)
        return False
    if item.needs_reindex:
        _mark_for_reindex(item, False)
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


def _published_rows(
    session: Session, model: type[Story] | type[Episode]
) -> Iterator[Story | Episode]:
    query = (
        select(model)
        .where(model.published_clause())
        .options(selectinload(model.tags), selectinload(model.campaign))
        .order_by(model.id)
        .execution_options(yield_per=REBUILD_BATCH)
    )
    for item in session.scalars(query):
        yield item
        session.expunge(item)


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


def _documents(report: RebuildReport) -> Iterator[dict[str, Any]]:
    """Every published item's documents, read in a session of its own."""
    with Session(db.engine) as session:
        yield from _session_documents(session, report)


def _session_documents(session: Session, report: RebuildReport) -> Iterator[dict[str, Any]]:
    for model in (Story, Episode):
        for item in _published_rows(session, model):
            documents = documents_for(item)
            report.documents += len(documents)
            if model is Story:
                report.stories += 1
            else:
                report.episodes += 1
            yield from documents


def _replay(store: IndexStore, generation: Path, offset: int, report: RebuildReport) -> int:
    """Re-read the items noted in the journal since ``offset`` into ``generation``."""
    keys, offset = store.read_journal(offset)
    if not keys:
        return offset
    db.session.expire_all()
    with store.writer(generation) as writer:
        for key in keys:
            kind, _, number = key.partition(":")
            writer.delete_by_term("item", key)
            item = db.session.get(ITEM_MODELS[kind], int(number))
            if item is not None and item.is_published:
                for document in documents_for(item):
                    writer.add_document(**document)
    report.replayed += len(keys)
    return offset


def rebuild(procs: int = 1) -> RebuildReport:
    """Rebuild the whole index from the database into a new generation and swap it in.

    Searches keep using the old generation until the swap; updates made
    meanwhile are replayed from the journal. Raises
    :class:`~archive.search.store.RebuildRunning` if another rebuild runs.
    """
    store = index_store()
    report = RebuildReport()
    started = time.perf_counter()
    flagged = {
        model: set(db.session.scalars(select(model.id).where(model.needs_reindex)))
        for model in (Story, Episode)
    }
    with store.rebuilding():
        generation = store.build(_documents(report), procs=procs)
        offset = _replay(store, generation, 0, report)
        store.swap(generation)
        _replay(store, generation, offset, report)
    store.prune()
    for model, ids in flagged.items():
        if ids:
            db.session.execute(
                update(model)
                .where(model.id.in_(ids))
                .values(needs_reindex=False, updated_at=model.updated_at)
            )
    db.session.commit()
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
