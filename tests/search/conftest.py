"""Fixtures for search: indexed items and an editor to change them."""

from __future__ import annotations

import pytest

from archive import search
from archive.editorial import tags_named
from archive.models import Editor, Story, db


@pytest.fixture
def editor(ctx: None) -> Editor:
    editor = Editor(email="redactie@example.org", display_name="Redactie")
    editor.set_password("een-goed-wachtwoord")
    db.session.add(editor)
    db.session.commit()
    return editor


@pytest.fixture
def index_dir(app, ctx: None) -> str:
    return app.config["INDEX_DIR"]


@pytest.fixture
def indexed_story(make_story):
    """Factory: a story saved and indexed (``tags`` by name)."""

    def make(slug: str, state: str = "public", tags: tuple[str, ...] = (), **fields) -> Story:
        story = make_story(slug, state=state, **fields)
        if tags:
            story.tags = tags_named(list(tags))
            db.session.commit()
        assert search.update_item(story)
        return story

    return make


@pytest.fixture
def indexed_episode(make_episode):
    def make(slug: str, state: str = "public", **fields):
        episode = make_episode(slug, state=state, **fields)
        assert search.update_item(episode)
        return episode

    return make


def slugs(results) -> list[str]:
    return [hit.slug for hit in results.hits]
