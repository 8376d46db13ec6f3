"""Editions (campaigns) and agenda events: created, changed and cancelled by editors.

Events carry a version like stories and episodes (an edit against an older
version is a conflict) and go into the change log, so whatever follows it
(caches, other nodes) sees them. A cancelled event is kept, with its message:
calendars show it as cancelled instead of letting it vanish.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from ..models import EVENT_PLACES, Campaign, Event, db, slug_is_taken, suggest_slug, utcnow
from ..text import clean_line
from .content import SlugTaken
from .unit import Actor, EditorialError, ItemGone, Unit, bump, check_version, run

#: Event field -> longest length (single-line text).
EVENT_LINES: dict[str, int] = {
    "title": 200,
    "place": 200,
    "organiser": 200,
    "online_url": 500,
    "registration_url": 500,
}
#: A new event before the editor's values (column defaults only apply at INSERT).
NEW_EVENT: dict[str, Any] = {
    "all_day": False,
    "place_kind": "national",
    "place": "",
    "online_url": "",
    "organiser": "",
    "description": "",
    "registration_url": "",
    "cancelled_message": "",
}
#: Campaign field -> longest length (single-line text).
CAMPAIGN_LINES: dict[str, int] = {"name": 200, "theme": 200, "location": 200}


def _web_address(value: str, field: str) -> str:
    """An http(s) address or ""; anything else (``javascript:``) is refused."""
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EditorialError(
            "Vul een webadres in dat begint met https:// (of http://).",
            f"bad url in {field}: {value!r}",
            field=field,
        )
    return value


def _choose_slug(item: Event | Campaign, wanted: str | None, title: str) -> None:
    model = type(item)
    if wanted:
        if slug_is_taken(model, wanted, item.id):  # type: ignore[arg-type]
            raise SlugTaken(wanted, suggest_slug(model, wanted, item.id))  # type: ignore[arg-type]
        item.slug = wanted
    elif not item.slug:
        item.slug = suggest_slug(model, title or "activiteit", item.id)  # type: ignore[arg-type]


def _apply_event(event: Event, values: Mapping[str, Any]) -> None:
    for name, length in EVENT_LINES.items():
        if name in values:
            setattr(event, name, clean_line(values[name] or "", length))
    for name in ("starts_at", "ends_at", "all_day", "place_kind", "description", "campaign_id"):
        if name in values:
            setattr(event, name, values[name])
    if "is_demo" in values:
        event.is_demo = bool(values["is_demo"])
    if values.get("uid") and event.id is None:  # a calendar UID kept through export and import
        event.uid = clean_line(str(values["uid"]), 36)
    event.online_url = _web_address(event.online_url, "online_url")
    event.registration_url = _web_address(event.registration_url, "registration_url")
    if not event.title:
        raise EditorialError("Een titel is verplicht.", "empty title", field="title")
    if event.place_kind not in EVENT_PLACES:
        raise EditorialError("Kies waar het is.", f"place {event.place_kind!r}", field="place_kind")
    if event.place_kind == "place" and not event.place:
        raise EditorialError("Vul de plaats in.", "place missing", field="place")
    if not isinstance(event.starts_at, datetime) or not isinstance(event.ends_at, datetime):
        raise EditorialError("Vul het begin en het einde in.", "times missing", field="starts_at")
    if event.ends_at <= event.starts_at:
        raise EditorialError("Het einde moet na het begin liggen.", "ends first", field="ends_at")
    if event.campaign_id is not None and db.session.get(Campaign, event.campaign_id) is None:
        raise EditorialError(
            "Die editie bestaat niet (meer).", "campaign gone", field="campaign_id"
        )
    _choose_slug(event, values.get("slug") or None, event.title)


def _load_event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        raise ItemGone("Deze activiteit bestaat niet (meer).", f"event {event_id} not found")
    return event


def save_event(
    event_id: int | None, values: Mapping[str, Any], who: Actor | Any, *, version: int | None = None
) -> Event:
    """Create (``event_id`` None) or change an event; an older ``version`` is a conflict."""

    def work(unit: Unit) -> Event:
        event = _load_event(event_id) if event_id is not None else Event(**NEW_EVENT)
        if event_id is not None:
            unit.subject = ("event", event_id)
            check_version(event, version)
        with db.session.no_autoflush:
            _apply_event(event, values)
        bump(event)
        db.session.add(event)
        db.session.flush()
        unit.changed(event, "created" if event_id is None else "changed")
        return event

    return run(work, who)


def cancel_event(
    event_id: int, message: str, who: Actor | Any, *, version: int | None = None
) -> Event:
    """Mark an event as not going ahead, with a message for visitors."""

    def work(unit: Unit) -> Event:
        event = _load_event(event_id)
        unit.subject = ("event", event_id)
        check_version(event, version)
        event.cancelled_at = utcnow()
        event.cancelled_message = clean_line(message or "", 500)
        bump(event)
        db.session.flush()
        unit.changed(event, "cancelled", event.cancelled_message)
        return event

    return run(work, who)


def _apply_campaign(campaign: Campaign, values: Mapping[str, Any]) -> None:
    for name, length in CAMPAIGN_LINES.items():
        if name in values:
            setattr(campaign, name, clean_line(values[name] or "", length))
    for name in ("starts_on", "ends_on", "introduction"):
        if name in values:
            setattr(campaign, name, values[name])
    if "is_demo" in values:
        campaign.is_demo = bool(values["is_demo"])
    if not campaign.name:
        raise EditorialError("Een naam is verplicht.", "empty name", field="name")
    if not isinstance(campaign.starts_on, date) or not isinstance(campaign.ends_on, date):
        raise EditorialError("Vul de eerste en laatste dag in.", "dates missing", field="starts_on")
    if campaign.ends_on < campaign.starts_on:
        raise EditorialError(
            "De laatste dag kan niet voor de eerste liggen.", "ends first", field="ends_on"
        )
    campaign.year = campaign.starts_on.year
    _choose_slug(campaign, values.get("slug") or None, campaign.name)


def save_campaign(campaign_id: int | None, values: Mapping[str, Any], who: Actor | Any) -> Campaign:
    """Create or change an edition of the Week (its name, theme, dates, introduction)."""

    def work(unit: Unit) -> Campaign:
        campaign = (
            db.session.get(Campaign, campaign_id)
            if campaign_id is not None
            else Campaign(theme="", location="", introduction="")
        )
        if campaign is None:
            raise ItemGone("Deze editie bestaat niet (meer).", f"campaign {campaign_id} not found")
        old_slug = campaign.slug
        with db.session.no_autoflush:
            _apply_campaign(campaign, values)
        db.session.add(campaign)
        db.session.flush()
        unit.record("campaign", campaign.id, "created" if campaign_id is None else "changed")
        if campaign_id is not None and campaign.slug != old_slug:
            # Stories and episodes carry the edition's slug (search filters on it):
            # their followers must see them again.
            for item in [*campaign.stories, *campaign.episodes]:
                unit.changed(item, "campaign_changed", campaign.slug)
        return campaign

    return run(work, who)
