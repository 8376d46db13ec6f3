"""``flask export``, read back by ``flask import`` into an empty instance: nothing is lost."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, fresh_database, make_config
from flask import Flask
from sqlalchemy import select

from archive import create_app, database
from archive.models import Episode, Event, Story, db

#: Public addresses compared between the two instances (besides each item's page).
PAGES = (
    "/",
    "/verhalen",
    "/podcast",
    "/campagnes",
    "/agenda",
    "/agenda.ics",
    "/podcast/feed.xml",
    "/verhalen/feed.xml",
)
#: What may differ between two instances: the moment each row was written.
VOLATILE = (
    re.compile(rb"<lastBuildDate>[^<]*</lastBuildDate>"),
    re.compile(rb"<updated>[^<]*</updated>"),
    re.compile(rb"DTSTAMP:[0-9TZ]+"),
    re.compile(rb"LAST-MODIFIED:[0-9TZ]+"),
    re.compile(rb'"dateModified": "[^"]*"'),
    re.compile(rb'<meta property="article:modified_time" content="[^"]*">'),
)

EXTRA_EPISODE = """\
title: Met hoofdstukken en omslag
slug: met-hoofdstukken
explicit: true
episode_type: bonus
status: published
published_at: 2021-11-20T10:00:00+00:00
"""


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator[Flask]:
    """A second instance with its own empty database, media and index."""
    folder = tmp_path / "other"
    folder.mkdir()
    with fresh_database(folder) as url:
        other = create_app(make_config(folder, url))
        with other.app_context():
            database.upgrade()
        yield other
        with other.app_context():
            db.engine.dispose()


def _files(manifest: dict) -> dict:
    return {name: entry["sha256"] for name, entry in manifest["files"].items()}


def _public(app: Flask) -> dict[str, bytes]:
    with app.app_context():
        paths = list(PAGES)
        paths += [f"/verhalen/{slug}" for slug in db.session.scalars(select(Story.slug))]
        paths += [f"/podcast/{slug}" for slug in db.session.scalars(select(Episode.slug))]
        paths += [f"/agenda/{slug}" for slug in db.session.scalars(select(Event.slug))]
    client = app.test_client()
    pages = {}
    for path in sorted(paths):
        response = client.get(path)
        body = response.data
        for pattern in VOLATILE:
            body = pattern.sub(b"", body)
        pages[path] = (response.status_code, body)
    return pages


def test_export_then_import_into_an_empty_instance_gives_the_same_archive(
    app, runner, demo, empty_app, tmp_path
):
    audio = tmp_path / "extra" / "met-hoofdstukken.mp3"
    audio.parent.mkdir()
    audio.write_bytes((FIXTURES / "audio" / "cover-chapters.mp3").read_bytes())
    audio.with_suffix(".yaml").write_text(EXTRA_EPISODE, encoding="utf-8")
    assert runner.invoke(args=["import", str(audio)]).exit_code == 0

    started = time.monotonic()
    first = runner.invoke(args=["export", str(tmp_path / "first")])
    assert first.exit_code == 0, first.output
    with empty_app.app_context():  # the CLI runs in the current app's context
        imported = empty_app.test_cli_runner().invoke(args=["import", str(tmp_path / "first")])
        assert imported.exit_code == 0, imported.output
        assert "GEWEIGERD" not in imported.output
        second = empty_app.test_cli_runner().invoke(args=["export", str(tmp_path / "second")])
        assert second.exit_code == 0, second.output
    elapsed = time.monotonic() - started

    manifests = [
        json.loads((tmp_path / name / "manifest.json").read_text()) for name in ("first", "second")
    ]
    assert _files(manifests[0]) == _files(manifests[1])
    names = set(manifests[0]["files"])
    assert {
        "episodes/005-met-hoofdstukken.chapters.json",  # after the four of the demo
        "agenda/002-lancering-podcast.event.yaml",
    } <= names
    assert any(name.startswith("shows/dichterbij.") and name.endswith(".jpg") for name in names)
    pages, restored = _public(app), _public(empty_app)
    assert sorted(pages) == sorted(restored)
    assert [path for path in pages if pages[path] != restored[path]] == []
    with empty_app.app_context():
        episode = db.session.scalar(select(Episode).where(Episode.slug == "met-hoofdstukken"))
        assert episode.explicit and episode.episode_type == "bonus" and episode.chapters
        assert episode.artwork_path
    size = sum(entry["size"] for entry in manifests[0]["files"].values())
    print(f"round trip: {len(names)} files, {size} bytes, {elapsed:.1f} s; {first.output.strip()}")


def test_export_refuses_a_folder_that_is_not_empty(runner, ctx, tmp_path):
    (tmp_path / "vol").mkdir()
    (tmp_path / "vol" / "iets").write_text("x")
    result = runner.invoke(args=["export", str(tmp_path / "vol")])
    assert result.exit_code == 1
    assert "not empty" in result.output


def test_export_stops_with_a_clear_message_when_a_media_file_is_missing(
    app, runner, demo, tmp_path
):
    with app.app_context():
        name = db.session.scalars(select(Episode.audio_path)).first()
    (Path(app.config["MEDIA_DIR"]) / name).unlink()
    result = runner.invoke(args=["export", str(tmp_path / "uit")])
    assert result.exit_code == 1
    assert "a media file is missing" in result.output and name in result.output
