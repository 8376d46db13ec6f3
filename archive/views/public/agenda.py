"""The agenda: what is coming and what has been, each event's page and the calendars."""

from __future__ import annotations

from flask import Response, abort, render_template
from sqlalchemy import select

from ... import agenda, localtime
from ...models import Campaign, Event, db
from ...text import render_markdown
from . import bp, calendars, seo


def _entries() -> list[agenda.Entry]:
    entries = [
        agenda.Entry(
            kind="event",
            slug=event.slug,
            title=event.title,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            all_day=event.all_day,
            where=event.where,
            cancelled=event.is_cancelled,
            is_demo=event.is_demo,
        )
        for event in db.session.scalars(select(Event))
    ]
    for campaign in Campaign.editions():
        start, end = agenda.all_day_span(campaign.starts_on, campaign.ends_on)
        entries.append(
            agenda.Entry(
                kind="campaign",
                slug=campaign.slug,
                title=campaign.name,
                starts_at=start,
                ends_at=end,
                all_day=True,
                where=campaign.location or "Landelijk",
                is_demo=campaign.is_demo,
            )
        )
    return entries


def get_event(slug: str) -> Event:
    return db.session.scalar(select(Event).where(Event.slug == slug)) or abort(404)


@bp.get("/agenda")
def agenda_page() -> str:
    coming, been = agenda.split(_entries(), localtime.today())
    return render_template("public/agenda.html", coming=coming, been=been)


@bp.get("/agenda/<slug>")
def event(slug: str) -> str:
    item = get_event(slug)
    return render_template(
        "public/event.html",
        event=item,
        when=agenda.when_label(item.starts_at, item.ends_at, item.all_day),
        description=render_markdown(item.description),
        meta=seo.for_event(item),
    )


@bp.get("/agenda/<slug>.ics")
def event_ics(slug: str) -> Response:
    item = get_event(slug)
    return calendars.download([calendars.event_item(item)], item.slug)


@bp.get("/agenda.ics")
def agenda_ics() -> Response:
    """Every event and campaign week, to subscribe to (``webcal://``); cancelled ones stay."""
    items = [calendars.event_item(e) for e in db.session.scalars(select(Event).order_by(Event.id))]
    items += [calendars.campaign_item(c) for c in Campaign.editions()]
    return calendars.download(items, "agenda", name="Week tegen Kindermishandeling: agenda")
