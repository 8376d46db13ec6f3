"""What podcast apps and feed readers fetch: feeds, audio, artwork, chapters, transcripts.

Machine endpoints: errors are short Dutch plain text. Feeds are conditional
(ETag, Last-Modified, 304) and gzipped for clients that accept it; audio and
artwork are read by Werkzeug's ``send_from_directory`` and answered with
byte ranges, HEAD, 206/304/412/416 as :mod:`archive.conditional` decides, or
handed to nginx via ``X-Accel-Redirect`` when ``X_ACCEL_REDIRECT`` is set.
Only files named by a public episode (or a show) are served, so drafts' audio
and anything else in the media directory is 404.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any, NamedTuple
from urllib.parse import quote

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    request,
    send_from_directory,
    url_for,
)
from sqlalchemy import bindparam, func, select
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestedRangeNotSatisfiable

from .. import conditional, stats
from ..feed import build_podcast_feed, build_stories_feed, chapters_json
from ..feed.podcast2 import CHAPTERS_MIME, TRANSCRIPT_TYPES
from ..feed.state import (
    BuiltFeed,
    FeedCache,
    FeedState,
    podcast_state,
    public_episodes,
    public_stories,
    stories_state,
)
from ..models import Episode, Show, Story, db, utcnow
from ..text import Cue, TranscriptError, cues_to_json, cues_to_srt, cues_to_vtt
from . import params

bp = Blueprint("delivery", __name__)

#: Feeds: apps poll often; a few minutes of caching spares the database.
FEED_MAX_AGE = 300
#: Audio names carry a content hash, so the bytes under a name never change.
MEDIA_MAX_AGE = 365 * 24 * 3600
#: Artwork names are not guaranteed to change with the content: one day.
ARTWORK_MAX_AGE = 24 * 3600
#: Chapters and transcripts can be corrected: revalidated by ETag after an hour.
SIDECAR_MAX_AGE = 3600

RSS_MIME = "application/rss+xml; charset=utf-8"
ATOM_MIME = "application/atom+xml; charset=utf-8"

#: Artwork suffix -> Content-Type (Apple accepts only these two).
ARTWORK_TYPES: dict[str, str] = {".jpg": "image/jpeg", ".png": "image/png"}

#: Status -> the plain-text answer for the public.
ERROR_TEXT: dict[int, str] = {
    400: "Ongeldig verzoek.",
    404: "Niet gevonden.",
    405: "Deze methode is hier niet toegestaan.",
    416: "Het gevraagde bereik ligt buiten het bestand of is ongeldig.",
}

CACHE_EXTENSION = "archive.feed_cache"

#: Audio names start with the episode's id (``MediaStore.save_audio``).
_OWNER_ID = re.compile(r"^(\d+)-")


@bp.record_once
def _attach_cache(state: Any) -> None:
    state.app.extensions[CACHE_EXTENSION] = FeedCache()


def feed_cache(app: Flask | None = None) -> FeedCache:
    return (app or current_app).extensions[CACHE_EXTENSION]


@bp.errorhandler(HTTPException)
def _plain_error(error: HTTPException) -> Response:
    code = error.code or 500
    text = ERROR_TEXT.get(code, error.name)
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return Response(text + "\n", code, headers, mimetype="text/plain")


@bp.app_errorhandler(MethodNotAllowed)
def _method_not_allowed(error: MethodNotAllowed) -> Response | HTTPException:
    """A 405 on a delivery URL is plain text too (routing fails before the blueprint is known)."""
    return _plain_error(error) if _is_delivery_url(error) else error


def _is_delivery_url(error: MethodNotAllowed) -> bool:
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        endpoint, _ = adapter.match(method=next(iter(error.valid_methods or ["GET"])))
    except HTTPException:  # also a redirect: not a delivery URL as asked
        return False
    return str(endpoint).startswith(f"{bp.name}.")


class RequestUrls:
    """Absolute URLs from ``BASE_URL`` or, when unset, the request's host (ProxyFix-aware)."""

    def __init__(self, base_url: str | None, default_show_id: int | None) -> None:
        self.base_url = base_url.rstrip("/") if base_url else None
        self.default_show_id = default_show_id

    def _url(self, endpoint: str, **values: Any) -> str:
        if self.base_url is None:
            return url_for(endpoint, _external=True, **values)
        path = url_for(endpoint, **values)
        root = request.script_root
        if root and path.startswith(root):
            path = path[len(root) :]
        return self.base_url + path

    def website(self) -> str:
        return self._url("public.home")

    def page(self, endpoint: str, **values: Any) -> str:
        """Any page's absolute URL (for link previews, sitemaps and embeds)."""
        return self._url(endpoint, **values)

    def show_feed(self, show: Show) -> str:
        if show.id == self.default_show_id:
            return self._url("delivery.podcast_feed")
        return self._url("delivery.show_feed", show_slug=show.slug)

    def episode_page(self, episode: Episode) -> str:
        return self._url("public.episode", slug=episode.slug)

    def media(self, episode: Episode) -> str:
        return self._url("delivery.media", name=episode.audio_path)

    def artwork(self, name: str) -> str:
        return self._url("delivery.artwork", name=name)

    def chapters(self, episode: Episode) -> str:
        return self._url("delivery.chapters", slug=episode.slug)

    def transcript(self, episode: Episode, format: str) -> str:
        return self._url("delivery.transcript", slug=episode.slug, fmt=format)

    def story_page(self, story: Story) -> str:
        return self._url("public.story", slug=story.slug)

    def stories_feed(self) -> str:
        return self._url("delivery.stories_feed")


def _feed_response(
    state: FeedState,
    build: Callable[[RequestUrls], bytes],
    mimetype: str,
    default_show_id: int | None = None,
) -> Response:
    """A conditional (304), cached and optionally gzipped feed response."""
    urls = RequestUrls(current_app.config.get("BASE_URL"), default_show_id)
    # The base URL is part of the content, so part of the key.
    key = (*state.key, urls.base_url or request.url_root, urls.default_show_id)
    built = feed_cache().get_or_build(
        key, lambda: BuiltFeed.from_body(build(urls), state.last_modified)
    )
    gzipped = request.accept_encodings["gzip"] > 0
    response = Response(built.gzipped if gzipped else built.body, mimetype=mimetype)
    if gzipped:
        response.content_encoding = "gzip"
    response.vary.add("Accept-Encoding")
    response.set_etag(built.etag + ("-gz" if gzipped else ""))
    response.last_modified = built.last_modified
    response.cache_control.public = True
    response.cache_control.max_age = FEED_MAX_AGE
    return answer(response)


def _podcast_feed(show: Show, default_show_id: int) -> Response:
    state = podcast_state(show)

    def build(urls: RequestUrls) -> bytes:
        hub = current_app.config.get("WEBSUB_HUB")
        return build_podcast_feed(show, public_episodes(show), urls, state.last_modified, hub)

    if show.new_feed_url:
        # Moved away: apps follow the 301 (also those that would get a 304), and
        # whoever reads the body finds itunes:new-feed-url.
        body = build(RequestUrls(current_app.config.get("BASE_URL"), default_show_id))
        return Response(body, 301, {"Location": show.new_feed_url}, mimetype=RSS_MIME)
    return _feed_response(state, build, RSS_MIME, default_show_id)


@bp.get("/podcast/feed.xml")
def podcast_feed() -> Response:
    show = Show.default()
    if show is None:
        abort(404)
    return _podcast_feed(show, show.id)


@bp.get("/podcast/<show_slug>/feed.xml")
def show_feed(show_slug: str) -> Response:
    show = db.session.scalar(select(Show).where(Show.slug == show_slug))
    if show is None:
        abort(404)
    return _podcast_feed(show, db.session.scalar(select(func.min(Show.id))))


@bp.get("/verhalen/feed.xml")
def stories_feed() -> Response:
    state = stories_state()

    def build(urls: RequestUrls) -> bytes:
        hub = current_app.config.get("WEBSUB_HUB")
        return build_stories_feed(public_stories(), urls, state.last_modified, hub)

    return _feed_response(state, build, ATOM_MIME)


def _is_plain_name(name: str) -> bool:
    """True for a stored file's name: no folders, no ``..``, no hidden files."""
    if not name or "\\" in name or "\x00" in name or name.startswith("."):
        return False
    return PurePosixPath(name).name == name


def _plain_name(name: str) -> str:
    """A stored file name, or 404."""
    if not _is_plain_name(name):
        abort(404)
    return name


def _send(name: str, mimetype: str, max_age: int) -> Response:
    prefix = current_app.config.get("X_ACCEL_REDIRECT")
    if prefix:
        # nginx serves the bytes (ranges included) from its internal location.
        response = Response(mimetype=mimetype)
        response.headers["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
    else:
        response = send_from_directory(
            current_app.config["MEDIA_DIR"],
            name,
            mimetype=mimetype,
            conditional=False,  # decided by answer(), below
            etag=True,
            max_age=max_age,
        )
    _cache_for(response, max_age)
    if prefix:
        return response  # nginx answers conditions and ranges itself
    return answer(response, response.content_length)


def _cache_for(response: Response, max_age: int) -> None:
    """Public caching for ``max_age`` seconds; audio (content-hashed names) is immutable."""
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    if max_age == MEDIA_MAX_AGE:
        response.cache_control.immutable = True


def answer(response: Response, length: int | None = None) -> Response:
    """``response`` made conditional on the request; with ``length``, byte ranges too."""
    etag, weak = response.get_etag()
    validators = conditional.Validators(etag, weak, response.last_modified, length)
    decision = conditional.evaluate(request.method, request.headers, validators)
    if length is not None:
        response.accept_ranges = "bytes"
    if decision.status == 206 and decision.byte_range is not None:
        start, stop = decision.byte_range
        only_the_range = {"REQUEST_METHOD": "GET", "HTTP_RANGE": f"bytes={start}-{stop - 1}"}
        return response.make_conditional(only_the_range, accept_ranges=True, complete_length=length)
    if decision.status == 304:
        response.status_code = 304  # Werkzeug sends no body and closes the file
    elif decision.status == 412:
        response.close()
        response = Response(status=412)
        del response.headers["Content-Type"]  # no body, so no type
    elif decision.status == 416:
        response.close()
        raise RequestedRangeNotSatisfiable(length=length)
    return response


@bp.get("/media/<path:name>")
def media(name: str) -> Response:
    """A public episode's audio (GET and HEAD, byte ranges); GETs are counted.

    Behind nginx (``X_ACCEL_REDIRECT``) nginx sends the bytes, and counts
    them: its log lines reach ``flask count-downloads`` (:mod:`archive.stats.proxylog`),
    which knows the bytes really sent. The app counts nothing then, so no
    download is counted twice.
    """
    _plain_name(name)
    audio = _public_audio(name)
    if audio is None:
        abort(404)
    response = _send(name, audio.mime or "application/octet-stream", MEDIA_MAX_AGE)
    if "X-Accel-Redirect" in response.headers:
        return response
    piece = _served_piece(response, audio.size)
    if piece is not None:
        stats.recorder().download(audio.id, audio.size or 0, audio.duration, piece)
    return response


@bp.get("/_intern/media/<path:name>")
def media_check(name: str) -> Response:
    """Whether nginx may send ``/media/<name>``: 204 for a public episode's audio, else 403.

    nginx's ``auth_request`` asks this for a media request and keeps the answer
    for a second (deploy/nginx/archive.conf), then serves the file itself; the
    headers here (caching, sharing, security) are the ones it passes on. 403,
    not 404: ``auth_request`` takes only 2xx, 401 and 403; nginx then asks
    :func:`media` for the visitor's 404. Public knowledge only: the same answer
    ``/media/<name>`` gives anyone.
    """
    audio = _public_audio(name) if _is_plain_name(name) else None
    if audio is None:
        return Response(status=403)
    response = Response(status=204)
    _cache_for(response, MEDIA_MAX_AGE)
    return response


class PublicAudio(NamedTuple):
    id: int
    mime: str
    size: int | None
    duration: float | None


#: A public episode's audio by file name (and id, a primary-key lookup when the name
#: starts with it). Built once: every range request a podcast app sends runs it.
_PUBLIC_AUDIO = select(Episode.id, Episode.audio_mime, Episode.audio_size, Episode.duration).where(
    Episode.audio_path == bindparam("name"), Episode.public_clause(bindparam("now"))
)
_PUBLIC_AUDIO_BY_ID = _PUBLIC_AUDIO.where(Episode.id == bindparam("id"))


def _public_audio(name: str) -> PublicAudio | None:
    """The public episode whose audio is called ``name``, or None."""
    values: dict[str, Any] = {"name": name, "now": utcnow()}
    owner = _OWNER_ID.match(name)
    owner_id = params.row_id(owner.group(1)) if owner else None
    if owner_id is not None:
        # Stored names start with the episode's id: a primary-key lookup, not a scan.
        found = db.session.execute(_PUBLIC_AUDIO_BY_ID, {**values, "id": owner_id}).first()
        if found is not None:
            return PublicAudio(found[0], found[1] or "", found[2], found[3])
    found = db.session.execute(_PUBLIC_AUDIO.limit(1), values).first()
    return None if found is None else PublicAudio(found[0], found[1] or "", found[2], found[3])


def _served_piece(response: Response, size: int | None) -> tuple[int, int] | None:
    """The bytes ``(start, stop)`` this response hands out, or None (no body, or unknown)."""
    if not size:
        return None
    if response.status_code == 206 and response.content_range is not None:
        start, stop = response.content_range.start, response.content_range.stop
        return None if start is None or stop is None else (start, stop)
    return (0, size) if response.status_code == 200 else None


@bp.get("/afbeeldingen/<path:name>")
def artwork(name: str) -> Response:
    """A show's artwork, or a public episode's own."""
    _plain_name(name)
    mimetype = ARTWORK_TYPES.get(PurePosixPath(name).suffix.lower())
    if mimetype is None:
        abort(404)
    owner = db.session.scalar(select(Show.id).where(Show.artwork_path == name).limit(1))
    if owner is None:
        owner = db.session.scalar(
            select(Episode.id).where(Episode.artwork_path == name, Episode.public_clause()).limit(1)
        )
    if owner is None:
        abort(404)
    return _send(name, mimetype, ARTWORK_MAX_AGE)


def _public_episode(slug: str) -> Episode:
    episode = db.session.scalar(
        select(Episode).where(Episode.slug == slug, Episode.public_clause())
    )
    if episode is None:
        abort(404)
    return episode


def _text_response(body: bytes, content_type: str) -> Response:
    response = Response(body, content_type=content_type)
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.max_age = SIDECAR_MAX_AGE
    return answer(response)


@bp.get("/podcast/<slug>/chapters.json")
def chapters(slug: str) -> Response:
    """Podcasting 2.0 JSON chapters of a public episode."""
    episode = _public_episode(slug)
    if not episode.chapters:
        abort(404)
    return _text_response(chapters_json(episode), CHAPTERS_MIME)


#: Transcript format -> how to write it from the cues as published (speakers by shown name).
TRANSCRIPT_WRITERS: dict[str, Callable[[list[Cue]], str]] = {
    "vtt": cues_to_vtt,
    "srt": cues_to_srt,
    "json": lambda cues: json.dumps(cues_to_json(cues), ensure_ascii=False, indent=1),
}


@bp.get("/podcast/<slug>/transcript.<fmt>")
def transcript(slug: str, fmt: str) -> Response:
    """A public episode's transcript as WebVTT (``vtt``), SubRip (``srt``) or
    Podcasting 2.0 JSON (``json``), each speaker under the name the episode shows."""
    writer = TRANSCRIPT_WRITERS.get(fmt)
    if writer is None:
        abort(404)
    episode = _public_episode(slug)
    cues = episode.spoken_cues()  # an unreadable transcript is logged there and has no cues
    if not cues:
        abort(404)
    try:
        body = writer(cues)
    except TranscriptError as error:
        current_app.logger.warning("transcript of %s unusable: %s", slug, error.cause)
        abort(404)
    return _text_response(body.encode("utf-8"), f"{TRANSCRIPT_TYPES[fmt]}; charset=utf-8")
