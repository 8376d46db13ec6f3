"""Campaigns, shows and agenda events from YAML files (what ``flask export`` writes).

``<slug>.campaign.yaml``, ``<slug>.show.yaml`` (with its artwork beside it)
and ``<slug>.event.yaml``. A campaign or event with an existing slug is
updated; a show with an existing slug is left as it is.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from .. import editorial
from ..models import EVENT_PLACES, Campaign, Event, Show, db
from .common import (
    ImportRefused,
    Outcome,
    check_choice,
    check_unknown,
    find_campaign,
    parse_datetime,
    read_yaml,
)

CAMPAIGN_FIELDS: tuple[str, ...] = (
    "slug",
    "name",
    "theme",
    "starts_on",
    "ends_on",
    "location",
    "introduction",
    "is_demo",
)
SHOW_FIELDS: tuple[str, ...] = (
    "slug",
    "guid",
    "title",
    "description",
    "author",
    "owner_name",
    "owner_email",
    "language",
    "category",
    "subcategory",
    "explicit",
    "copyright",
    "old_feed_url",
    "new_feed_url",
    "is_demo",
    "artwork",
    "hosts",
)
EVENT_FIELDS: tuple[str, ...] = (
    "slug",
    "uid",
    "title",
    "starts_at",
    "ends_at",
    "all_day",
    "place_kind",
    "place",
    "online_url",
    "organiser",
    "registration_url",
    "description",
    "campaign",
    "cancelled",
    "is_demo",
)


def _required(meta: dict[str, Any], *names: str) -> None:
    missing = [name for name in names if meta.get(name) in (None, "")]
    if missing:
        raise ImportRefused(f"verplichte velden ontbreken: {', '.join(missing)}")


def _day(value: Any, name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ImportRefused(f"{name} {value!r} is geen geldige datum") from None


def import_campaign(path: Path) -> Outcome:
    meta = read_yaml(path)
    check_unknown(meta, CAMPAIGN_FIELDS, path.name)
    _required(meta, "slug", "name", "starts_on", "ends_on")
    values = {**meta, "starts_on": _day(meta["starts_on"], "starts_on")}
    values["ends_on"] = _day(meta["ends_on"], "ends_on")
    existing = db.session.scalar(select(Campaign.id).where(Campaign.slug == meta["slug"]))
    campaign = editorial.save_campaign(existing, values, editorial.IMPORT)
    verb = "nieuwe editie" if existing is None else "editie bijgewerkt"
    return Outcome(path, True, f"{verb} {campaign.slug}")


def import_show(path: Path) -> Outcome:
    meta = read_yaml(path)
    check_unknown(meta, SHOW_FIELDS, path.name)
    _required(meta, "slug", "title")
    if db.session.scalar(select(Show.id).where(Show.slug == meta["slug"])) is not None:
        return Outcome(path, True, f"ongewijzigd: podcast {meta['slug']} bestaat al")
    values = {key: value for key, value in meta.items() if key != "artwork"}
    artwork = None
    if meta.get("artwork"):
        artwork_path = path.parent / Path(str(meta["artwork"])).name
        if not artwork_path.is_file():
            raise ImportRefused(f"artwork {artwork_path.name} ontbreekt")
        artwork = artwork_path.read_bytes()
    show = editorial.create_show(values, artwork, editorial.IMPORT)
    return Outcome(path, True, f"nieuwe podcast {show.slug}")


def import_event(path: Path) -> Outcome:
    meta = read_yaml(path)
    check_unknown(meta, EVENT_FIELDS, path.name)
    _required(meta, "slug", "title", "starts_at", "ends_at")
    check_choice("place_kind", meta.get("place_kind"), EVENT_PLACES)
    campaign = find_campaign(meta.get("campaign"))
    values = {key: meta[key] for key in EVENT_FIELDS if key in meta}
    values.pop("campaign", None)
    values.pop("cancelled", None)
    values |= {
        "starts_at": parse_datetime(meta["starts_at"]),
        "ends_at": parse_datetime(meta["ends_at"]),
        "campaign_id": campaign.id if campaign else None,
    }
    existing = db.session.scalar(select(Event.id).where(Event.slug == meta["slug"]))
    event = editorial.save_event(existing, values, editorial.IMPORT)
    if meta.get("cancelled") and event.cancelled_at is None:
        editorial.cancel_event(event.id, str(meta["cancelled"]), editorial.IMPORT)
    verb = "nieuwe activiteit" if existing is None else "activiteit bijgewerkt"
    return Outcome(path, True, f"{verb} {event.slug}")
