"""Editors at the same moment, for real: parallel requests to gunicorn's worker processes.

Each round starts its requests together (a barrier) so that both are inside
the server at once. Every round must end without a server error and without
losing anybody's input.
"""

from __future__ import annotations

import threading
from collections import Counter
from functools import partial
from pathlib import Path

import pytest
from live import Browser, serve
from sqlalchemy import func, select

from archive.models import Episode, Story, Tag, db

from .conftest import PASSWORD, make_editor

ROUNDS = 20
AUDIO = Path(__file__).resolve().parents[1] / "fixtures" / "audio" / "cbr.mp3"


def at_once(*calls):
    """Run the calls in parallel threads released together; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as error:  # reported by the test
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def story_form(browser: Browser, story_id: int, **changes) -> dict:
    page = browser.page(f"/beheer/verhalen/{story_id}")
    version = page.split('name="version"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    data = {
        "title": f"Verhaal {story_id}",
        "slug": "",
        "author_name": "Anoniem",
        "summary": "",
        "body": "Tekst.",
        "perspective": "",
        "tags": "",
        "campaign_id": "0",
        "content_note": "",
        "publication": "draft",
        "scheduled_at": "",
        "embargo_until": "",
        "version": version,
        "save": "Opslaan",
    }
    return {**data, **changes}


@pytest.fixture
def editors(app, app_config, ctx, show):
    for email in ("a@example.org", "b@example.org"):
        make_editor(email)
    with serve(app_config) as base:
        browsers = [Browser(base), Browser(base)]
        browsers[0].log_in("a@example.org", PASSWORD)
        browsers[1].log_in("b@example.org", PASSWORD)
        yield browsers


def test_two_editors_adding_the_same_new_tag_at_once(editors, make_story):
    one, two = make_story("een", state="draft"), make_story("twee", state="draft")
    statuses: Counter = Counter()
    for number in range(ROUNDS):
        tag = f"Nieuw onderwerp {number}"
        forms = [story_form(editors[0], one.id, tags=tag), story_form(editors[1], two.id, tags=tag)]
        responses = at_once(
            partial(editors[0].submit, f"/beheer/verhalen/{one.id}", forms[0]),
            partial(editors[1].submit, f"/beheer/verhalen/{two.id}", forms[1]),
        )
        statuses.update(response.status_code for response in responses)
        db.session.expire_all()
        slug = f"nieuw-onderwerp-{number}"
        assert db.session.scalar(select(func.count(Tag.id)).where(Tag.slug == slug)) == 1
        for story in (one, two):
            assert slug in [tag.slug for tag in db.session.get(Story, story.id).tags], number
    assert statuses == {302: 2 * ROUNDS}, statuses


def test_two_uploads_with_the_same_file_name_at_once(editors, app):
    data = AUDIO.read_bytes()
    statuses: Counter = Counter()
    for browser in editors:
        browser.page("/beheer/afleveringen/nieuw")
    for number in range(ROUNDS):
        name = f"gesprek-{number}.mp3"
        upload = {"audio": (name, data, "audio/mpeg")}
        responses = at_once(
            *(partial(b.submit, "/beheer/afleveringen/nieuw", {}, files=upload) for b in editors)
        )
        statuses.update(response.status_code for response in responses)
        db.session.expire_all()
        slugs = db.session.scalars(
            select(Episode.slug).where(Episode.slug.like(f"gesprek-{number}%")).order_by(Episode.id)
        ).all()
        assert sorted(slugs) == [f"gesprek-{number}", f"gesprek-{number}-2"], slugs
    assert statuses == {302: 2 * ROUNDS}, statuses
    stored = {p.name for p in Path(app.config["MEDIA_DIR"]).iterdir()}
    files = db.session.scalars(select(Episode.audio_path)).all()
    assert len(files) == 2 * ROUNDS and set(files) <= stored
    assert not [name for name in stored if name.startswith(".upload-")]


def test_two_editors_saving_the_same_story_at_once_lose_nothing(editors, make_story):
    story = make_story("samen", state="draft")
    statuses: Counter = Counter()
    for number in range(ROUNDS):
        forms = [
            story_form(editors[0], story.id, body=f"A{number}"),
            story_form(editors[1], story.id, body=f"B{number}"),
        ]
        responses = at_once(
            *(partial(editors[i].submit, f"/beheer/verhalen/{story.id}", forms[i]) for i in (0, 1))
        )
        codes = [response.status_code for response in responses]
        statuses.update(codes)
        assert sorted(codes) == [302, 409], codes  # one wins; the other is told, not overwritten
        winner, loser = ("A", "B") if codes[0] == 302 else ("B", "A")
        refused = responses[1 if winner == "A" else 0].text
        assert f"{loser}{number}</textarea>" in refused  # the loser's input is still in the form
        db.session.expire_all()
        assert db.session.get(Story, story.id).body == f"{winner}{number}"
    assert statuses == {302: ROUNDS, 409: ROUNDS}, statuses
