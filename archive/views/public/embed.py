"""The embeddable player and oEmbed: partner sites put an episode on their own page.

``/podcast/<slug>/insluiten`` is the only page another site may show in a
frame (``frame-ancestors *``; see :mod:`archive.security`). It sets no cookie,
loads nothing from elsewhere and keeps the help line. ``/oembed`` answers
content systems that embed by pasting the episode's address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, abort, current_app, jsonify, render_template, request
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from ...models import Episode
from .. import params
from . import bp, queries, seo
from .podcast import audio_url

#: oEmbed's ``maxwidth``/``maxheight`` shrink the frame, down to a size that still works.
MAX_WIDTH = params.WholeNumberParam("maxwidth", seo.EMBED_WIDTH, 280, seo.EMBED_WIDTH)
MAX_HEIGHT = params.WholeNumberParam("maxheight", seo.EMBED_HEIGHT, 200, seo.EMBED_HEIGHT)
PROVIDER_NAME = "Week tegen Kindermishandeling"


@bp.get("/podcast/<slug>/insluiten")
def embed(slug: str) -> str:
    episode = queries.public_by_slug(Episode, slug) or abort(404)
    return render_template(
        "public/embed.html",
        episode=episode,
        audio_url=audio_url(episode, preview=False),
        chapters=sorted(episode.chapters or [], key=lambda c: float(c.get("start") or 0)),
        cues=episode.spoken_cues(labelled=True),
        page_url=seo.urls().episode_page(episode),
        description=seo.for_episode(episode, has_transcript=False).description,
        embedded=True,
    )


def _episode_for(url: str) -> Episode | None:
    """The public episode a pasted address points to (its page or its player), if any."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != request.host:
        return None
    adapter = current_app.url_map.bind(request.host, script_name=request.script_root or None)
    path = parts.path
    if request.script_root and path.startswith(request.script_root):
        path = path[len(request.script_root) :]
    try:
        endpoint, values = adapter.match(path, method="GET")
    except (NotFound, MethodNotAllowed, RequestRedirect):
        return None
    if endpoint not in ("public.episode", "public.embed"):
        return None
    return queries.public_by_slug(Episode, values["slug"])


@bp.get("/oembed")
def oembed() -> Response | tuple[str, int]:
    """oEmbed 1.0 (JSON, type ``rich``) for an episode's address; 404 for anything else."""
    if request.args.get("format", "json") != "json":
        return "Alleen JSON wordt ondersteund.", 501
    episode = _episode_for(request.args.get("url", ""))
    if episode is None:
        return "Voor dit adres is geen speler beschikbaar.", 404
    links = seo.urls()
    width = MAX_WIDTH.clamped(request.args)
    height = MAX_HEIGHT.clamped(request.args)
    src = links.page("public.embed", slug=episode.slug)
    data = {
        "version": "1.0",
        "type": "rich",
        "title": episode.title,
        "provider_name": PROVIDER_NAME,
        "provider_url": links.website(),
        "html": seo.embed_code(src, episode.title, width, height),
        "width": width,
        "height": height,
    }
    art = episode.artwork_path or (episode.show.artwork_path if episode.show else None)
    if art:
        data["thumbnail_url"] = links.artwork(art)
    return jsonify(data)  # shared with every origin: see archive.security.SHARING
