"""The editors' home and the numbers: what needs attention, charts, tables and CSV.

``/beheer`` shows drafts, scheduled items, embargoes that end this week and
the latest changes, then the statistics of the last 30, 90 or 365 days
(``?dagen=``). Every table is also a CSV download; each episode's and story's
edit page shows its own numbers (:func:`item_numbers`), also as CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import Response, render_template, request, url_for
from sqlalchemy import exists, select

from ... import stats
from ...editorial import attention
from ...errors import ArchiveError
from ...models import Episode, Story, db
from ...stats import charts, reports
from ...stats.reports import PERIODS, Table
from ...stats.store import K_ANONYMITY
from . import bp

#: Item kind (in file names) -> (the metric its edit page shows, its CSV's endpoint and id).
ITEM_METRICS: dict[str, tuple[str, str, str]] = {
    "aflevering": ("download", "editor.episode_csv", "episode_id"),
    "verhaal": ("read", "editor.story_csv", "story_id"),
}


class BadPeriod(ArchiveError):
    def __init__(self) -> None:
        choices = ", ".join(str(days) for days in PERIODS[:-1]) + f" of {PERIODS[-1]}"
        super().__init__(f"Kies een periode van {choices} dagen.")


class UnknownReport(ArchiveError):
    status_code = 404

    def __init__(self) -> None:
        super().__init__("Deze tabel bestaat niet.")


@dataclass(frozen=True)
class Period:
    days: int
    since: date
    until: date


def period() -> Period:
    """The period asked for with ``?dagen=`` (30 by default); others are refused."""
    text = request.args.get("dagen", "")
    days = int(text) if text in {str(days) for days in PERIODS} else None
    if text and days is None:
        raise BadPeriod()
    until = stats.today()
    days = days or PERIODS[0]
    return Period(days, until - timedelta(days=days - 1), until)


def day_chart(table: Table, what: str) -> charts.Chart:
    """A bar chart of a per-day table, with a description that says what it shows."""
    points = [(row[0][8:10] + "-" + row[0][5:7], int(row[1])) for row in table.rows]
    total = sum(value for _, value in points)
    peak = max(table.rows, key=lambda row: row[1]) if table.rows else None
    first, last = table.rows[0][0], table.rows[-1][0]
    description = f"Staafdiagram van {what} per dag, {first} tot en met {last}: totaal {total}"
    if peak is not None and total:
        description += f", het meest op {peak[0]} ({peak[1]})"
    return charts.bar_chart(points, table.title, description + ".")


@bp.get("/")
def dashboard() -> str:
    chosen = period()
    stats.recorder().flush()  # this node's buffer; other nodes write within seconds
    per_day = reports.by_day(chosen.since, chosen.until)
    tables = [
        reports.top_items("download", chosen.since, chosen.until),
        reports.top_items("read", chosen.since, chosen.until),
        reports.by_app(chosen.since, chosen.until),
        reports.searches(chosen.since, chosen.until, empty_only=True),
        reports.searches(chosen.since, chosen.until),
    ]
    counts = {
        "stories": db.session.scalar(select(db.func.count(Story.id))),
        "episodes": db.session.scalar(select(db.func.count(Episode.id))),
    }
    return render_template(
        "beheer/dashboard.html",
        counts=counts,
        drafts=attention.drafts(),
        scheduled=attention.scheduled(),
        embargoes=attention.embargoes_ending(),
        changes=attention.latest_changes(),
        period=chosen,
        periods=PERIODS,
        totals=reports.totals(chosen.since, chosen.until),
        per_day=per_day,
        chart=day_chart(per_day, "downloads"),
        tables=tables,
        k=K_ANONYMITY,
        has_demo=any(
            db.session.scalar(select(exists().where(model.is_demo))) for model in (Episode, Story)
        ),
    )


@bp.get("/statistiek/<name>.csv")
def report_csv(name: str) -> Response:
    """A dashboard table as CSV, for the period asked for."""
    build = reports.REPORTS.get(name)
    if build is None:
        raise UnknownReport()
    chosen = period()
    stats.recorder().flush()
    return csv_response(build(chosen.since, chosen.until), f"{name}-{chosen.days}-dagen")


@bp.get("/afleveringen/<int:episode_id>/statistiek.csv")
def episode_csv(episode_id: int) -> Response:
    """One episode's downloads per day, as CSV."""
    return _item_csv("aflevering", episode_id)


@bp.get("/verhalen/<int:story_id>/statistiek.csv")
def story_csv(story_id: int) -> Response:
    """One story's reads per day, as CSV."""
    return _item_csv("verhaal", story_id)


def _item_csv(kind: str, item_id: int) -> Response:
    chosen = period()
    stats.recorder().flush()
    table = reports.by_day(chosen.since, chosen.until, item_id, ITEM_METRICS[kind][0])
    return csv_response(table, f"{kind}-{item_id}-{chosen.days}-dagen")


def csv_response(table: Table, filename: str) -> Response:
    response = Response(table.csv(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def item_numbers(kind: str, item_id: int) -> dict:
    """What an edit page shows: the item's own numbers per day over the last 30 days."""
    chosen = period()
    stats.recorder().flush()
    metric, endpoint, id_name = ITEM_METRICS[kind]
    table = reports.by_day(chosen.since, chosen.until, item_id, metric)
    what = "downloads" if metric == "download" else "keer gelezen"
    return {
        "kind": kind,
        "csv_url": url_for(endpoint, dagen=chosen.days, **{id_name: item_id}),
        "period": chosen,
        "table": table,
        "chart": day_chart(table, what),
        "total": sum(int(row[1]) for row in table.rows),
    }
