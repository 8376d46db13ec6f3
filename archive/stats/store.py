"""Writing statistics: the day's salt, the dedupe state, and daily counters by upsert.

Every function takes a :class:`~sqlalchemy.engine.Connection` inside a
transaction, so a flush is one transaction and several app nodes can write at
once: counters are ``INSERT .. ON CONFLICT DO UPDATE count = count + n``, and
a download's progress is changed by compare-and-set, so exactly one node turns
a visitor's ranges into a counted download.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from ..models import StatsDaily, StatsProgress, StatsQuery, StatsSalt, StatsSearcher
from . import ranges as byte_ranges

#: A query is shown only when at least this many different visitors typed it that day.
K_ANONYMITY = 3
#: Compare-and-set attempts before a download's progress gives way to the other writer.
CAS_ATTEMPTS = 8

#: (day, metric, item_id, app) -> how many to add.
Counts = Mapping[tuple[date, str, int, str], int]
#: (day, visitor, episode_id, app) -> ranges fetched.
Fetches = Mapping[tuple[date, str, int, str], list[byte_ranges.Range]]


def _insert(connection: Connection, table: Any) -> Any:
    module = postgresql if connection.dialect.name == "postgresql" else sqlite
    return module.insert(getattr(table, "__table__", table))  # Core, not the ORM's bulk path


def visitor_hash(salt: str, address: str, user_agent: str) -> str:
    """The day's pseudonym of a visitor: unlinkable to other days once the salt is gone."""
    message = f"{address}\n{user_agent}".encode("utf-8", "replace")
    return hmac.new(salt.encode(), message, hashlib.sha256).hexdigest()[:32]


def purge_before(connection: Connection, day: date) -> None:
    """Destroy older days' salts and hashes, and queries too few visitors typed."""
    for table in (StatsSalt, StatsProgress, StatsSearcher):
        connection.execute(delete(table).where(table.day < day))
    connection.execute(delete(StatsQuery).where(_QUERY.day < day, _QUERY.visitors < K_ANONYMITY))


def salt_for(connection: Connection, day: date) -> str:
    """``day``'s salt, created at random by the first node that asks; older ones destroyed."""
    purge_before(connection, day)
    connection.execute(
        _insert(connection, StatsSalt)
        .values(day=day, salt=secrets.token_hex(32))
        .on_conflict_do_nothing(index_elements=["day"])
    )
    return connection.scalar(select(StatsSalt.salt).where(StatsSalt.day == day))


_DAILY = StatsDaily.__table__.c
_QUERY = StatsQuery.__table__.c
_SEARCHER = StatsSearcher.__table__.c
_PROGRESS = StatsProgress.__table__.c

#: Rows per multi-row statement (SQLite allows 32,766 bound values; a row has at most 5).
CHUNK = 500


def _chunks(rows: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def add_counts(connection: Connection, counts: Counts) -> None:
    """Add to the daily counters: multi-row upserts, ``count = count + n``."""
    rows = [
        {"day": day, "metric": metric, "item_id": item_id, "app": app, "count": number}
        for (day, metric, item_id, app), number in counts.items()
        if number
    ]
    for chunk in _chunks(rows):
        statement = _insert(connection, StatsDaily).values(chunk)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["day", "metric", "item_id", "app"],
                set_={"count": _DAILY["count"] + statement.excluded["count"]},
            )
        )


def add_fetches(connection: Connection, fetches: Fetches, needed: Mapping[int, int]) -> int:
    """Merge fetched ranges into today's progress; count each download once. Returns how many.

    Fetches that make a download on their own (the usual whole-file GET) are
    marked counted in one upsert that only changes rows not counted yet; the
    rest merge their ranges by compare-and-set, row by row.
    """
    apps = {(day, visitor, episode_id): app for day, visitor, episode_id, app in fetches}
    whole, partial = [], {}
    for (day, visitor, episode_id, _app), pieces in fetches.items():
        if byte_ranges.covered(pieces) >= needed[episode_id]:
            whole.append({"day": day, "visitor": visitor, "episode_id": episode_id})
        else:
            partial[(day, visitor, episode_id)] = pieces
    done = _mark_counted(connection, whole)
    done += _merge_partial(connection, partial, needed)
    counted: dict[tuple[date, str, int, str], int] = {}
    for day, visitor, episode_id in done:
        key = (day, "download", episode_id, apps[(day, visitor, episode_id)])
        counted[key] = counted.get(key, 0) + 1
    add_counts(connection, counted)
    return len(done)


def _mark_counted(
    connection: Connection, rows: list[dict[str, Any]]
) -> list[tuple[date, str, int]]:
    """Mark ``rows`` counted; returns those that were not counted before."""
    done = []
    for chunk in _chunks(rows):
        statement = _insert(connection, StatsProgress).values(
            [{**row, "ranges": "", "counted": True} for row in chunk]
        )
        statement = statement.on_conflict_do_update(
            index_elements=["day", "visitor", "episode_id"],
            set_={"ranges": "", "counted": True},
            where=_PROGRESS.counted.is_(False),
        ).returning(_PROGRESS.day, _PROGRESS.visitor, _PROGRESS.episode_id)
        done += [tuple(row) for row in connection.execute(statement)]
    return done


def _merge_partial(
    connection: Connection,
    partial: Mapping[tuple[date, str, int], list[byte_ranges.Range]],
    needed: Mapping[int, int],
) -> list[tuple[date, str, int]]:
    """Store first fetches in one insert; merge later ones into their row by compare-and-set."""
    rows = [
        {
            "day": day,
            "visitor": visitor,
            "episode_id": episode_id,
            "ranges": byte_ranges.dumps(byte_ranges.merge(pieces)),
            "counted": False,
        }
        for (day, visitor, episode_id), pieces in partial.items()
    ]
    first: set[tuple[date, str, int]] = set()
    for chunk in _chunks(rows):
        statement = (
            _insert(connection, StatsProgress)
            .values(chunk)
            .on_conflict_do_nothing(index_elements=["day", "visitor", "episode_id"])
            .returning(_PROGRESS.day, _PROGRESS.visitor, _PROGRESS.episode_id)
        )
        first.update(tuple(row) for row in connection.execute(statement))
    later = [key for key in partial if key not in first]
    known = _progress(connection, later)
    return [
        key
        for key in later
        if _advance(connection, key, partial[key], needed[key[2]], known.get(key))
    ]


def _progress(
    connection: Connection, keys: list[tuple[date, str, int]]
) -> dict[tuple[date, str, int], tuple[str, bool]]:
    """The stored ranges and counted flag of ``keys`` (one query per chunk of visitors)."""
    found: dict[tuple[date, str, int], tuple[str, bool]] = {}
    wanted = set(keys)
    for start in range(0, len(keys), CHUNK):
        visitors = {visitor for _, visitor, _ in keys[start : start + CHUNK]}
        days = {day for day, _, _ in keys[start : start + CHUNK]}
        query = select(
            _PROGRESS.day,
            _PROGRESS.visitor,
            _PROGRESS.episode_id,
            _PROGRESS.ranges,
            _PROGRESS.counted,
        ).where(_PROGRESS.day.in_(days), _PROGRESS.visitor.in_(visitors))
        for day, visitor, episode_id, ranges, counted in connection.execute(query):
            if (day, visitor, episode_id) in wanted:
                found[(day, visitor, episode_id)] = (ranges, counted)
    return found


#: Built once (statement building costs more than SQLite running it): compare-and-set.
_CAS = (
    update(StatsProgress.__table__)
    .where(
        _PROGRESS.day == bindparam("key_day"),
        _PROGRESS.visitor == bindparam("key_visitor"),
        _PROGRESS.episode_id == bindparam("key_episode"),
        _PROGRESS.ranges == bindparam("old"),
        _PROGRESS.counted.is_(False),
    )
    .values(ranges=bindparam("new"), counted=bindparam("complete"))
)
_READ = select(_PROGRESS.ranges, _PROGRESS.counted).where(
    _PROGRESS.day == bindparam("key_day"),
    _PROGRESS.visitor == bindparam("key_visitor"),
    _PROGRESS.episode_id == bindparam("key_episode"),
)


def _advance(
    connection: Connection,
    key: tuple[date, str, int],
    pieces: list[byte_ranges.Range],
    needed: int,
    known: tuple[str, bool] | None,
) -> bool:
    """True when these pieces complete the download (and this writer marked it counted)."""
    day, visitor, episode_id = key
    where = {"key_day": day, "key_visitor": visitor, "key_episode": episode_id}
    for _ in range(CAS_ATTEMPTS):
        if known is None:
            ranges, counted = connection.execute(_READ, where).one()
            known = (ranges, counted)
        old, done = known
        if done:
            return False
        merged = byte_ranges.merge([*byte_ranges.loads(old), *pieces])
        complete = byte_ranges.covered(merged) >= needed
        new = "" if complete else byte_ranges.dumps(merged)
        changed = connection.execute(_CAS, {**where, "old": old, "new": new, "complete": complete})
        if changed.rowcount == 1:
            return complete
        known = None  # another writer came first: read again
    return False


def add_searches(connection: Connection, searches: Iterable[tuple[date, str, str, bool]]) -> None:
    """Record ``(day, visitor, query, empty)`` searches: totals, per-query counts, k-visitors."""
    totals: dict[tuple[date, str, int, str], int] = {}
    per_query: dict[tuple[date, str], list[int]] = {}
    visitors: set[tuple[date, str, str]] = set()
    for day, visitor, query, empty in searches:
        for metric in ("search", "search_empty") if empty else ("search",):
            totals[(day, metric, 0, "")] = totals.get((day, metric, 0, ""), 0) + 1
        counts = per_query.setdefault((day, query), [0, 0, 0])
        counts[0] += 1
        counts[1] += int(empty)
        visitors.add((day, query, visitor))
    rows = [{"day": day, "query": query, "visitor": visitor} for day, query, visitor in visitors]
    for chunk in _chunks(rows):
        new = connection.execute(
            _insert(connection, StatsSearcher)
            .values(chunk)
            .on_conflict_do_nothing(index_elements=["day", "query", "visitor"])
            .returning(_SEARCHER.day, _SEARCHER.query)
        )
        for day, query in new:
            per_query[(day, query)][2] += 1
    add_query_counts(connection, [(d, q, n, e, v) for (d, q), (n, e, v) in per_query.items()])
    add_counts(connection, totals)


def add_query_counts(
    connection: Connection, rows: Iterable[tuple[date, str, int, int, int]]
) -> None:
    """Add ``(day, query, searches, empty, new visitors)`` to the daily query counts."""
    values = [
        {"day": day, "query": query, "searches": searches, "empty": empty, "visitors": visitors}
        for day, query, searches, empty, visitors in rows
    ]
    for chunk in _chunks(values):
        statement = _insert(connection, StatsQuery).values(chunk)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["day", "query"],
                set_={
                    "searches": _QUERY.searches + statement.excluded.searches,
                    "empty": _QUERY.empty + statement.excluded.empty,
                    "visitors": _QUERY.visitors + statement.excluded.visitors,
                },
            )
        )
