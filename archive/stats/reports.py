"""Reading statistics: every report is a :class:`Table`, shown as HTML, CSV or in a terminal.

Search queries are shown only from days on which at least
:data:`~archive.stats.store.K_ANONYMITY` different visitors typed them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from ..models import Episode, StatsDaily, StatsQuery, Story, db
from . import agents
from .store import K_ANONYMITY

#: The periods editors choose from (days back, today included).
PERIODS = (30, 90, 365)
#: How many rows a "top" table shows.
TOP = 10


@dataclass
class Table:
    """A titled table of numbers; ``key`` names its CSV download."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[str | int]] = field(default_factory=list)

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.headers)
        writer.writerows(self.rows)
        return out.getvalue()


def days_between(since: date, until: date) -> list[date]:
    return [since + timedelta(days=n) for n in range((until - since).days + 1)]


def by_day(since: date, until: date, item_id: int | None = None, metric: str = "download") -> Table:
    """``metric`` per day (every day, zeros included), for all items or one."""
    query = (
        select(StatsDaily.day, func.sum(StatsDaily.count))
        .where(StatsDaily.metric == metric, StatsDaily.day.between(since, until))
        .group_by(StatsDaily.day)
    )
    if item_id is not None:
        query = query.where(StatsDaily.item_id == item_id)
    found = dict(db.session.execute(query).tuples().all())
    title = {"download": "Downloads per dag", "read": "Gelezen per dag", "view": "Bekeken per dag"}
    return Table(
        key=f"{metric}-per-dag",
        title=title.get(metric, metric),
        headers=["datum", "aantal"],
        rows=[[day.isoformat(), int(found.get(day, 0))] for day in days_between(since, until)],
    )


def _titles(model: type[Episode] | type[Story], ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(model.id, model.title).where(model.id.in_(ids))).tuples()
    return dict(rows.all())


def top_items(metric: str, since: date, until: date, limit: int | None = TOP) -> Table:
    """The items with the most ``metric`` (episodes for download/view, stories for read)."""
    model = Story if metric == "read" else Episode
    total = func.sum(StatsDaily.count).label("total")
    query = (
        select(StatsDaily.item_id, total)
        .where(StatsDaily.metric == metric, StatsDaily.day.between(since, until))
        .group_by(StatsDaily.item_id)
        .order_by(total.desc(), StatsDaily.item_id)
        .limit(limit)
    )
    found = db.session.execute(query).tuples().all()
    titles = _titles(model, [item_id for item_id, _ in found])
    names = {
        "download": "Meest gedownloade afleveringen",
        "read": "Meest gelezen verhalen",
        "view": "Meest bekeken afleveringspagina's",
    }
    return Table(
        key=f"top-{metric}",
        title=names.get(metric, metric),
        headers=["titel", "aantal"],
        rows=[[titles.get(item_id, "(verwijderd)"), int(count)] for item_id, count in found],
    )


def by_app(since: date, until: date) -> Table:
    """Downloads per listening app."""
    total = func.sum(StatsDaily.count).label("total")
    query = (
        select(StatsDaily.app, total)
        .where(StatsDaily.metric == "download", StatsDaily.day.between(since, until))
        .group_by(StatsDaily.app)
        .order_by(total.desc(), StatsDaily.app)
    )
    rows = db.session.execute(query).tuples().all()
    return Table(
        key="apps",
        title="Downloads per app",
        headers=["app", "downloads"],
        rows=[[agents.label(app), int(count)] for app, count in rows],
    )


def searches(since: date, until: date, empty_only: bool = False, limit: int | None = TOP) -> Table:
    """The most frequent queries (or those without results) that passed k-anonymity."""
    measure = StatsQuery.empty if empty_only else StatsQuery.searches
    total = func.sum(measure).label("total")
    query = (
        select(StatsQuery.query, total)
        .where(StatsQuery.day.between(since, until), StatsQuery.visitors >= K_ANONYMITY)
        .group_by(StatsQuery.query)
        .having(func.sum(measure) > 0)
        .order_by(total.desc(), StatsQuery.query)
        .limit(limit)
    )
    rows = db.session.execute(query).tuples().all()
    return Table(
        key="zoeken-zonder-resultaat" if empty_only else "zoekopdrachten",
        title="Zoekopdrachten zonder resultaat" if empty_only else "Meest gezocht",
        headers=["zoekopdracht", "aantal"],
        rows=[[text, int(count)] for text, count in rows],
    )


def totals(since: date, until: date) -> dict[str, int]:
    """Each metric's total over the period."""
    query = (
        select(StatsDaily.metric, func.sum(StatsDaily.count))
        .where(StatsDaily.day.between(since, until))
        .group_by(StatsDaily.metric)
    )
    return {metric: int(count) for metric, count in db.session.execute(query).tuples()}


#: Report name (URL, CLI) -> how to build it for a period.
REPORTS: dict[str, Callable[[date, date], Table]] = {
    "per-dag": by_day,
    "afleveringen": lambda since, until: top_items("download", since, until, None),
    "verhalen": lambda since, until: top_items("read", since, until, None),
    "paginas": lambda since, until: top_items("view", since, until, None),
    "apps": by_app,
    "zoekopdrachten": lambda since, until: searches(since, until, limit=None),
    "zonder-resultaat": lambda since, until: searches(since, until, True, None),
}
