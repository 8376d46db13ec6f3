"""Campaign pages (one per edition of the Week) and the week as an .ics file."""

from __future__ import annotations

from flask import Response, abort, render_template, request, url_for
from sqlalchemy import select

from ...models import Campaign, Episode, Story, db
from ...text import plain_text, render_markdown
from . import bp, ical, queries


def get_campaign(slug: str) -> Campaign:
    return db.session.scalar(select(Campaign).where(Campaign.slug == slug)) or abort(404)


@bp.get("/campagne/<slug>")
def campaign(slug: str) -> str:
    item = get_campaign(slug)
    stories = db.session.scalars(queries.public(Story).where(Story.campaign_id == item.id))
    episodes = db.session.scalars(queries.public(Episode).where(Episode.campaign_id == item.id))
    return render_template(
        "public/campaign.html",
        campaign=item,
        introduction=render_markdown(item.introduction),
        stories=list(stories),
        episodes=list(episodes),
    )


@bp.get("/campagne/<slug>/week.ics")
def campaign_ics(slug: str) -> Response:
    """The week as one all-day calendar event."""
    item = get_campaign(slug)
    page = url_for("public.campaign", slug=item.slug, _external=True)
    introduction = " ".join(plain_text(item.introduction).split())
    description = f"Thema: {item.theme}\n\n{introduction}" if item.theme else introduction
    body = ical.week_event(
        uid=f"campagne-{item.slug}@{request.host.split(':')[0]}",
        summary=item.name,
        starts_on=item.starts_on,
        ends_on=item.ends_on,
        stamp=item.updated_at or item.created_at,
        description=description,
        location=item.location,
        url=page,
    )
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{item.slug}.ics"'
    return response
