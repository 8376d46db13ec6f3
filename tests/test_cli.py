"""The CLI commands, with a temporary database and directories."""

from pathlib import Path

from sqlalchemy import func, select

from archive.models import Campaign, Editor, Episode, Show, Story, Tag, db


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_create_editor_reads_password_from_environment(runner, ctx, monkeypatch):
    monkeypatch.setenv("ARCHIVE_EDITOR_PASSWORD", "geheim-en-lang-genoeg")
    result = runner.invoke(args=["create-editor", "Redactie@Example.org", "--admin"])
    assert result.exit_code == 0, result.output
    editor = db.session.scalar(select(Editor))
    assert editor.email == "redactie@example.org"
    assert editor.role == "admin"
    assert editor.check_password("geheim-en-lang-genoeg")


def test_create_editor_asks_for_password_and_resets_an_existing_one(runner, ctx):
    first = runner.invoke(args=["create-editor", "a@example.org"], input="wachtwoord-1\n" * 2)
    second = runner.invoke(args=["create-editor", "a@example.org"], input="wachtwoord-2\n" * 2)
    assert first.exit_code == 0 and "Created" in first.output
    assert second.exit_code == 0 and "Updated" in second.output
    editors = db.session.scalars(select(Editor)).all()
    assert len(editors) == 1
    assert editors[0].role == "editor"
    assert editors[0].check_password("wachtwoord-2")


def test_create_editor_refuses_short_password_and_bad_email(runner, ctx, monkeypatch):
    monkeypatch.setenv("ARCHIVE_EDITOR_PASSWORD", "kort")
    assert runner.invoke(args=["create-editor", "a@example.org"]).exit_code != 0
    assert runner.invoke(args=["create-editor", "geen-adres"]).exit_code != 0
    assert db.session.scalar(select(func.count(Editor.id))) == 0


def counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Campaign, Show, Story, Episode, Tag)
    }


def test_load_demo_gives_campaign_stories_and_episodes_with_audio(demo, app):
    assert demo.starts_on.isoformat() == "2021-11-15"
    assert demo.ends_on.isoformat() == "2021-11-21"
    assert demo.theme == "… dichterbij dan je denkt"
    assert counts()["Story"] >= 8
    perspectives = set(db.session.scalars(select(Story.perspective)).all())
    assert {"professional", "parent", "child", "survivor"} <= perspectives
    episodes = db.session.scalars(select(Episode)).all()
    assert len(episodes) >= 3
    media = Path(app.config["MEDIA_DIR"])
    for episode in episodes:
        assert episode.is_demo and episode.is_public
        audio = media / episode.audio_path
        assert audio.stat().st_size == episode.audio_size
        assert episode.audio_mime == "audio/mpeg"
        assert 10 < episode.duration < 120
        assert episode.transcript_vtt.startswith("WEBVTT")
        assert len(episode.chapters) >= 2


def test_load_demo_twice_gives_the_same_content(runner, demo):
    before = counts()
    result = runner.invoke(args=["load-demo"])
    assert result.exit_code == 0
    assert "nothing added" in result.output
    assert counts() == before


def test_load_demo_keeps_editor_changes_and_adds_only_what_is_missing(runner, demo):
    story = db.session.scalar(select(Story).where(Story.slug == "de-juf-die-doorvroeg"))
    story.title = "Door de redactie aangepast"
    gone = db.session.scalar(select(Story).where(Story.slug == "voor-mijn-broertje"))
    db.session.delete(gone)
    db.session.commit()
    result = runner.invoke(args=["load-demo"])
    assert result.exit_code == 0
    assert result.output.strip() == "Added story voor-mijn-broertje."
    db.session.expire_all()
    assert db.session.get(Story, story.id).title == "Door de redactie aangepast"


STORY = """---
title: Een geïmporteerd verhaal
slug: geimporteerd
summary: Kort.
author: Sanne (pseudoniem)
perspective: parent
tags: [school, Thuis]
campaign: 2021
status: published
published_at: 2021-11-16 09:00
---
De tekst van het verhaal.
"""


def test_import_creates_then_updates_story_by_slug(runner, demo, tmp_path):
    path = write(tmp_path / "verhaal.md", STORY)
    first = runner.invoke(args=["import", str(path)])
    assert first.exit_code == 0, first.output
    assert "nieuw verhaal /verhalen/geimporteerd" in first.output
    write(path, STORY.replace("Een geïmporteerd verhaal", "Nieuwe titel"))
    second = runner.invoke(args=["import", str(path)])
    assert "verhaal bijgewerkt" in second.output
    story = db.session.scalar(select(Story).where(Story.slug == "geimporteerd"))
    db.session.refresh(story)
    assert story.title == "Nieuwe titel"
    assert story.campaign == demo
    assert [tag.slug for tag in story.tags] == ["school", "thuis"]
    assert story.is_public
    assert story.published_at.isoformat() == "2021-11-16T09:00:00+00:00"


def test_import_reports_each_bad_file_and_goes_on(runner, ctx, tmp_path):
    good = write(tmp_path / "a-goed.md", STORY.replace("campaign: 2021\n", ""))
    bad = {
        "b-geen-titel.md": "---\nslug: x\n---\nTekst\n",
        "c-kapotte-yaml.md": "---\ntitle: [onaf\n---\nTekst\n",
        "d-perspectief.md": "---\ntitle: T\nperspective: marsmannetje\n---\nTekst\n",
        "e-datum.md": "---\ntitle: T\npublished_at: gisteren\n---\nTekst\n",
        "f-campagne.md": "---\ntitle: T\ncampaign: 1999\n---\nTekst\n",
        "g-slug.md": "---\ntitle: T\nslug: Geen Slug!\n---\nTekst\n",
        "h-veld.md": "---\ntitle: T\nauteur: X\n---\nTekst\n",
        "i-leeg.md": "---\ntitle: T\n---\n",
    }
    for name, text in bad.items():
        write(tmp_path / name, text)
    (tmp_path / "j-binair.md").write_bytes(b"\xff\xfe\x00bad")
    (tmp_path / "k-plaatje.gif").write_bytes(b"GIF89a")
    result = runner.invoke(args=["import", str(tmp_path), str(tmp_path / "k-plaatje.gif")])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if ": GEWEIGERD: " in line]
    assert len(lines) == len(bad) + 2
    assert "titel" in result.output
    assert "marsmannetje" in result.output
    assert "geen geldige datum" in result.output
    assert "onbekend bestandstype" in result.output
    assert "1 imported" in result.output
    assert f"{good}: ok" in result.output
    assert db.session.scalar(select(func.count(Story.id))) == 1


def test_command_line_changes_are_in_the_history_with_their_actor(runner, demo, monkeypatch):
    from archive.models import AuditEvent

    monkeypatch.setenv("ARCHIVE_EDITOR_PASSWORD", "geheim-en-lang-genoeg")
    assert runner.invoke(args=["create-editor", "nieuw@example.org"]).exit_code == 0
    actors = dict(
        db.session.execute(
            select(AuditEvent.item_kind, AuditEvent.actor).where(AuditEvent.action != "changed")
        ).all()
    )
    assert actors == {
        "campaign": "demo",
        "event": "demo",
        "show": "demo",
        "story": "demo",
        "episode": "demo",
        "editor": "command_line",
    }


def test_changes_lists_the_log_and_prunes_nothing_recent(runner, demo):
    from archive.editorial import changelog

    listing = runner.invoke(args=["changes", "--limit", "3"])
    assert listing.exit_code == 0, listing.output
    lines = listing.output.splitlines()
    assert len([line for line in lines if line.strip()[:1].isdigit()]) == 3
    assert f"Last change: {changelog.last_id()}" in listing.output
    assert "Follower search@" in listing.output  # this node's index
    pruned = runner.invoke(args=["changes", "prune"])
    assert pruned.output.strip() == "Pruned 0 changes."
    assert runner.invoke(args=["changes", "forget", "onbekend"]).exit_code == 1


def test_import_cuts_long_titles_and_names_to_their_columns_at_a_word(runner, ctx, tmp_path):
    title = "Een heel lang verhaal " * 12
    write(tmp_path / "lang.md", f"---\ntitle: {title}\nauthor: {'A' * 121}\n---\nTekst\n")
    result = runner.invoke(args=["import", str(tmp_path / "lang.md")])
    assert result.exit_code == 0, result.output
    story = db.session.scalars(select(Story)).one()
    assert len(story.title) <= 200 and story.title.endswith("verhaal")
    assert story.author_name == "A" * 120
