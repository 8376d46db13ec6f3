"""Fixtures for search: indexed items and an editor to change them."""

from __future__ import annotations

from datetime import date

import pytest

from archive import search
from archive.editorial import tags_named
from archive.models import Campaign, Editor, Story, db


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


WORDS = """
kinderen school juf huisarts buren zorgen melding vertrouwenspersoon pleegouders
geslagen slaan sloeg verdriet angst hulp veilig thuis gesprek luisteren
""".split()  # noqa: SIM905


def _transcript(number: int) -> str:
    cues = []
    for second in range(0, 300, 10):
        words = " ".join(WORDS[(number + second + k) % len(WORDS)] for k in range(7))
        voice = "Daan" if second % 20 else "Mila"
        cues.append(
            f"00:{second // 60:02d}:{second % 60:02d}.000 --> "
            f"00:{(second + 10) // 60:02d}:{(second + 10) % 60:02d}.000\n<v {voice}>{words}."
        )
    return "WEBVTT\n\n" + "\n\n".join(cues) + "\n"


@pytest.fixture
def archive_content(make_story, make_episode) -> None:
    """40 stories, a draft, a scheduled story and 4 transcribed episodes on 19 words."""
    for number in range(40):
        text = " ".join(WORDS[(number * 3 + k) % len(WORDS)] for k in range(60))
        make_story(
            f"verhaal-{number}", body=f"{text}\n\nVerhaal {number} over {WORDS[number % 19]}."
        )
    make_story("concept", state="draft", body="geheim concept over school")
    make_story("straks", state="scheduled", body="pas morgen over school")
    for number in range(4):
        make_episode(f"aflevering-{number}", transcript_vtt=_transcript(number))


@pytest.fixture
def campaign(ctx: None) -> Campaign:
    """The 2021 edition of the Week (``week-2021``), with no items yet."""
    edition = Campaign(
        slug="week-2021", name="Week 2021", year=2021,
        starts_on=date(2021, 11, 15), ends_on=date(2021, 11, 21),
    )  # fmt: skip
    db.session.add(edition)
    db.session.commit()
    return edition
