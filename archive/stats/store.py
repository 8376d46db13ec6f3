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

from sqlalchemy import delete, select, update
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
    return module.insert(table)


def visitor_hash(salt: str, address: str, user_agent: str) -> str:
    """The day's pseudonym of a visitor: unlinkable to other days once the salt is gone."""
    message = f"{address}\n{user_agent}".encode("utf-8", "replace")
    return hmac.new(salt.encode(), message, hashlib.sha256).hexdigest()[:32]


def purge_before(connection: Connection, day: date) -> None:
    """Destroy older days' salts and hashes, and queries too few visitors typed."""
    for table in (StatsSalt, StatsProgress, StatsSearcher):
        connection.execute(delete(table).where(table.day < day))
    connection.execute(
        delete(StatsQuery).where(StatsQuery.day < day, StatsQuery.visitors < K_ANONYMITY)
    )


def salt_for(connection: Connection, day: date) -> str:
    """``day``'s salt, created at random by the first node that asks; older ones destroyed."""
    purge_before(connection, day)
    connection.execute(
        _insert(connection, StatsSalt)
        .values(day=day, salt=secrets.token_hex(32))
        .on_conflict_do_nothing(index_elements=["day"])
    )
    return connection.scalar(select(StatsSalt.salt).where(StatsSalt.day == day))


def add_counts(connection: Connection, counts: Counts) -> None:
    """Add to the daily counters (one upsert per row)."""
    for (day, metric, item_id, app), number in counts.items():
        statement = _insert(connection, StatsDaily).values(
            day=day, metric=metric, item_id=item_id, app=app, count=number
        )
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["day", "metric", "item_id", "app"],
                set_={"count": StatsDaily.count + statement.excluded.count},
            )
        )


def add_fetches(connection: Connection, fetches: Fetches, needed: Mapping[int, int]) -> int:
    """Merge fetched ranges into today's progress; count each download once. Returns how many."""
    counted: dict[tuple[date, str, int, str], int] = {}
    for (day, visitor, episode_id, app), pieces in fetches.items():
        if _advance(connection, day, visitor, episode_id, pieces, needed[episode_id]):
            key = (day, "download", episode_id, app)
            counted[key] = counted.get(key, 0) + 1
    add_counts(connection, counted)
    return sum(counted.values())


def _advance(
    connection: Connection,
    day: date,
    visitor: str,
    episode_id: int,
    pieces: list[byte_ranges.Range],
    needed: int,
) -> bool:
    """True when these pieces complete the download (and this writer marked it counted)."""
    key = (
        StatsProgress.day == day,
        StatsProgress.visitor == visitor,
        StatsProgress.episode_id == episode_id,
    )
    connection.execute(
        _insert(connection, StatsProgress)
        .values(day=day, visitor=visitor, episode_id=episode_id, ranges="", counted=False)
        .on_conflict_do_nothing(index_elements=["day", "visitor", "episode_id"])
    )
    for _ in range(CAS_ATTEMPTS):
        old, done = connection.execute(
            select(StatsProgress.ranges, StatsProgress.counted).where(*key)
        ).one()
        if done:
            return False
        merged = byte_ranges.merge([*byte_ranges.loads(old), *pieces])
        complete = byte_ranges.covered(merged) >= needed
        changed = connection.execute(
            update(StatsProgress)
            .where(*key, StatsProgress.ranges == old, StatsProgress.counted.is_(False))
            .values(ranges=byte_ranges.dumps(merged), counted=complete)
        )
        if changed.rowcount == 1:
            return complete
    return False


def add_searches(connection: Connection, searches: Iterable[tuple[date, str, str, bool]]) -> None:
    """Record ``(day, visitor, query, empty)`` searches: totals, per-query counts, k-visitors."""
    totals: dict[tuple[date, str, int, str], int] = {}
    for day, visitor, query, empty in searches:
        for metric in ("search", "search_empty") if empty else ("search",):
            totals[(day, metric, 0, "")] = totals.get((day, metric, 0, ""), 0) + 1
        new_visitor = connection.execute(
            _insert(connection, StatsSearcher)
            .values(day=day, query=query, visitor=visitor)
            .on_conflict_do_nothing(index_elements=["day", "query", "visitor"])
        ).rowcount
        statement = _insert(connection, StatsQuery).values(
            day=day, query=query, searches=1, empty=int(empty), visitors=int(new_visitor == 1)
        )
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["day", "query"],
                set_={
                    "searches": StatsQuery.searches + statement.excluded.searches,
                    "empty": StatsQuery.empty + statement.excluded.empty,
                    "visitors": StatsQuery.visitors + statement.excluded.visitors,
                },
            )
        )
    add_counts(connection, totals)


def add_query_counts(connection: Connection, rows: Iterable[tuple[date, str, int, int]]) -> None:
    """Add ``(day, query, searches, empty)`` as typed by as many different visitors (demo data)."""
    for day, query, searches, empty in rows:
        statement = _insert(connection, StatsQuery).values(
            day=day, query=query, searches=searches, empty=empty, visitors=searches
        )
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["day", "query"],
                set_={
                    "searches": StatsQuery.searches + statement.excluded.searches,
                    "empty": StatsQuery.empty + statement.excluded.empty,
                    "visitors": StatsQuery.visitors + statement.excluded.visitors,
                },
            )
        )
