"""The agenda's rules: what is coming and what has been, and "when" in words.

An agenda entry is an event or a campaign week (the week appears in the
agenda as the campaign site showed it). An entry stays under "coming" until
midnight in the Netherlands after it ends, then it has been. Plain values in,
plain values out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .localtime import local_midnight, to_local


@dataclass(frozen=True)
class Entry:
    """One line of the agenda."""

    #: ``event`` or ``campaign``: which page the entry links to.
    kind: str
    slug: str
    title: str
    #: Aware UTC; an all-day entry runs from local midnight to local midnight (exclusive).
    starts_at: datetime
    ends_at: datetime
    all_day: bool
    where: str
    cancelled: bool = False
    is_demo: bool = False

    @property
    def when(self) -> str:
        return when_label(self.starts_at, self.ends_at, self.all_day)


def all_day_span(first: date, last: date) -> tuple[datetime, datetime]:
    """Start and (exclusive) end of the days ``first`` to ``last``, inclusive, as UTC moments."""
    return local_midnight(first), local_midnight(last + timedelta(days=1))


def last_day(ends_at: datetime) -> date:
    """The last local day of an all-day entry (its end is the midnight after it)."""
    return (to_local(ends_at) - timedelta(days=1)).date()  # type: ignore[operator]


def when_label(starts_at: datetime, ends_at: datetime, all_day: bool) -> str:
    """ "15-11-2021 t/m 21-11-2021", "16-11-2021", "16-11-2021 19:30–21:00" (local time)."""
    start, end = to_local(starts_at), to_local(ends_at)
    assert start is not None and end is not None
    if all_day:
        last = last_day(ends_at)
        if last <= start.date():
            return f"{start:%d-%m-%Y}"
        return f"{start:%d-%m-%Y} t/m {last:%d-%m-%Y}"
    if start.date() == end.date():
        return f"{start:%d-%m-%Y %H:%M}–{end:%H:%M}"
    return f"{start:%d-%m-%Y %H:%M} t/m {end:%d-%m-%Y %H:%M}"


def has_been(entry: Entry, today: date) -> bool:
    """Whether ``entry`` ended before today began (midnight in the Netherlands)."""
    return entry.ends_at <= local_midnight(today)


def split(entries: Iterable[Entry], today: date) -> tuple[list[Entry], list[Entry]]:
    """(coming, been): coming soonest first (running ones included), been latest first."""
    coming, been = [], []
    for entry in entries:
        (been if has_been(entry, today) else coming).append(entry)
    coming.sort(key=lambda e: (e.starts_at, e.title))
    been.sort(key=lambda e: (e.starts_at, e.title), reverse=True)
    return coming, been
