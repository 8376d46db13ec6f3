"""Commands that move the archive in and out: export, backup and restore.

Registered by :mod:`archive.cli`; the work is done in :mod:`archive.importing.export`
and :mod:`archive.backup`.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from .backup import BackupError, backup, restore
from .importing.export import export


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


COMMANDS = (export_command, backup_command, restore_command)
