"""Commands that move the archive in and out: import-feed, export, backup and restore.

Registered by :mod:`archive.cli`; the work is done in :mod:`archive.importing.export`
and :mod:`archive.backup`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from . import editorial
from .backup import BackupError, backup, restore
from .importing.export import export
from .importing.feed_import import NEW, REFUSED, import_item, start
from .importing.podcast_feed import FeedError
from .importing.remote import FetchError
from .models import Show, db


@click.command("export")
@click.argument("target", type=click.Path(path_type=Path, file_okay=False))
@with_appcontext
def export_command(target: Path) -> None:
    """Write everything into the new or empty folder TARGET in the files `flask import` reads.

    Campaigns, shows (with artwork), stories (Markdown with front matter),
    episodes (audio, sidecar YAML, transcript, chapters, artwork), agenda
    events, and manifest.json with every file's size and sha256.
    """
    try:
        report = export(target)
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from None
    except FileNotFoundError as exc:
        raise click.ClickException(
            f"a media file is missing ({exc.filename}); run flask check to see which"
        ) from None
    click.echo(str(report))


@click.command("backup")
@click.argument("target", type=click.Path(path_type=Path, file_okay=False))
@with_appcontext
def backup_command(target: Path) -> None:
    """Copy the database, media and settings into the new or empty folder TARGET.

    Safe while the site runs: the copy is of one moment (SQLite's backup API;
    pg_dump --format=custom on PostgreSQL). The search index is not copied.
    """
    try:
        report = backup(target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backup in {target}: {report}")


@click.command("restore")
@click.argument("source", type=click.Path(path_type=Path, file_okay=False, exists=True))
@with_appcontext
def restore_command(source: Path) -> None:
    """Restore the backup in SOURCE into this empty instance, then rebuild the search index.

    Run `flask check --deep` afterwards: it compares every media file with its hash.
    """
    try:
        report = restore(source)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored from {source}: {report}")


@click.command("import-feed")
@click.argument("source")
@with_appcontext
def import_feed_command(source: str) -> None:
    """Import a podcast from its RSS feed: SOURCE is its URL or a saved feed file.

    Creates the show (or finds it by podcast:guid or old feed URL), downloads
    each item's audio, and keeps GUIDs, dates, show notes, chapters,
    transcripts and artwork. Running it again adds only new items. Exit
    status 1 when any item was refused.
    """
    try:
        job = start(source)
    except (FeedError, FetchError) as exc:
        raise click.ClickException(str(exc)) from None
    show = "nieuwe podcast" if job.show_created else "bestaande podcast"
    click.echo(f"{show}: {job.feed.show.title} ({len(job.feed.items)} items in de feed)")
    for note in job.notes:
        click.echo(f"let op: {note}")
    with click.progressbar(
        job.feed.items,
        label="Importeren",
        file=sys.stderr,
        item_show_func=lambda item: item.title[:40] if item else None,
    ) as progress:
        for item in progress:
            job.reports.append(import_item(job, item))
    for report in job.reports:
        click.echo(str(report))
    click.echo(job.summary())
    if job.count(REFUSED):
        raise SystemExit(1)
    if not job.count(NEW):
        click.echo("Niets nieuws in de feed.")


@click.command("move-show")
@click.argument("slug")
@click.option("--came-from", "old_feed_url", help="The feed URL this podcast was imported from.")
@click.option("--moved-to", "new_feed_url", help="The new feed URL: ours answers 301 to it.")
@click.option("--stay", is_flag=True, help="Undo --moved-to: serve our feed again.")
@with_appcontext
def move_show_command(
    slug: str, old_feed_url: str | None, new_feed_url: str | None, stay: bool
) -> None:
    """Record where podcast SLUG came from, or move it away to another feed URL."""
    show = db.session.scalar(select(Show).where(Show.slug == slug))
    if show is None:
        raise click.ClickException(f"no podcast with slug {slug!r}")
    values = {"old_feed_url": old_feed_url, "new_feed_url": "" if stay else new_feed_url}
    try:
        show = editorial.move_show(
            show.id, {k: v for k, v in values.items() if v is not None}, editorial.COMMAND_LINE
        )
    except editorial.EditorialError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(
        f"{show.slug}: came from {show.old_feed_url or '-'}; moved to {show.new_feed_url or '-'}."
    )


COMMANDS = (move_show_command, export_command, backup_command, restore_command, import_feed_command)
