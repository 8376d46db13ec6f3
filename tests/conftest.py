"""Every test gets a fresh app on a temporary database, media and index directory.

The database is a new SQLite file, or, when ``ARCHIVE_TEST_DATABASE_URL`` names a
PostgreSQL database (``postgresql://postgres@127.0.0.1:5432/test``), a new schema
of its own in that database, dropped after the test.

Property tests run under a hypothesis profile: ``ci`` (the default, and what
``make test`` and ``.ci/run`` use) is deterministic, so the suite gives the same
result on every run; ``HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``) draws many more
random examples and keeps failures in ``.hypothesis/`` to replay them. A failure
fuzzing finds becomes an ``@example`` on its test.
"""

from __future__ import annotations

import os
import secrets
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import settings
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from archive import create_app, database
from archive.config import database_url
from archive.models import Campaign, Episode, Show, Story, db, utcnow

FIXTURES = Path(__file__).resolve().parent / "fixtures"

settings.register_profile(
    "ci", derandomize=True, max_examples=100, database=None, deadline=None, print_blob=True
)
settings.register_profile("fuzz", max_examples=2_000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: The PostgreSQL database the tests run on instead of SQLite, when set.
TEST_DATABASE_URL = database_url(os.environ.get("ARCHIVE_TEST_DATABASE_URL") or "") or None
ON_POSTGRES = TEST_DATABASE_URL is not None
#: Every PostgreSQL connection the apps under test open (see ``_close_leftovers``).
_CONNECTIONS: weakref.WeakSet = weakref.WeakSet()


def pytest_report_header() -> str:
    if TEST_DATABASE_URL is None:
        return "database: SQLite (set ARCHIVE_TEST_DATABASE_URL for PostgreSQL)"
    url = make_url(TEST_DATABASE_URL).render_as_string(hide_password=True)
    return f"database: {url} (a schema per test)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker and ON_POSTGRES:
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {marker.args[0]}"))


@contextmanager
def fresh_database(tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database for one app, removed afterwards.

    On PostgreSQL this is a schema named ``t_<random>``; the URL's ``options``
    put it first on the ``search_path``, so the migrations create every table,
    and Alembic's version table, inside it. Every app on the URL must dispose of
    its engine before the schema is dropped (the ``app`` fixture does).
    """
    if TEST_DATABASE_URL is None:
        yield f"sqlite:///{tmp_path / 'archive.sqlite'}"
        return
    schema = f"t_{secrets.token_hex(6)}"
    admin = create_engine(TEST_DATABASE_URL, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        url = make_url(TEST_DATABASE_URL)
        options = f"{url.query.get('options', '')} -csearch_path={schema}".strip()
        yield url.update_query_dict({"options": options}).render_as_string(hide_password=False)
    finally:
        _close_leftovers(schema)
        with admin.begin() as connection:
            # A connection left open in a transaction would make DROP wait forever.
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@event.listens_for(Engine, "connect")
def _remember_connection(dbapi_connection, connection_record) -> None:  # type: ignore[no-untyped-def]
    if type(dbapi_connection).__module__.startswith("psycopg"):
        _CONNECTIONS.add(dbapi_connection)


def _close_leftovers(schema: str) -> None:
    """Close what an app on ``schema`` left open (a test failed before it disposed).

    Otherwise the connection would hold its locks against ``DROP SCHEMA`` and, once
    garbage-collected, fail some later test with psycopg's ResourceWarning.
    """
    for connection in list(_CONNECTIONS):
        if not connection.closed and f"search_path={schema}" in connection.info.options:
            connection.close()


def make_config(tmp_path: Path, url: str) -> dict:
    """Test settings: database ``url`` (see :func:`fresh_database`), folders in ``tmp_path``."""
    media = tmp_path / "media"
    index = tmp_path / "index"
    media.mkdir(exist_ok=True)
    index.mkdir(exist_ok=True)
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "MEDIA_DIR": str(media),
        "INDEX_DIR": str(index),
    }


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    with fresh_database(tmp_path) as url:
        yield url


@pytest.fixture
def app_config(tmp_path: Path, fresh_database_url: str) -> dict:
    return make_config(tmp_path, fresh_database_url)


@pytest.fixture
def app(app_config: dict) -> Iterator[Flask]:
    app = create_app(app_config)
    with app.app_context():
        database.upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An application context for tests that use the models directly."""
    with app.app_context():
        yield


@pytest.fixture
def show(ctx: None) -> Show:
    show = Show(slug="testshow", title="Testpodcast", author="Redactie")
    db.session.add(show)
    db.session.commit()
    return show


@pytest.fixture
def make_story(ctx: None):
    """Factory: ``make_story("slug", state="public"|"draft"|"scheduled", **fields)``."""

    def make(slug: str, state: str = "public", **fields) -> Story:
        fields.setdefault("title", slug.replace("-", " ").capitalize())
        fields.setdefault("body", "Een verhaal.")
        story = Story(slug=slug, **fields)
        _set_state(story, state)
        db.session.add(story)
        db.session.commit()
        return story

    return make


@pytest.fixture
def make_episode(show: Show):
    """Factory for episodes without audio (for tests that need rows, not files)."""

    def make(slug: str, state: str = "public", **fields) -> Episode:
        fields.setdefault("title", slug.replace("-", " ").capitalize())
        episode = Episode(slug=slug, show=show, **fields)
        _set_state(episode, state)
        db.session.add(episode)
        db.session.commit()
        return episode

    return make


def _set_state(item: Story | Episode, state: str) -> None:
    now = utcnow()
    if state == "public":
        item.publish(now - timedelta(hours=1))
    elif state == "scheduled":
        item.publish(now + timedelta(days=1))
    elif state != "draft":
        raise ValueError(state)


@pytest.fixture
def demo(runner: FlaskCliRunner, ctx: None) -> Campaign:
    """The demo content, loaded through the real CLI command."""
    result = runner.invoke(args=["load-demo"])
    assert result.exit_code == 0, result.output
    return db.session.query(Campaign).filter_by(slug="week-2021").one()
