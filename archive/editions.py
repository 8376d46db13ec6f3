"""Which edition of the campaign the home page shows on a given day.

During its week the running edition; in the weeks before, the coming one
(with a countdown in words); otherwise the latest that has started. Plain
values in, plain values out: the view passes the editions and today's date
in Europe/Amsterdam.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, Protocol, TypeVar

#: How many days before its first day a coming edition takes over the home page.
COMING_DAYS = 56

#: state -> the home page's label above the edition's name.
LABELS: dict[str, str] = {
    "running": "De campagne van nu",
    "coming": "Binnenkort",
    "latest": "De laatste editie",
}


class Edition(Protocol):
    starts_on: date
    ends_on: date


E = TypeVar("E", bound=Edition)


@dataclass(frozen=True)
class Featured(Generic[E]):
    edition: E
    #: ``running``, ``coming`` or ``latest`` (see :data:`LABELS`).
    state: str
    #: Days until the first day (0 unless ``coming``).
    days_until: int = 0
    #: Editions that have ended, newest first, without the featured one.
    earlier: list[E] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def countdown(self) -> str:
        return countdown(self.days_until) if self.state == "coming" else ""


def countdown(days: int) -> str:
    """How long until the week starts, in Dutch words ("Over 12 dagen")."""
    if days <= 0:
        return "Vandaag begint de week"
    if days == 1:
        return "Morgen begint de week"
    if days < 14:
        return f"Over {days} dagen begint de week"
    weeks, rest = divmod(days, 7)
    return f"Over {'ruim ' if rest else ''}{weeks} weken begint de week"


def choose(editions: Sequence[E], today: date) -> Featured[E] | None:
    """The edition for the home page on ``today`` (None when there is none)."""
    if not editions:
        return None
    newest_first = sorted(editions, key=lambda e: e.starts_on, reverse=True)
    featured = _featured(newest_first, today)
    earlier = [e for e in newest_first if e.ends_on < today and e is not featured.edition]
    return Featured(featured.edition, featured.state, featured.days_until, earlier)


def _featured(newest_first: list[E], today: date) -> Featured[E]:
    for edition in newest_first:
        if edition.starts_on <= today <= edition.ends_on:
            return Featured(edition, "running")
    upcoming = [e for e in newest_first if e.starts_on > today]
    soonest = min(upcoming, key=lambda e: e.starts_on) if upcoming else None
    if soonest is not None and (soonest.starts_on - today).days <= COMING_DAYS:
        return Featured(soonest, "coming", (soonest.starts_on - today).days)
    started = [e for e in newest_first if e.starts_on <= today]
    if started:
        return Featured(started[0], "latest")
    assert soonest is not None  # editions is not empty: either started or upcoming
    return Featured(soonest, "coming", (soonest.starts_on - today).days)
