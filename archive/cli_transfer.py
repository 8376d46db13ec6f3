"""Commands that move the archive in and out: export, backup and restore.

Registered by :mod:`archive.cli`; the work is done in :mod:`archive.importing.export`
and :mod:`archive.backup`.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

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


COMMANDS = (export_command,)
