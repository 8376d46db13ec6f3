"""Campaign weeks and agenda events as calendar items, and .ics responses."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from flask import Response, request, url_for

from ...localtime import to_local
from ...models import Campaign, Event
from ...text import plain_text
from .ical import CalendarItem, calendar


def _uid(local: str) -> str:
    return f"{local}@{request.host.split(':')[0]}"


def _plain(markdown: str) -> str:
    return " ".join(plain_text(markdown).split())


def campaign_item(item: Campaign) -> CalendarItem:
    """The week as an all-day item (the same UID as the first .ics files had)."""
    introduction = _plain(item.introduction)
    return CalendarItem(
        uid=_uid(f"campagne-{item.slug}"),
        summary=item.name,
        stamp=item.updated_at or item.created_at,
        start=item.starts_on,
        end=item.ends_on + timedelta(days=1),
        description=f"Thema: {item.theme}\n\n{introduction}" if item.theme else introduction,
        location=item.location,
        url=url_for("public.campaign", slug=item.slug, _external=True),
    )


def event_item(event: Event) -> CalendarItem:
    """An event; all-day ones by their local dates, timed ones in Dutch local time."""
    parts = [_plain(event.description)]
    if event.is_cancelled:
        parts.insert(0, f"Gaat niet door. {event.cancelled_message}".strip())
    if event.registration_url:
        parts.append(f"Aanmelden: {event.registration_url}")
    if event.place_kind == "online" and event.online_url:
        parts.append(f"Online: {event.online_url}")
    start, end = to_local(event.starts_at), to_local(event.ends_at)
    assert start is not None and end is not None
    return CalendarItem(
        uid=_uid(f"agenda-{event.uid}"),
        summary=f"Gaat niet door: {event.title}" if event.is_cancelled else event.title,
        stamp=event.updated_at or event.created_at,
        start=start.date() if event.all_day else start,
        end=end.date() if event.all_day else end,
        sequence=event.version,
        description="\n\n".join(part for part in parts if part),
        location=event.where,
        url=url_for("public.event", slug=event.slug, _external=True),
        cancelled=event.is_cancelled,
    )


def download(items: Iterable[CalendarItem], filename: str, name: str = "") -> Response:
    """An .ics response; ``name`` makes it a subscribable calendar with a title."""
    response = Response(calendar(items, name), content_type="text/calendar; charset=utf-8")
    disposition = "inline" if name else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}.ics"'
    return response
