"""What search engines read first: ``robots.txt`` and ``sitemap.xml`` (public pages only)."""

from __future__ import annotations

from datetime import datetime

from flask import Response, render_template
from sqlalchemy import select

from ...models import Campaign, Episode, Event, Story, db
from . import bp, queries, seo

#: Pages without an item of their own that belong in the sitemap.
SITEMAP_PAGES = (
    "public.home",
    "public.stories",
    "public.podcast",
    "public.campaigns",
    "public.agenda_page",
    "public.help",
    "public.safe_browsing",
)


@bp.get("/robots.txt")
def robots() -> Response:
    lines = [
        "User-agent: *",
        "Disallow: /beheer",
        "",
        f"Sitemap: {seo.urls().page('public.sitemap')}",
    ]
    return Response("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _entries() -> list[tuple[str, datetime | None]]:
    links = seo.urls()
    entries: list[tuple[str, datetime | None]] = [(links.page(e), None) for e in SITEMAP_PAGES]
    for story in db.session.scalars(queries.public(Story)):
        entries.append((links.story_page(story), story.updated_at))
    for episode in db.session.scalars(queries.public(Episode)):
        entries.append((links.episode_page(episode), episode.updated_at))
    for campaign in Campaign.editions():
        entries.append((links.page("public.campaign", slug=campaign.slug), campaign.updated_at))
    for event in db.session.scalars(select(Event).order_by(Event.starts_at)):
        entries.append((links.page("public.event", slug=event.slug), event.updated_at))
    return entries


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    body = render_template("public/sitemap.xml", entries=_entries())
    return Response(body, content_type="application/xml; charset=utf-8")
