"""A point-in-time copy of the database, and the media names that copy refers to.

- SQLite: the online backup API (``sqlite3.Connection.backup``) copies every
  page under one read transaction, while the site keeps writing.
- PostgreSQL: a REPEATABLE READ transaction exports its snapshot; the media
  names are read in it, and ``pg_dump --format=custom --snapshot`` dumps
  exactly that state. Only the app's schema (``current_schema()``) is dumped.

Neither copy holds the statistics' salt of the day or the salted visitor
pseudonyms (``DAY_ONLY_TABLES``): a backup outlives the day they are kept for.

Restoring is the reverse: the backup API into the SQLite file, or
``pg_restore --clean --if-exists`` into the PostgreSQL database.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL, Connection, Engine

from ..models.stats import DAY_ONLY_TABLES

#: The media files rows refer to (a NULL column is left out by the caller).
REFERENCES_SQL = (
    "SELECT audio_path FROM episodes UNION SELECT artwork_path FROM episodes "
    "UNION SELECT artwork_path FROM shows"
)
#: Tables whose row counts go into the manifest (and are checked after a restore).
COUNTED_TABLES: tuple[str, ...] = ("campaigns", "shows", "stories", "episodes", "events")
#: Dialect -> file name of the database copy in a backup.
DATABASE_FILES: dict[str, str] = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}


class SnapshotError(Exception):
    """The database could not be copied or restored; the message says why (for operators)."""


@dataclass(frozen=True)
class Snapshot:
    path: Path
    references: set[str]
    counts: dict[str, int]


def _counts(run: Callable[[str], int]) -> dict[str, int]:
    return {table: int(run(f"SELECT count(*) FROM {table}")) for table in COUNTED_TABLES}


def sqlite_file(engine: Engine) -> Path:
    return Path(str(engine.url.database))


def take_sqlite(engine: Engine, target: Path) -> Snapshot:
    source = sqlite3.connect(sqlite_file(engine), timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # all pages in one step: one consistent moment
        _forget_the_day(copy)
        names = {row[0] for row in copy.execute(REFERENCES_SQL) if row[0]}
        counts = _counts(lambda sql: copy.execute(sql).fetchone()[0])
    finally:
        copy.close()
        source.close()
    return Snapshot(target, names, counts)


def _forget_the_day(copy: sqlite3.Connection) -> None:
    """Empty the day's salt and pseudonyms in a copy, leaving no trace in its pages."""
    present = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
    copy.execute("PRAGMA secure_delete=ON")
    for table in DAY_ONLY_TABLES:
        if table in present:
            copy.execute(f"DELETE FROM {table}")
    copy.commit()
    copy.execute("VACUUM")


def restore_sqlite(engine: Engine, source: Path) -> None:
    engine.dispose()
    backup = sqlite3.connect(source)
    live = sqlite3.connect(sqlite_file(engine), timeout=30)
    try:
        backup.backup(live)
    finally:
        live.close()
        backup.close()
    engine.dispose()


def libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string for the PostgreSQL tools, and their environment.

    The password goes into ``PGPASSWORD``, not onto the command line.
    """
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise SnapshotError(
            f"{command[0]} not found: install the PostgreSQL client (postgresql-client-15)"
        ) from None
    if result.returncode != 0:
        raise SnapshotError(f"{command[0]} failed: {' '.join(result.stderr.split())}")


def take_postgresql(engine: Engine, target: Path) -> Snapshot:
    dsn, env = libpq(engine.url)
    connect = engine.connect().execution_options(isolation_level="REPEATABLE READ")
    with connect as connection, connection.begin():
        snapshot_id = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
        names = {row[0] for row in connection.execute(text(REFERENCES_SQL)) if row[0]}
        counts = _counts(lambda sql: _scalar(connection, sql))
        command = ["pg_dump", "--format=custom", f"--snapshot={snapshot_id}", "--no-owner"]
        command += [f"--schema={schema}", f"--file={target}", f"--dbname={dsn}"]
        # The tables stay (a restore keeps its schema), their rows do not.
        command += [f"--exclude-table-data={schema}.{table}" for table in DAY_ONLY_TABLES]
        _run(command, env)
    return Snapshot(target, names, counts)


def _scalar(connection: Connection, sql: str) -> int:
    return int(connection.execute(text(sql)).scalar_one())


def restore_postgresql(engine: Engine, source: Path) -> None:
    engine.dispose()
    dsn, env = libpq(engine.url)
    command = ["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists"]
    _run([*command, "--exit-on-error", f"--dbname={dsn}", str(source)], env)
    engine.dispose()


def count_rows(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return _counts(lambda sql: _scalar(connection, sql))


#: Dialect -> (take, restore).
SNAPSHOTS: dict[str, tuple[Callable[[Engine, Path], Snapshot], Callable[[Engine, Path], None]]] = {
    "sqlite": (take_sqlite, restore_sqlite),
    "postgresql": (take_postgresql, restore_postgresql),
}
