"""This node's index follows the change log.

Each index generation remembers the id of the last change it applied (a
small file beside the Whoosh files). :func:`follow` applies every change
after it: the item is read from the database as it is now and its documents
replace the old ones (or are removed). It runs after each editorial commit of
this process, and from ``flask check --repair`` and ``flask reindex``; a
follower that was down (or failed) catches up on its next run, from its own
position. One process at a time follows an index directory (a file lock), so
positions only grow.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

from flask import current_app

from ..editorial import changelog
from ..models import ITEM_MODELS, db
from .documents import documents_for
from .store import IndexStore

log = logging.getLogger(__name__)

POSITION_FILE = "changes.position"
FOLLOW_LOCK = "follow.lock"
#: Changes read per database round trip.
BATCH = 500


def index_store() -> IndexStore:
    return IndexStore(current_app.config["INDEX_DIR"])


def follower_name(store: IndexStore) -> str:
    """How this index is known in the change log's follower list (host and directory)."""
    name = f"search@{socket.gethostname()}:{store.root.resolve()}"
    if len(name) <= 200:
        return name
    return f"search@{socket.gethostname()[:100]}:{hashlib.sha256(name.encode()).hexdigest()}"


def read_position(generation: Path) -> int:
    try:
        return int((generation / POSITION_FILE).read_text().strip() or 0)
    except (FileNotFoundError, ValueError):
        return 0


def write_position(generation: Path, position: int) -> None:
    """Atomically record that ``generation`` holds every change up to ``position``."""
    temporary = generation / f".{POSITION_FILE}.{os.getpid()}"
    temporary.write_text(f"{position}\n")
    os.replace(temporary, generation / POSITION_FILE)


@contextlib.contextmanager
def following(store: IndexStore) -> Iterator[None]:
    """Hold the follow lock of ``store`` (waits for another follower)."""
    store.root.mkdir(parents=True, exist_ok=True)
    with (store.root / FOLLOW_LOCK).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def apply_changes(store: IndexStore, generation: Path) -> int:
    """Apply the changes after ``generation``'s position to it; the number of changes.

    The caller holds :func:`following`.
    """
    position = read_position(generation)
    if position < changelog.pruned_through():
        log.warning("index %s is behind the pruned change log: run flask reindex", generation)
    applied = 0
    while entries := changelog.since(position, BATCH):
        db.session.expire_all()  # read each item as it is now
        with store.writer(generation) as writer:
            for key in dict.fromkeys(entry.key for entry in entries):
                kind, _, number = key.partition(":")
                model = ITEM_MODELS.get(kind)
                if model is None:
                    continue
                writer.delete_by_term("item", key)
                item = db.session.get(model, int(number))
                if item is not None and item.is_published:
                    for document in documents_for(item):
                        writer.add_document(**document)
        position = entries[-1].id
        write_position(generation, position)
        applied += len(entries)
    return applied


class OutdatedIndex(Exception):
    """The index was built by an older version with other fields: it must be rebuilt."""


def schema_is_current() -> bool:
    store = index_store()
    return store.schema_is_current(store.ensure())


def follow() -> int:
    """Bring this node's index up to the change log; the number of changes applied.

    Raises on an index failure (the position then stays where it was);
    :func:`archive.editorial.changelog.wake` logs that and goes on.
    """
    store = index_store()
    store.ensure()
    with following(store):
        generation = store.current() or store.ensure()
        if not store.schema_is_current(generation):
            # Documents of this version would not fit; nothing is applied until a rebuild.
            raise OutdatedIndex(f"index {generation} has an older schema: run flask reindex")
        applied = apply_changes(store, generation)
        position = read_position(generation)
    if applied:
        changelog.report_position(follower_name(store), position)
    return applied


def follow_forever(stop: threading.Event, poll_seconds: float) -> None:
    """Follow the change log until ``stop`` is set: this node's search, kept current.

    Woken by PostgreSQL's NOTIFY at each commit anywhere (polling every
    ``poll_seconds`` as well, and only polling on SQLite). After a crash,
    even ``kill -9``, it carries on from the position stored with the index:
    a change applied but not yet recorded is applied again, which is harmless.
    """
    with changelog.listening() as wait:
        while not stop.is_set():
            try:
                follow()
            except Exception:
                log.exception("following the change log failed; trying again")
                db.session.rollback()
            finally:
                db.session.remove()  # no transaction stays open while waiting
            wait(poll_seconds)


def position() -> int:
    """The change id the current index generation has applied up to."""
    generation = index_store().current()
    return read_position(generation) if generation else 0
