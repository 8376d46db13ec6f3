"""The podcast: the episode list and the episode page (player, chapters, transcript)."""

from __future__ import annotations

from urllib.parse import quote

from flask import abort, current_app, render_template, request, url_for
from sqlalchemy import select

from ... import stats
from ...models import PERSPECTIVES, Campaign, Episode, Story, db
from ...text import render_markdown
from ...turns import sections
from .. import params
from ..delivery import RequestUrls
from . import bp, queries, seo

#: Podcast apps' subscribe links, built from the feed URL (label, template).
#: ``{feed}`` is the full URL, ``{bare}`` the URL without its scheme, ``{quoted}`` encoded.
SUBSCRIBE_LINKS: list[tuple[str, str]] = [
    ("Apple Podcasts", "podcast://{bare}"),
    ("AntennaPod", "antennapod-subscribe://{bare}"),
    ("Pocket Casts", "pktc://subscribe/{bare}"),
    ("Overcast", "overcast://x-callback-url/add?url={quoted}"),
    ("Podcast Addict", "podcastaddict://{bare}"),
    ("Andere app (pcast)", "pcast://{bare}"),
]


def subscription() -> dict | None:
    """The main feed's URL and the podcast apps' links to it, or None without a show."""
    show = queries.default_show()
    if show is None:
        return None
    feed = RequestUrls(current_app.config.get("BASE_URL"), show.id).show_feed(show)
    bare = feed.split("://", 1)[-1]
    values = {"feed": feed, "bare": bare, "quoted": quote(feed, safe="")}
    apps = [(label, template.format(**values)) for label, template in SUBSCRIBE_LINKS]
    return {"show": show, "feed": feed, "apps": apps}


@bp.get("/podcast")
def podcast() -> str:
    """Every public episode, newest first; ``?campagne=`` keeps one edition's."""
    query = queries.public(Episode)
    edition = db.session.scalar(
        select(Campaign).where(Campaign.slug == request.args.get("campagne", ""))
    )
    if edition is not None:
        query = query.where(Episode.campaign_id == edition.id)
    page = db.paginate(query, page=params.PAGE.or_404(request.args), per_page=queries.PER_PAGE)
    return render_template(
        "public/podcast.html",
        page=page,
        edition=edition,
        subscription=subscription(),
        meta=seo.for_show(queries.default_show()),
    )


@bp.get("/podcast/<slug>")
def episode(slug: str) -> str:
    item = queries.public_by_slug(Episode, slug) or abort(404)
    stats.recorder().page_view("view", item.id)
    return render_episode(item)


def audio_url(episode: Episode, preview: bool) -> str | None:
    if not episode.audio_path:
        return None
    if preview:  # the public media URL refuses drafts
        return url_for("editor.episode_audio_preview", episode_id=episode.id)
    return url_for("delivery.media", name=episode.audio_path)


def embedding(episode: Episode) -> dict[str, str]:
    """The "Insluiten" box's code and the oEmbed discovery link of a public episode."""
    links = seo.urls()
    src = links.page("public.embed", slug=episode.slug)
    page = links.episode_page(episode)
    return {
        "embed_code": seo.embed_code(src, episode.title),
        "oembed_url": url_for("public.oembed", url=page, format="json"),
    }


def render_episode(episode: Episode, preview: bool = False) -> str:
    """The episode page; ``preview=True`` shows a draft to editors with a banner."""
    cues = episode.spoken_cues(labelled=True)
    chapters = sorted(episode.chapters or [], key=lambda c: float(c.get("start") or 0))
    return render_template(
        "public/episode.html",
        episode=episode,
        audio_url=audio_url(episode, preview),
        show_notes=render_markdown(episode.show_notes),
        perspective=PERSPECTIVES.get(episode.perspective or ""),
        chapters=chapters,
        cues=cues,
        transcript_sections=sections(cues, chapters),
        related_stories=queries.related(Story, episode.related_stories, episode.tags),
        related_episodes=queries.related(Episode, [], episode.tags, exclude=episode),
        subscription=subscription(),
        preview=preview,
        meta=seo.for_episode(episode, has_transcript=bool(cues)),
        **({} if preview else embedding(episode)),
    )
