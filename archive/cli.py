"""Command-line interface: ``flask --app archive <command>`` or ``archive <command>``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select

from . import database
from .models import ROLES, Editor, db


def init_app(app: Flask) -> None:
    for command in (init_db, create_editor, load_demo, import_command, check_command, reindex):
        app.cli.add_command(command)


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create the database, or upgrade it to the latest schema."""
    before = database.current_revision()
    database.upgrade()
    after = database.current_revision()
    if before is None:
        click.echo(f"Database created (schema {after}).")
    elif before != after:
        click.echo(f"Database upgraded from schema {before} to {after}.")
    else:
        click.echo(f"Database is up to date (schema {after}).")


@click.command("create-editor")
@click.argument("email")
@click.option("--name", "display_name", help="Display name (default: the part before @).")
@click.option("--admin", is_flag=True, help="Give the account the admin role.")
@with_appcontext
def create_editor(email: str, display_name: str | None, admin: bool) -> None:
    """Create an editor account, or reset its password if it exists.

    The password is asked for, or read from ARCHIVE_EDITOR_PASSWORD for scripts.
    """
    email = email.strip().lower()
    if "@" not in email:
        raise click.BadParameter("not an e-mail address", param_hint="EMAIL")
    password = os.environ.get("ARCHIVE_EDITOR_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    if len(password) < 10:
        raise click.ClickException("the password must be at least 10 characters long")
    editor = db.session.scalar(select(Editor).where(Editor.email == email))
    created = editor is None
    if editor is None:
        editor = Editor(email=email, display_name=display_name or email.split("@")[0])
        db.session.add(editor)
    elif display_name:
        editor.display_name = display_name
    editor.set_password(password)
    editor.role = "admin" if admin else (editor.role or "editor")
    editor.active = True
    db.session.commit()
    verb = "Created" if created else "Updated"
    click.echo(f"{verb} {ROLES[editor.role].lower()} {editor.email}.")


@click.command("load-demo")
@with_appcontext
def load_demo() -> None:
    """Load the example content (idempotent; never overwrites editors' changes)."""
    from .demo import load

    report = load()
    for line in report:
        click.echo(line)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@with_appcontext
def import_command(paths: tuple[Path, ...]) -> None:
    """Import stories (Markdown with YAML front matter) and episodes (audio files).

    Each file is reported on its own; one file that cannot be taken does not
    stop the others. The exit status is 1 when any file was refused.
    """
    from .importer import expand_paths, import_file

    files = expand_paths(paths)
    refused = 0
    with click.progressbar(
        files,
        label="Importeren",
        file=sys.stderr,
        item_show_func=lambda path: path.name if path else None,
    ) as progress:
        outcomes = [import_file(path) for path in progress]
    for outcome in outcomes:
        click.echo(str(outcome))
        refused += not outcome.ok
    click.echo(f"{len(outcomes) - refused} imported, {refused} refused.")
    if refused:
        raise SystemExit(1)


@click.command("check")
@click.option("--deep", is_flag=True, help="Also compare every audio file's sha256.")
@click.option("--repair", is_flag=True, help="Remove orphaned files and re-index flagged items.")
@with_appcontext
def check_command(deep: bool, repair: bool) -> None:
    """Compare database, media files and search index; report (or repair) drift.

    The exit status is 1 when drift remains that needs an editor.
    """
    from .checks import check_index, check_media

    findings = check_media(deep=deep, repair=repair) + check_index(repair=repair)
    for finding in findings:
        click.echo(str(finding))
    open_problems = [finding for finding in findings if not finding.repaired]
    click.echo(f"{len(findings)} found, {len(findings) - len(open_problems)} repaired.")
    if open_problems:
        raise SystemExit(1)


@click.command("reindex")
@click.option("--procs", type=click.IntRange(1, 16), default=1, help="Indexing processes.")
@with_appcontext
def reindex(procs: int) -> None:
    """Rebuild the search index from the database and swap it in atomically.

    Searches keep working during the rebuild; changes made meanwhile are kept.
    """
    from .search import RebuildRunning, rebuild

    try:
        report = rebuild(procs=procs)
    except RebuildRunning:
        raise click.ClickException("another reindex is running") from None
    click.echo(str(report))


def main() -> None:
    """Console script ``archive``: the same commands as ``flask --app archive``."""
    from . import create_app

    FlaskGroup(create_app=create_app)()
