"""`flask check`: drift between the database and the media files."""

import os
import time
from pathlib import Path

from sqlalchemy import select

from archive.models import Episode, Show, db


def media(app) -> Path:
    return Path(app.config["MEDIA_DIR"])


def test_check_is_clean_after_load_demo(runner, demo):
    result = runner.invoke(args=["check", "--deep"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "0 found, 0 repaired."


def test_check_reports_missing_and_changed_audio(runner, demo, app):
    first, second, third, *_ = db.session.scalars(select(Episode).order_by(Episode.id)).all()
    (media(app) / first.audio_path).unlink()
    with (media(app) / second.audio_path).open("ab") as handle:
        handle.write(b"extra")
    data = bytearray((media(app) / third.audio_path).read_bytes())
    data[-100] ^= 0xFF  # same size, other content
    (media(app) / third.audio_path).write_bytes(bytes(data))

    shallow = runner.invoke(args=["check"])
    assert shallow.exit_code == 1
    assert f"audiobestand ontbreekt: aflevering {first.slug}" in shallow.output
    assert f"audiobestand heeft een andere grootte: aflevering {second.slug}" in shallow.output
    assert third.slug not in shallow.output
    deep = runner.invoke(args=["check", "--deep"])
    assert f"audiobestand heeft andere inhoud: aflevering {third.slug}" in deep.output


def test_deep_check_compares_artwork_with_the_hash_in_its_name(runner, demo, app):
    show = db.session.scalars(select(Show)).one()
    data = bytearray((media(app) / show.artwork_path).read_bytes())
    data[-10] ^= 0xFF
    (media(app) / show.artwork_path).write_bytes(bytes(data))
    assert runner.invoke(args=["check"]).exit_code == 0
    deep = runner.invoke(args=["check", "--deep"])
    assert deep.exit_code == 1
    assert f"artwork heeft andere inhoud: podcast {show.slug}" in deep.output


def test_check_repairs_orphans_and_old_temp_files_but_not_fresh_uploads(runner, demo, app):
    orphan = media(app) / "99-abcdef123456.mp3"
    orphan.write_bytes(b"x")
    stale = media(app) / ".upload-stale"
    stale.write_bytes(b"x")
    old = time.time() - 7 * 3600
    os.utime(stale, (old, old))
    fresh = media(app) / ".upload-busy"
    fresh.write_bytes(b"x")

    report = runner.invoke(args=["check"])
    assert report.exit_code == 1
    assert "bestand zonder aflevering: 99-abcdef123456.mp3" in report.output
    assert "achtergebleven tijdelijk bestand: .upload-stale" in report.output
    assert ".upload-busy" not in report.output
    assert orphan.exists() and stale.exists()

    repaired = runner.invoke(args=["check", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    assert "(hersteld)" in repaired.output
    assert not orphan.exists() and not stale.exists() and fresh.exists()


def _search(app, text: str) -> list[str]:
    from archive import search

    return [hit.slug for hit in search.query(app.config["INDEX_DIR"], text).hits]


def test_check_finds_index_drift_and_repairs_it(runner, demo, app):
    """Edits the index never saw (a restore, another app node) are found and caught up."""
    from archive import editorial, search
    from archive.models import Story

    stories = db.session.scalars(select(Story).order_by(Story.id)).all()
    changed, withdrawn, lost = stories[0], stories[1], stories[2]
    # Saved as on another app node: this process's index does not follow it.
    followers = app.extensions["archive.change_followers"]
    saved, followers[:] = list(followers), []
    editorial.save("story", changed.id, {"title": "Zonnebloemveld"}, editorial.COMMAND_LINE)
    followers[:] = saved
    # Straight to the database, as a restored backup would leave it:
    withdrawn.status = "draft"
    withdrawn.version += 1
    db.session.commit()
    search.remove_item("story", lost.id)

    report = runner.invoke(args=["check"])
    assert report.exit_code == 1
    assert "zoekindex loopt achter op het wijzigingslog" in report.output
    assert f"zoekindex loopt achter: story {changed.slug}" in report.output
    assert f"staat nog in de zoekindex: story {withdrawn.slug}" in report.output
    assert f"ontbreekt in de zoekindex: story {lost.slug}" in report.output
    assert _search(app, "zonnebloemveld") == []

    repaired = runner.invoke(args=["check", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    assert _search(app, "zonnebloemveld") == [changed.slug]
    assert runner.invoke(args=["check"]).output.strip() == "0 found, 0 repaired."


def test_check_removes_deleted_items_from_the_index(runner, demo, app):
    from archive.models import Story

    story = db.session.scalars(select(Story).order_by(Story.id)).first()
    slug, word = story.slug, story.title.split()[-1]
    assert slug in _search(app, word)
    db.session.delete(story)  # without the editors' area, so the index never hears of it
    db.session.commit()

    report = runner.invoke(args=["check", "--repair"])
    assert f"verwijderd item staat nog in de zoekindex: story:{story.id} (hersteld)" in (
        report.output
    )
    assert slug not in _search(app, word)


def test_an_index_from_an_older_version_is_reported_and_rebuilt(runner, demo, app):
    """After an upgrade that adds index fields, the follower refuses the old index
    (its documents would not fit) and `flask check --repair` rebuilds it."""
    import pytest
    from whoosh import index

    from archive import editorial, search
    from archive.models import Story
    from archive.search.documents import make_schema

    store = search.index_store()
    old_schema = make_schema()
    old_schema.remove("speakers")  # as the index was before speakers were indexed
    old = store.root / "gen-0-old"
    old.mkdir()
    index.create_in(str(old), old_schema)
    store.swap(old)
    assert not search.schema_is_current()

    story = db.session.scalars(select(Story).order_by(Story.id)).first()
    followers = app.extensions["archive.change_followers"]
    saved, followers[:] = list(followers), []
    editorial.save("story", story.id, {"title": "Zonnebloemveld"}, editorial.COMMAND_LINE)
    followers[:] = saved
    with pytest.raises(search.OutdatedIndex):
        search.follow()

    report = runner.invoke(args=["check"])
    assert report.exit_code == 1
    assert "zoekindex heeft een ouder schema (draai flask reindex)" in report.output
    repaired = runner.invoke(args=["check", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    assert "(hersteld)" in repaired.output
    assert search.schema_is_current()
    assert _search(app, "zonnebloemveld") == [story.slug]
    assert runner.invoke(args=["check"]).output.strip() == "0 found, 0 repaired."
