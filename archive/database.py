"""The database: engine setup, start-up check and Alembic migrations.

``init-db`` runs :func:`upgrade`, which creates a new database or brings an
existing one to the latest revision; every model change comes with a migration
in ``archive/migrations/versions``.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from .errors import ConfigError
from .models import db

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def init_app(app: Flask) -> None:
    """Attach SQLAlchemy to ``app`` and check that the database can be opened."""
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
    cursor.close()


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
