"""``flask stats``: the editors' statistics tables in a terminal, or as CSV;
``flask count-downloads``: downloads counted from nginx's log.

Registered by :mod:`archive.cli`; the tables come from :mod:`archive.stats.reports`,
the same ones ``/beheer`` shows and offers as CSV.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from datetime import date, datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from . import stats
from .stats import proxylog, reports
from .stats.reports import Table

#: Command-line name -> the report's name in :data:`reports.REPORTS` (and the CSV URLs).
TABLES: dict[str, str] = {
    "by-day": "per-dag",
    "by-episode": "afleveringen",
    "by-story": "verhalen",
    "by-page": "paginas",
    "by-app": "apps",
    "searches": "zoekopdrachten",
    "no-results": "zonder-resultaat",
}
#: Days back when ``--since`` is not given.
DEFAULT_DAYS = 30


def render(table: Table) -> str:
    """``table`` with aligned columns (numbers to the right) and its title above."""
    rows = [table.headers, *[[str(value) for value in row] for row in table.rows]]
    widths = [max(len(row[n]) for row in rows) for n in range(len(table.headers))]
    numeric = [bool(table.rows) and isinstance(table.rows[0][n], int) for n in range(len(widths))]
    lines = [table.title, ""]
    for row in rows:
        cells = [
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(row, widths, numeric, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    if not table.rows:
        lines.append("(nog geen cijfers)")
    return "\n".join(lines)


@click.command("stats")
@click.argument("table", type=click.Choice(list(TABLES)), default="by-day")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help=f"First day (YYYY-MM-DD); default: {DEFAULT_DAYS} days ago.",
)
@click.option(
    "--until", type=click.DateTime(formats=["%Y-%m-%d"]), help="Last day (default: today)."
)
@click.option("--csv", "as_csv", is_flag=True, help="Write CSV instead of an aligned table.")
@with_appcontext
def stats_command(table: str, since: datetime | None, until: datetime | None, as_csv: bool) -> None:
    """Print a statistics table: downloads by day, by episode, by app, reads, searches.

    Only daily counts exist; searches are shown from days on which at least
    three different visitors typed them.
    """
    last: date = until.date() if until else stats.today()
    first: date = since.date() if since else last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise click.BadParameter("--since is after --until", param_hint="--since")
    stats.recorder().flush()
    found = reports.REPORTS[TABLES[table]](first, last)
    click.echo(found.csv() if as_csv else render(found), nl=not as_csv)


@click.command("count-downloads")
@click.option(
    "--listen",
    "address",
    default=proxylog.DEFAULT_ADDRESS,
    show_default=True,
    help="Where nginx sends its media log lines: host:port (UDP) or unix:/path"
    " (ARCHIVE_STATS_LOG of deploy/nginx/render.py).",
)
@with_appcontext
def count_downloads(address: str) -> None:
    """Count downloads from nginx's log lines, until stopped (SIGTERM or Ctrl-C).

    Behind nginx the audio is sent by nginx, so it is nginx's log that says what
    was downloaded. Run one beside each nginx (deploy/archive-stats.service).
    Each line is hashed and counted at once; no line is stored.
    """
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    click.echo(f"Counting downloads from {address}.")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    counter = None
    with contextlib.suppress(KeyboardInterrupt):
        counter = proxylog.listen(app, address, stop)
    if counter is not None:
        click.echo(f"Stopped: {counter.lines} lines, {counter.counted} counted fetches.")
