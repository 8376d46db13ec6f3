"""The change log: what changed, in commit order, for everything that follows it.

Every editorial transaction that changes a story or an episode appends a
:class:`~archive.models.Change` row before it commits (see :mod:`.unit`).
Followers (this node's search index today; feed caches and other nodes'
indexes later) remember the last id they applied and ask for what came after
it, so a follower that was down catches up from where it stopped.

Commit order is id order: on PostgreSQL, a sequence hands out ids at insert
time, so two transactions could commit in the other order and a follower
would skip the smaller id for good. Appending therefore takes a transaction
lock first (held until commit); SQLite serialises writers by itself.

Retention: :func:`prune` deletes rows older than :data:`RETENTION` that every
known follower has passed. A follower that falls behind the pruned part
(:data:`PRUNED`) must rebuild instead of catching up.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import delete, func, select, text

from ..models import Change, ChangeFollower, db, utcnow

log = logging.getLogger(__name__)

#: Rows younger than this are always kept.
RETENTION = timedelta(days=30)
#: The follower row that records how far the log was pruned.
PRUNED = "(pruned)"
#: An arbitrary constant naming the PostgreSQL advisory lock for appending.
APPEND_LOCK_KEY = 0x61726368  # "arch"
#: Followers registered on an app: called after each commit of this process.
EXTENSION = "archive.change_followers"
#: The PostgreSQL channel a commit with changes notifies (delivered at commit).
CHANNEL = "archive_changes"

Follower = Callable[[], object]


@dataclass(frozen=True)
class Entry:
    """A change as plain values."""

    id: int
    at: datetime
    item_kind: str
    item_id: int
    version: int | None
    action: str

    @property
    def key(self) -> str:
        return f"{self.item_kind}:{self.item_id}"


def _on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def lock_for_append() -> None:
    """Make this transaction's change ids commit in order, and wake other nodes at commit.

    PostgreSQL: an advisory lock held until commit, and a NOTIFY that
    listeners receive only if and when the transaction commits. SQLite
    serialises writers by itself, and followers poll.
    """
    if _on_postgresql():
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK_KEY})
        db.session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


def append(kind: str, item_id: int, version: int | None, action: str) -> None:
    """Add a change row to the current transaction (called by the editorial unit only)."""
    db.session.add(Change(item_kind=kind, item_id=item_id, version=version, action=action))


def _entry(row: Change) -> Entry:
    return Entry(row.id, row.at, row.item_kind, row.item_id, row.version, row.action)


def since(position: int, limit: int = 500) -> list[Entry]:
    """Changes after ``position``, oldest first (at most ``limit``)."""
    rows = db.session.scalars(
        select(Change).where(Change.id > position).order_by(Change.id).limit(limit)
    )
    return [_entry(row) for row in rows]


def recent(limit: int = 50) -> list[Entry]:
    """The newest changes, newest first (for ``flask changes``)."""
    rows = db.session.scalars(select(Change).order_by(Change.id.desc()).limit(limit))
    return [_entry(row) for row in rows]


def last_id() -> int:
    """The id of the newest change (0 when the log is empty)."""
    return int(db.session.scalar(select(func.max(Change.id))) or 0)


def pruned_through() -> int:
    """The highest id that pruning has removed (0 if nothing was pruned)."""
    row = db.session.get(ChangeFollower, PRUNED)
    return row.position if row else 0


def followers() -> list[ChangeFollower]:
    return list(db.session.scalars(select(ChangeFollower).where(ChangeFollower.name != PRUNED)))


def _upsert_position(name: str, position: int, seen_at: datetime | None) -> None:
    row = db.session.get(ChangeFollower, name)
    if row is None:
        db.session.add(ChangeFollower(name=name, position=position, seen_at=seen_at or utcnow()))
    else:
        row.position = max(row.position, position)
        row.seen_at = seen_at or utcnow()


def report_position(name: str, position: int, seen_at: datetime | None = None) -> None:
    """Record that follower ``name`` has applied every change up to ``position``.

    ``seen_at`` (default: now) is the moment the follower's work was of; the
    WebSub notifier keeps there how far it has looked at scheduled moments.

    Never raises: a follower's bookkeeping must not fail the work it did; the
    next report corrects it.
    """
    try:
        _upsert_position(name, position, seen_at)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("could not record the position of follower %s", name)


def forget(name: str) -> bool:
    """Stop waiting for follower ``name`` (a node taken out of service)."""
    row = db.session.get(ChangeFollower, name)
    if row is None or name == PRUNED:
        return False
    db.session.delete(row)
    db.session.commit()
    return True


def prune(now: datetime | None = None, retention: timedelta = RETENTION) -> int:
    """Delete changes older than ``retention`` that every follower has applied.

    Returns the number of rows deleted.
    """
    cutoff = (now or utcnow()) - retention
    positions = [follower.position for follower in followers()]
    horizon = min(positions) if positions else last_id()
    doomed = select(func.max(Change.id)).where(Change.at < cutoff, Change.id <= horizon)
    through = db.session.scalar(doomed)
    if not through:
        return 0
    result = db.session.execute(delete(Change).where(Change.id <= through))
    _upsert_position(PRUNED, through, None)
    db.session.commit()
    return int(result.rowcount or 0)


@contextlib.contextmanager
def listening() -> Iterator[Callable[[float], bool]]:
    """A ``wait(seconds)`` that returns early (True) when a change is committed anywhere.

    On PostgreSQL it LISTENs on its own connection, so a notification sent
    while the caller is busy is not lost: the next ``wait`` returns at once.
    On SQLite ``wait`` just sleeps (the caller polls).
    """
    if db.engine.dialect.name != "postgresql":
        yield lambda seconds: bool(time.sleep(seconds))
        return
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        connection.exec_driver_sql(f"LISTEN {CHANNEL}")
        driver = connection.connection.driver_connection

        def wait(seconds: float) -> bool:
            woken = False
            for _ in driver.notifies(timeout=seconds, stop_after=1):
                woken = True
            # Drain what else arrived: one follow applies all of it.
            for _ in driver.notifies(timeout=0):
                pass
            return woken

        yield wait


def register(app: Flask, follower: Follower) -> None:
    """Call ``follower()`` (in an app context) after every editorial commit of this app."""
    registered = app.extensions.setdefault(EXTENSION, [])
    if follower not in registered:
        registered.append(follower)


def wake() -> None:
    """Let this app's followers apply what was just committed. Never raises."""
    for follower in current_app.extensions.get(EXTENSION, []):
        try:
            follower()
        except Exception:
            log.exception("change follower %r failed; it catches up on its next run", follower)
