"""Every test gets a fresh app on a temporary database, media and index directory."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from archive import create_app, database
from archive.models import Campaign, Episode, Show, Story, db, utcnow

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_config(tmp_path: Path) -> dict:
    media = tmp_path / "media"
    index = tmp_path / "index"
    media.mkdir(exist_ok=True)
    index.mkdir(exist_ok=True)
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'archive.sqlite'}",
        "MEDIA_DIR": str(media),
        "INDEX_DIR": str(index),
    }


@pytest.fixture
def app_config(tmp_path: Path) -> dict:
    return make_config(tmp_path)


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
