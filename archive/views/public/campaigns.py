"""The editions of the Week (one page each, and an overview) and the week as an .ics file."""

from __future__ import annotations

from flask import Response, abort, render_template
from sqlalchemy import select

from ... import agenda
from ...models import Campaign, Episode, Story, db
from ...text import render_markdown
from . import bp, calendars, queries, seo


def get_campaign(slug: str) -> Campaign:
    return db.session.scalar(select(Campaign).where(Campaign.slug == slug)) or abort(404)


@bp.get("/campagnes")
def campaigns() -> str:
    """Every edition, newest first, with its theme, dates and how much belongs to it."""
    return render_template(
        "public/campaigns.html",
        editions=Campaign.editions(),
        story_counts=queries.public_counts(Story),
        episode_counts=queries.public_counts(Episode),
    )


@bp.get("/campagne/<slug>")
def campaign(slug: str) -> str:
    item = get_campaign(slug)
    stories = db.session.scalars(queries.public(Story).where(Story.campaign_id == item.id))
    episodes = db.session.scalars(queries.public(Episode).where(Episode.campaign_id == item.id))
    return render_template(
        "public/campaign.html",
        campaign=item,
        when=agenda.when_label(*agenda.all_day_span(item.starts_on, item.ends_on), all_day=True),
        introduction=render_markdown(item.introduction),
        stories=list(stories),
        episodes=list(episodes),
        events=item.events,
        meta=seo.for_campaign(item),
    )


@bp.get("/campagne/<slug>/week.ics")
def campaign_ics(slug: str) -> Response:
    """The week as one all-day calendar event."""
    item = get_campaign(slug)
    return calendars.download([calendars.campaign_item(item)], item.slug)
