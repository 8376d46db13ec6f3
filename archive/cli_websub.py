"""``flask publish-due``: notify the WebSub hub of the feeds that changed (run it from cron).

Registered by :mod:`archive.cli`; the work is done in :mod:`archive.websub`.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from . import websub
from .models import Show, db, utcnow
from .views.delivery import RequestUrls


def _feed_urls(keys: set[websub.FeedKey], base_url: str) -> list[str]:
    """Each feed's own (``rel="self"``) URL, as subscribers know it."""
    urls = RequestUrls(base_url, db.session.scalar(select(func.min(Show.id))))
    found = []
    with current_app.test_request_context("/", base_url=base_url):
        for kind, show_id in sorted(keys, key=str):
            if kind == "stories":
                found.append(urls.stories_feed())
            elif (show := db.session.get(Show, show_id)) is not None:
                found.append(urls.show_feed(show))
    return found


@click.command("publish-due")
@with_appcontext
def publish_due() -> None:
    """Notify the WebSub hub (ARCHIVE_WEBSUB_HUB) of every feed changed since the last run.

    That is every publication, withdrawal or edit in the change log, and every
    scheduled publication whose moment has passed. Run it every minute from
    cron or a systemd timer. Exit status 1 when the hub could not be reached
    (the next run tries again).
    """
    hub = current_app.config.get("WEBSUB_HUB")
    base_url = current_app.config.get("BASE_URL")
    if not hub:
        click.echo("ARCHIVE_WEBSUB_HUB is not set: nothing to notify.")
        return
    if not base_url:
        raise click.ClickException("set ARCHIVE_BASE_URL: the hub needs the feeds' public URLs")
    due = websub.due(utcnow())
    failed = []
    for url in _feed_urls(due.feeds, base_url):
        problem = websub.notify(hub, url)
        click.echo(f"{url}: {problem or 'notified'}")
        if problem:
            failed.append(url)
    if failed:
        raise click.ClickException(f"{len(failed)} feeds not notified; the next run tries again")
    websub.done(due)
    if not due.feeds:
        click.echo("Nothing due.")
