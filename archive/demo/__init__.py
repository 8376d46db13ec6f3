"""Demo content: two editions, example stories, episodes and agenda events.

Everything here is written for the demonstration (not real testimonies) and is
marked ``is_demo`` in the data. :func:`load` is idempotent: it adds what is
missing, identified by slug, and never overwrites what is there, so editors'
changes to demo items survive a second run. Everything is written through
:mod:`archive.editorial` (actor "demo"), the same path as an editor's work.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from .. import editorial
from ..importing.common import parse_datetime, read_front_matter
from ..importing.stories import save_story, story_values
from ..localtime import from_local, local_midnight
from ..models import Campaign, Episode, Event, Show, Story, db

HERE = Path(__file__).resolve().parent


def _yaml(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load() -> list[str]:
    """Add the demo content that is missing; returns one line per thing done."""
    report: list[str] = []
    editions = [_campaign(path, report) for path in sorted((HERE / "campaigns").glob("*.yaml"))]
    campaigns = {campaign.slug: campaign for campaign in editions}
    show = _show(report)
    for path in sorted((HERE / "stories").glob("*.md")):
        _story(path, report)
    for path in sorted((HERE / "episodes").glob("*.yaml")):
        _episode(path, show, campaigns, report)
    for spec in _yaml(HERE / "agenda.yaml"):
        _event(spec, campaigns, report)
    if not report:
        report.append("Demo content is already complete; nothing added.")
    return report


def _campaign(path: Path, report: list[str]) -> Campaign:
    spec = _yaml(path)
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == spec["slug"]))
    if campaign is None:
        campaign = editorial.save_campaign(None, {**spec, "is_demo": True}, editorial.DEMO)
        report.append(f"Added campaign {campaign.name}.")
    return campaign


def _moment(value: Any) -> tuple[datetime, bool]:
    """A YAML date (all day) or naive local date-time, as UTC, and whether it is a date."""
    if isinstance(value, datetime):
        return from_local(value), False  # type: ignore[return-value]
    if isinstance(value, date):
        return local_midnight(value), True
    return from_local(datetime.fromisoformat(str(value))), False  # type: ignore[return-value]


def _event(spec: dict[str, Any], campaigns: dict[str, Campaign], report: list[str]) -> None:
    if db.session.scalar(select(Event.id).where(Event.slug == spec["slug"])):
        return
    starts_at, all_day = _moment(spec["starts"])
    ends_at, _ = _moment(spec["ends"])
    if all_day:
        ends_at = local_midnight(spec["ends"] + timedelta(days=1))
    campaign = campaigns.get(spec.get("campaign", ""))
    values = {
        key: spec.get(key, "")
        for key in ("slug", "title", "place", "online_url", "organiser", "registration_url")
    }
    values |= {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "all_day": all_day,
        "place_kind": spec.get("place_kind", "national"),
        "description": spec.get("description", ""),
        "campaign_id": campaign.id if campaign else None,
        "is_demo": True,
    }
    event = editorial.save_event(None, values, editorial.DEMO)
    if spec.get("cancelled"):
        editorial.cancel_event(event.id, spec["cancelled"], editorial.DEMO)
    report.append(f"Added event {spec['slug']}.")


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


def _episode(
    spec_path: Path, show: Show, campaigns: dict[str, Campaign], report: list[str]
) -> None:
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
        "campaign_id": campaigns[spec["campaign"]].id if spec.get("campaign") else None,
        "tags": spec.get("tags", []),
        "transcript_vtt": spec_path.with_suffix(".vtt").read_text(encoding="utf-8"),
        "is_demo": True,
    }
    at = parse_datetime(spec["published_at"])
    audio = spec_path.with_suffix(".mp3")
    with audio.open("rb") as stream:  # the same path as an editor's upload
        made = editorial.create_episode(
            stream,
            audio.name,
            editorial.DEMO,
            values,
            publication=editorial.Publication("at", at),
            show_id=show.id,
        )
    if spec.get("persons"):
        editorial.save_persons(made.episode.id, spec["persons"], editorial.DEMO)
    report.append(f"Added episode {spec['slug']}.")
