"""The database: engine setup, start-up check and Alembic migrations.

``init-db`` runs :func:`upgrade`, which creates a new database or brings an
existing one to the latest revision; every model change comes with a migration
in ``archive/migrations/versions``.

Values are kept within what the database can hold, the same on SQLite and
PostgreSQL: an id in a URL beyond an ``INTEGER`` column is a 404, and a NUL
character (PostgreSQL text cannot hold one) becomes U+FFFD on its way in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from werkzeug.routing import IntegerConverter, Map

from .errors import ConfigError
from .models import db

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

#: The largest value of an ``INTEGER`` column on PostgreSQL (ids, sizes, numbers).
MAX_INTEGER = 2**31 - 1
#: What a NUL character in a text value is stored and looked up as.
NUL_REPLACEMENT = "\ufffd"


class RowIdConverter(IntegerConverter):
    """``<int:...>`` in URLs: only ids an ``INTEGER`` primary key can hold match.

    A larger number is a 404 like any unknown id, instead of PostgreSQL's
    "integer out of range" (or, past 64 bits, SQLite's OverflowError).
    """

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_INTEGER)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Attach SQLAlchemy to ``app`` and check that the database can be opened."""
    # Before the blueprints are registered: their rules take the converter then.
    app.url_map.converters["int"] = RowIdConverter
    try:
        db.init_app(app)
        with app.app_context(), db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (ArgumentError, NoSuchModuleError, OperationalError, ImportError) as exc:
        # One line: libpq's messages come with an indented hint on a second line.
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        raise ConfigError("ARCHIVE_DATABASE_URL", f"cannot open the database ({reason})") from None


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # type: ignore[no-untyped-def]
    """Foreign keys on (SQLite ignores them by default) and WAL for concurrent readers."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # Deleted rows are overwritten, not left in free pages: yesterday's salt and
    # visitor hashes (archive/stats) must not survive on disk once deleted.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


@event.listens_for(Engine, "before_cursor_execute", retval=True)
def _replace_nul_characters(  # type: ignore[no-untyped-def]
    connection, cursor, statement, parameters, context, executemany
):
    """Every bound text value without NUL: PostgreSQL refuses it, SQLite would keep it.

    A slug, filter or e-mail address with a NUL then simply matches nothing, and
    text written with one keeps a visible U+FFFD in its place, on both databases.
    """
    return statement, _without_nul(parameters)


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", NUL_REPLACEMENT) if "\x00" in value else value
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_without_nul(item) for item in value)
    return value


def alembic_config() -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(revision: str = "head") -> None:
    """Create or upgrade the current app's database to ``revision``."""
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
