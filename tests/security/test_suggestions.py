"""Spelling suggestions ("Bedoelde je …?") only ever offer words of what is public now.

The review's case: ``kinderne OR toekomstgehiem`` was corrected to
``kinderen OR toekomstgeheim``, a word found only in a story scheduled for
later. Drafts, scheduled, withdrawn and deleted items must never lend a
word; publishing lends it at once, withdrawing takes it back at once, and
``flask check`` reports (and repairs) an index that still holds a
withdrawn item's words.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from archive import editorial, search
from archive.models import Story, db, utcnow

TYPED = "kinderne OR toekomstgehiem"
#: Only "kinderen" (public) may be corrected.
PUBLIC_ONLY = "kinderen OR toekomstgehiem"
#: What would reveal the unpublished word.
REVEALING = "kinderen OR toekomstgeheim"


def new_story(slug: str, body: str) -> Story:
    values = {"title": slug.capitalize(), "slug": slug, "body": body}
    return editorial.save("story", None, values, editorial.COMMAND_LINE)


def publish(story: Story, at: datetime | None = None) -> Story:
    return editorial.publish("story", story.id, editorial.COMMAND_LINE, at=at)


def suggestion(app: Flask, text: str = TYPED, now: datetime | None = None) -> str | None:
    return search.query(app.config["INDEX_DIR"], text, now=now).suggestion


@pytest.fixture
def public_story(ctx: None) -> Story:
    return publish(new_story("buiten", "De kinderen spelen buiten."))


@pytest.fixture
def secret(public_story: Story) -> Story:
    """A draft whose only unusual word is "toekomstgeheim"."""
    return new_story("geheim", "Over het toekomstgeheim van de stad.")


def test_a_draft_lends_no_word(app, secret) -> None:
    assert suggestion(app) == PUBLIC_ONLY


def test_a_scheduled_item_lends_its_words_only_from_its_moment(app, secret) -> None:
    publish(secret, at=utcnow() + timedelta(hours=2))
    assert suggestion(app) == PUBLIC_ONLY
    assert suggestion(app, now=utcnow() + timedelta(hours=3)) == REVEALING


def test_a_word_only_in_a_scheduled_item_is_not_known_either(app, secret) -> None:
    publish(secret, at=utcnow() + timedelta(hours=2))
    publish(new_story("openbaar", "Een toekomstgeheid en kinderen."))
    # Typed exactly, the scheduled word is not "known": it is corrected to a public one.
    assert suggestion(app, "toekomstgeheim") == "toekomstgeheid"


def test_publishing_makes_a_word_suggestible(app, secret) -> None:
    publish(secret)
    assert suggestion(app) == REVEALING


def test_withdrawing_takes_the_words_back_at_once(app, secret) -> None:
    publish(secret)
    editorial.withdraw("story", secret.id, "verteller wil het niet meer", editorial.COMMAND_LINE)
    assert suggestion(app) == PUBLIC_ONLY


def test_deleting_takes_the_words_back_at_once(app, secret) -> None:
    publish(secret)
    editorial.delete("story", secret.id, editorial.COMMAND_LINE)
    assert suggestion(app) == PUBLIC_ONLY


def test_check_reports_and_repairs_words_of_an_item_withdrawn_behind_its_back(
    app, runner: FlaskCliRunner, secret
) -> None:
    publish(secret)
    secret = db.session.get(Story, secret.id)
    secret.status = "draft"  # straight to the database, as a restored backup would leave it
    secret.version += 1
    db.session.commit()

    report = runner.invoke(args=["check"])
    assert report.exit_code == 1
    assert f"staat nog in de zoekindex: story {secret.slug}" in report.output

    repaired = runner.invoke(args=["check", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    assert suggestion(app) == PUBLIC_ONLY
    assert runner.invoke(args=["check"]).output.strip() == "0 found, 0 repaired."
