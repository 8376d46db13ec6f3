"""Ingestion: attach_audio fills a new episode from its tags; `flask import` takes audio files."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from archive.audio import AudioError
from archive.ingest import Attached, attach_audio
from archive.models import AuditEvent, Episode, db, suggest_slug
from archive.storage import media_store

AUDIO = Path(__file__).resolve().parent / "fixtures" / "audio"


def media(app) -> list[str]:
    return sorted(p.name for p in Path(app.config["MEDIA_DIR"]).iterdir())


def new_episode(show, **fields) -> Episode:
    """A flushed episode without audio or title: the tags may fill it."""
    fields.setdefault("slug", suggest_slug(Episode, "opname"))
    episode = Episode(show=show, title="", version=1, **fields)
    db.session.add(episode)
    db.session.flush()
    return episode


def attach(episode: Episode, fixture: str, new: bool = True) -> Attached:
    store = media_store()
    with store.stage_audio(io.BytesIO((AUDIO / fixture).read_bytes())) as staged:
        return attach_audio(episode, staged, store, fill_from_file=new)


def test_new_episode_is_filled_from_the_tags(app, show):
    episode = new_episode(show)
    attached = attach(episode, "cover-chapters.mp3")
    assert attached.previous is None
    assert sorted(attached.written) == sorted([episode.audio_path, episode.artwork_path])
    assert episode.title == "Testaflevering"
    assert episode.summary == "Shownotes van de testaflevering."
    assert episode.show_notes == "Shownotes van de testaflevering."
    assert episode.number == 7
    assert episode.audio_mime == "audio/mpeg"
    assert episode.audio_size == (AUDIO / "cover-chapters.mp3").stat().st_size
    assert episode.duration == pytest.approx(8.42, rel=0.01)
    assert episode.chapters == [
        {"start": 0.0, "title": "Stilte", "url": None},
        {"start": 1.5, "title": "Welkom", "url": "https://example.org/welkom"},
        {"start": 3.5, "title": "Tweede zin", "url": None},
    ]
    assert episode.artwork_path.startswith(f"{episode.id}-cover-")
    assert episode.artwork_path.endswith(".jpg")
    assert media(app) == sorted([episode.audio_path, episode.artwork_path])


def test_an_empty_field_is_filled_but_a_value_is_kept(show):
    titled = new_episode(show, slug="eigen", summary="Eigen samenvatting")
    titled.title = "Eigen titel"
    attach(titled, "id3v24.mp3")
    assert (titled.title, titled.summary) == ("Eigen titel", "Eigen samenvatting")
    assert titled.number == 7


@pytest.mark.parametrize("fixture", ["cover-chapters.m4a", "picture.flac", "vorbis.ogg"])
def test_every_format_fills_the_same_fields(show, fixture):
    episode = new_episode(show)
    attach(episode, fixture)
    assert (episode.title, episode.number) == ("Testaflevering", 7)
    assert episode.summary == "Shownotes van de testaflevering."


@pytest.mark.parametrize(
    ("fixture", "note"),
    [
        ("cover-chapters.m4a", "niet vierkant (300×200 px)"),
        ("picture.flac", "64×64 px; podcastgidsen vragen 1400 tot 3000 px"),
    ],
)
def test_cover_art_that_directories_refuse_is_not_used(app, show, fixture, note):
    """The feed would publish it as itunes:image; the show's artwork stands in."""
    episode = new_episode(show)
    notes = attach(episode, fixture).notes
    assert episode.artwork_path is None
    assert media(app) == [episode.audio_path]
    assert any(note in line and "niet gebruikt" in line for line in notes)


def test_replacing_keeps_what_the_editor_made(app, show):
    episode = new_episode(show)
    attach(episode, "cover-chapters.mp3")
    episode.title, episode.number, episode.chapters = "Door redactie", 2, []
    old_audio, artwork = episode.audio_path, episode.artwork_path
    attached = attach(episode, "vorbis.ogg", new=False)
    assert attached.previous == old_audio and attached.written == [episode.audio_path]
    assert episode.audio_path != old_audio and episode.audio_path.endswith(".ogg")
    assert (episode.title, episode.number, episode.chapters) == ("Door redactie", 2, [])
    assert episode.artwork_path == artwork
    assert episode.audio_mime == "audio/ogg"
    assert old_audio in media(app)  # the caller deletes it after the commit


def test_bad_audio_leaves_the_episode_and_the_media_as_they_were(app, show):
    episode = new_episode(show)
    with pytest.raises(AudioError):
        attach(episode, "truncated-vbr.mp3")
    assert episode.audio_path is None and episode.title == ""
    assert media(app) == []


# `flask import`

SIDECAR = """\
---
title: Een aflevering uit de import
slug: uit-de-import
summary: Korte samenvatting.
tags: [school, import]
---
Dit zijn de **shownotes**.
"""


def copy(tmp_path: Path, fixture: str, name: str | None = None) -> Path:
    target = tmp_path / (name or fixture)
    shutil.copy(AUDIO / fixture, target)
    return target


def test_import_takes_good_files_and_reports_each_bad_one(runner, show, app, tmp_path):
    source = tmp_path / "bron"
    source.mkdir()
    for fixture in ["cbr.mp3", "opus.opus", "truncated-vbr.mp3", "text.mp3", "empty.mp3"]:
        copy(source, fixture)
    copy(source, "image.m4a", "plaatje.m4a")
    result = runner.invoke(args=["import", str(source)])
    assert result.exit_code == 1
    refused = [line for line in result.output.splitlines() if ": GEWEIGERD: " in line]
    assert len(refused) == 4
    assert "onvolledig" in result.output
    assert "geen audiobestand" in result.output
    assert "leeg" in result.output
    assert "2 imported, 4 refused." in result.output
    episodes = db.session.scalars(select(Episode).order_by(Episode.id)).all()
    assert [e.audio_mime for e in episodes] == ["audio/mpeg", "audio/opus"]
    assert all(e.status == "draft" for e in episodes)
    assert media(app) == sorted(e.audio_path for e in episodes)  # no temp files left


def test_import_uses_the_markdown_sidecar_and_transcript(runner, show, tmp_path):
    audio = copy(tmp_path, "id3v24.mp3", "aflevering.mp3")
    audio.with_suffix(".md").write_text(SIDECAR, encoding="utf-8")
    audio.with_suffix(".srt").write_text(
        "1\n00:00:01,500 --> 00:00:03,000\nWelkom bij de testaflevering.\n", encoding="utf-8"
    )
    result = runner.invoke(args=["import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "nieuwe aflevering /podcast/uit-de-import" in result.output
    assert "1 imported, 0 refused." in result.output  # the sidecar is not a story
    episode = db.session.scalars(select(Episode)).one()
    assert episode.title == "Een aflevering uit de import"
    assert episode.summary == "Korte samenvatting."
    assert episode.show_notes == "Dit zijn de **shownotes**."
    assert episode.number == 7  # from the tags: the sidecar did not say
    assert sorted(tag.name for tag in episode.tags) == ["import", "school"]
    assert "00:00:01.500 --> 00:00:03.000" in episode.transcript_vtt
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.actor, event.detail) == ("import", "aflevering.mp3")


def test_reimport_by_slug_replaces_the_audio_and_removes_the_old_file(runner, show, app, tmp_path):
    first = copy(tmp_path, "cbr.mp3", "aflevering.mp3")
    first.with_suffix(".yaml").write_text("slug: vaste-slug\ntitle: Vast\n", encoding="utf-8")
    assert runner.invoke(args=["import", str(first)]).exit_code == 0
    episode = db.session.scalars(select(Episode)).one()
    guid, old_name = episode.guid, episode.audio_path

    again = runner.invoke(args=["import", str(first)])
    assert "ongewijzigd" in again.output

    shutil.copy(AUDIO / "vbr-xing.mp3", first)
    replaced = runner.invoke(args=["import", str(first)])
    assert replaced.exit_code == 0, replaced.output
    assert "audio vervangen van /podcast/vaste-slug" in replaced.output
    db.session.expire_all()
    episode = db.session.scalars(select(Episode)).one()
    assert episode.guid == guid and episode.audio_path != old_name
    assert media(app) == [episode.audio_path]


def test_the_same_audio_is_not_imported_twice(runner, show, tmp_path):
    copy(tmp_path, "cbr.mp3", "een.mp3")
    copy(tmp_path, "cbr.mp3", "twee.mp3")
    result = runner.invoke(args=["import", str(tmp_path)])
    assert "twee.mp3: ok: ongewijzigd: /podcast/een heeft deze audio al" in result.output
    assert db.session.scalar(select(func.count(Episode.id))) == 1


def test_import_reports_cover_art_that_directories_refuse(runner, show, tmp_path):
    copy(tmp_path, "cover-chapters.m4a")
    result = runner.invoke(args=["import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "let op: omslag uit het bestand niet gebruikt: de omslagafbeelding is niet vierkant" in (
        result.output
    )


@pytest.mark.parametrize(
    ("sidecar", "message"),
    [
        ("title: T\nkleur: blauw\n", "onbekende velden"),
        ("title: [onaf\n", "geen geldige YAML"),
        ("slug: Geen Slug\n", "mag alleen kleine letters"),
        ("number: drie\n", "heel getal"),
        ("season: 100000\n", "hoogstens 99999"),
        ("number: 99999999999\n", "hoogstens 99999"),
        ("status: weg\n", "onbekende status"),
        ("campaign: 1999\n", "bestaat niet"),
    ],
)
def test_a_bad_sidecar_refuses_the_file_and_stores_nothing(
    runner, show, app, tmp_path, sidecar, message
):
    audio = copy(tmp_path, "cbr.mp3")
    audio.with_suffix(".yaml").write_text(sidecar, encoding="utf-8")
    result = runner.invoke(args=["import", str(audio)])
    assert result.exit_code == 1
    assert message in result.output
    assert db.session.scalar(select(func.count(Episode.id))) == 0
    assert media(app) == []


def test_a_long_file_name_gives_a_title_the_database_takes(runner, show, tmp_path):
    audio = copy(tmp_path, "cbr.mp3").rename(tmp_path / f"{'lang-' * 48}.mp3")
    result = runner.invoke(args=["import", str(audio)])
    assert result.exit_code == 0, result.output
    assert len(db.session.scalars(select(Episode)).one().title) <= 200


def test_import_without_a_podcast_says_what_to_do(runner, ctx, tmp_path):
    result = runner.invoke(args=["import", str(copy(tmp_path, "cbr.mp3"))])
    assert result.exit_code == 1
    assert "er is nog geen podcast" in result.output
