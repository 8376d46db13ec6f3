"""Demo content: the 2021 campaign, example stories and example episodes.

Everything here is written for the demonstration (not real testimonies) and is
marked ``is_demo`` in the data. :func:`load` is idempotent: it adds what is
missing, identified by slug, and never overwrites what is there, so editors'
changes to demo items survive a second run.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from ..importer import after_save, apply_story, parse_datetime, read_front_matter, story_values
from ..ingest import attach_audio, new_files
from ..models import Campaign, Episode, Show, Story, db, get_or_create_tags
from ..storage import media_store

HERE = Path(__file__).resolve().parent


def _yaml(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load() -> list[str]:
    """Add the demo content that is missing; returns one line per thing done."""
    report: list[str] = []
    campaign = _campaign(report)
    show = _show(report)
    for path in sorted((HERE / "stories").glob("*.md")):
        _story(path, report)
    for path in sorted((HERE / "episodes").glob("*.yaml")):
        _episode(path, show, campaign, report)
    if not report:
        report.append("Demo content is already complete; nothing added.")
    return report


def _campaign(report: list[str]) -> Campaign:
    spec = _yaml(HERE / "campaign.yaml")
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == spec["slug"]))
    if campaign is None:
        campaign = Campaign(**spec, is_demo=True)
        db.session.add(campaign)
        db.session.commit()
        report.append(f"Added campaign {campaign.name}.")
    return campaign


def _show(report: list[str]) -> Show:
    spec = _yaml(HERE / "show.yaml")
    artwork = spec.pop("artwork")
    show = db.session.scalar(select(Show).where(Show.slug == spec["slug"]))
    if show is None:
        data = (HERE / artwork).read_bytes()
        name = f"show-{spec['slug']}-{hashlib.sha256(data).hexdigest()[:12]}.jpg"
        store = media_store()
        store.save_bytes(data, name)
        show = Show(**spec, artwork_path=name, is_demo=True)
        db.session.add(show)
        try:
            db.session.commit()
        except Exception:
            db.session.rollback()
            store.delete(name)
            raise
        report.append(f"Added podcast {show.title}.")
    return show


def _story(path: Path, report: list[str]) -> None:
    meta, body = read_front_matter(path)
    values = story_values(meta, body)
    if db.session.scalar(select(Story.id).where(Story.slug == values["slug"])):
        return
    story = Story(slug=values["slug"], is_demo=True)
    db.session.add(story)
    apply_story(story, values)
    db.session.commit()
    after_save(story)
    report.append(f"Added story {story.slug}.")


def _episode(spec_path: Path, show: Show, campaign: Campaign, report: list[str]) -> None:
    spec = _yaml(spec_path)
    if db.session.scalar(select(Episode.id).where(Episode.slug == spec["slug"])):
        return
    episode = Episode(
        show=show,
        slug=spec["slug"],
        title=spec["title"],
        summary=spec["summary"],
        show_notes=spec["show_notes"],
        season=spec.get("season"),
        number=spec.get("number"),
        perspective=spec.get("perspective"),
        content_note=spec.get("content_note", ""),
        campaign=campaign if spec.get("campaign") == campaign.slug else None,
        tags=get_or_create_tags(spec.get("tags", [])),
        transcript_vtt=spec_path.with_suffix(".vtt").read_text(encoding="utf-8"),
        is_demo=True,
    )
    db.session.add(episode)
    db.session.flush()  # the id goes into the audio file's name
    store = media_store()
    written: list[str] = []
    try:
        with spec_path.with_suffix(".mp3").open("rb") as audio:
            attach_audio(episode, audio, store)  # the same path as an editor's upload
        written = new_files(episode, None)
        episode.publish(parse_datetime(spec["published_at"]))
        db.session.commit()
    except Exception:
        db.session.rollback()
        store.discard(written)
        raise
    after_save(episode)
    report.append(f"Added episode {episode.slug}.")
