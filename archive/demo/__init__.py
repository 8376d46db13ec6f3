"""Demo content: the 2021 campaign, example stories and example episodes.

Everything here is written for the demonstration (not real testimonies) and is
marked ``is_demo`` in the data. :func:`load` is idempotent: it adds what is
missing, identified by slug, and never overwrites what is there, so editors'
changes to demo items survive a second run. Everything is written through
:mod:`archive.editorial` (actor "demo"), the same path as an editor's work.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from .. import editorial
from ..importing.common import parse_datetime, read_front_matter
from ..importing.stories import save_story, story_values
from ..models import Campaign, Episode, Show, Story, db

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
        campaign = editorial.create_campaign({**spec, "is_demo": True}, editorial.DEMO)
        report.append(f"Added campaign {campaign.name}.")
    return campaign


def _show(report: list[str]) -> Show:
    spec = _yaml(HERE / "show.yaml")
    artwork = spec.pop("artwork")
    show = db.session.scalar(select(Show).where(Show.slug == spec["slug"]))
    if show is None:
        values = {**spec, "is_demo": True}
        show = editorial.create_show(values, (HERE / artwork).read_bytes(), editorial.DEMO)
        report.append(f"Added podcast {show.title}.")
    return show


def _story(path: Path, report: list[str]) -> None:
    meta, body = read_front_matter(path)
    values = story_values(meta, body)
    if db.session.scalar(select(Story.id).where(Story.slug == values["slug"])):
        return
    save_story(values, editorial.DEMO, {"is_demo": True})
    report.append(f"Added story {values['slug']}.")


def _episode(spec_path: Path, show: Show, campaign: Campaign, report: list[str]) -> None:
    spec = _yaml(spec_path)
    if db.session.scalar(select(Episode.id).where(Episode.slug == spec["slug"])):
        return
    values = {
        "slug": spec["slug"],
        "title": spec["title"],
        "summary": spec["summary"],
        "show_notes": spec["show_notes"],
        "season": spec.get("season"),
        "number": spec.get("number"),
        "perspective": spec.get("perspective"),
        "content_note": spec.get("content_note", ""),
        "campaign_id": campaign.id if spec.get("campaign") == campaign.slug else None,
        "tags": spec.get("tags", []),
        "transcript_vtt": spec_path.with_suffix(".vtt").read_text(encoding="utf-8"),
        "is_demo": True,
    }
    at = parse_datetime(spec["published_at"])
    audio = spec_path.with_suffix(".mp3")
    with audio.open("rb") as stream:  # the same path as an editor's upload
        editorial.create_episode(
            stream,
            audio.name,
            editorial.DEMO,
            values,
            publication=editorial.Publication("at", at),
            show_id=show.id,
        )
    report.append(f"Added episode {spec['slug']}.")
