"""Command-line interface: ``flask --app archive <command>`` or ``archive <command>``."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import database, demo, editorial, search, stats
from .checks import check_index, check_media
from .cli_stats import count_downloads, stats_command
from .cli_transfer import COMMANDS as TRANSFER_COMMANDS
from .cli_websub import publish_due
from .demo import statistics as demo_statistics
from .editorial import changelog
from .importing import expand_paths, import_file
from .models import ROLES
from .search import RebuildRunning, rebuild
from .search.follow import follow_forever
from .search.progress import RebuildProgress
from .search.sync import count_published

#: Indexing processes of ``flask reindex``: one per core, two at most (they share the disk).
DEFAULT_REINDEX_PROCS = min(2, os.cpu_count() or 1)


def init_app(app: Flask) -> None:
    for command in (
        init_db,
        create_editor,
        load_demo,
        import_command,
        check_command,
        reindex,
        follow,
        changes,
        *TRANSFER_COMMANDS,
        publish_due,
        stats_command,
        count_downloads,
    ):
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
    editor, created = editorial.create_or_reset(
        email, password, display_name, admin, editorial.COMMAND_LINE
    )
    verb = "Created" if created else "Updated"
    click.echo(f"{verb} {ROLES[editor.role].lower()} {editor.email}.")


@click.command("load-demo")
@click.option(
    "--with-stats",
    is_flag=True,
    help="Also write a month of example statistics (demo data, not real visits).",
)
@with_appcontext
def load_demo(with_stats: bool) -> None:
    """Load the example content (idempotent; never overwrites editors' changes)."""
    report = demo.load()
    if with_stats:
        report += demo_statistics.fill(stats.today())
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
    findings = check_media(deep=deep, repair=repair) + check_index(repair=repair)
    for finding in findings:
        click.echo(str(finding))
    open_problems = [finding for finding in findings if not finding.repaired]
    click.echo(f"{len(findings)} found, {len(findings) - len(open_problems)} repaired.")
    if open_problems:
        raise SystemExit(1)


@click.command("reindex")
@click.option(
    "--procs",
    type=click.IntRange(1, 16),
    default=DEFAULT_REINDEX_PROCS,
    show_default=True,
    help="Indexing processes (each about ARCHIVE_SEARCH_REBUILD_MB of memory, 512 MB by default).",
)
@click.option("--quiet", is_flag=True, help="No progress output, only the summary.")
@with_appcontext
def reindex(procs: int, quiet: bool) -> None:
    """Rebuild the search index from the database and swap it in atomically.

    Searches keep working during the rebuild; changes made meanwhile are kept.
    Shows documents per second and the time left (a bar on a terminal, a line
    every few seconds elsewhere).
    """
    progress = None if quiet else RebuildProgress(count_published(), sys.stderr)
    try:
        report = rebuild(procs=procs, progress=progress)
    except RebuildRunning:
        raise click.ClickException("another reindex is running") from None
    if progress is not None:
        progress.close()
    click.echo(str(report))


@click.command("follow")
@click.option("--once", is_flag=True, help="Catch up once and stop.")
@with_appcontext
def follow(once: bool) -> None:
    """Keep this node's search index current: follow the change log until stopped.

    Run one per app node (deploy/archive-follow.service). Woken by PostgreSQL
    NOTIFY at every commit; polls every ARCHIVE_FOLLOW_POLL_SECONDS as well
    (and only polls on SQLite). Stops cleanly on SIGTERM or Ctrl-C.
    """
    if once:
        click.echo(f"Applied {search.follow()} changes; at {search.position()}.")
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    click.echo(f"Following the change log from {search.position()}.")
    with contextlib.suppress(KeyboardInterrupt):
        follow_forever(stop, float(current_app.config["FOLLOW_POLL_SECONDS"]))
    click.echo(f"Stopped at {search.position()}.")


@click.group("changes", invoke_without_command=True)
@click.option("--limit", default=30, show_default=True, help="How many of the newest to show.")
@click.pass_context
@with_appcontext
def changes(context: click.Context, limit: int) -> None:
    """The change log: the newest changes, and how far each follower got."""
    if context.invoked_subcommand is not None:
        return
    for entry in reversed(changelog.recent(limit)):
        version = f" v{entry.version}" if entry.version is not None else ""
        at = entry.at.isoformat(timespec="seconds")
        click.echo(f"{entry.id:>8}  {at}  {entry.key}{version}  {entry.action}")
    click.echo(f"Last change: {changelog.last_id()}; pruned through: {changelog.pruned_through()}.")
    for follower in changelog.followers():
        seen = follower.seen_at.isoformat(timespec="seconds")
        click.echo(f"Follower {follower.name}: at {follower.position} (seen {seen}).")


@changes.command("prune")
@with_appcontext
def changes_prune() -> None:
    """Delete changes older than 30 days that every follower has applied."""
    click.echo(f"Pruned {changelog.prune()} changes.")


@changes.command("forget")
@click.argument("name")
@with_appcontext
def changes_forget(name: str) -> None:
    """Stop keeping changes for follower NAME (a node taken out of service)."""
    if not changelog.forget(name):
        raise click.ClickException(f"no follower named {name!r}")
    click.echo(f"Forgot follower {name}.")
