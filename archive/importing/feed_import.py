"""``flask import-feed``: a podcast from its RSS feed, item by item, through the editorial writer.

Each item's enclosure is downloaded over http(s) (:mod:`.remote`: timeouts, at
most 5 redirects, the upload size limit) straight into the media store's
staging, so the same probe and refusal rules as an upload apply
(:func:`archive.editorial.create_episode`). The item keeps its GUID, so
podcast apps that follow the move do not download it again, and running the
import again adds only items whose GUID is new. A broken item is reported
and the rest goes on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import or_, select

from .. import editorial
from ..audio import Cover
from ..errors import ArchiveError
from ..feed.chapters import parse_chapters
from ..models import MAX_EPISODE_NUMBER, Episode, Show, db, suggest_slug
from ..text import cues_to_vtt, parse_transcript
from .podcast_feed import Feed, FeedError, FeedItem, parse_feed
from .remote import SCHEMES, FetchError, open_url, read_url

#: Leading bytes -> image MIME type (what an episode's or show's artwork may be).
IMAGE_MAGIC: dict[bytes, str] = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
NEW, UNCHANGED, REFUSED = "nieuw", "ongewijzigd", "GEWEIGERD"


@dataclass(frozen=True)
class ItemReport:
    title: str
    guid: str
    state: str
    message: str

    def __str__(self) -> str:
        return f"{self.state}: {self.title or '(zonder titel)'} [{self.guid}]: {self.message}"


@dataclass
class FeedImport:
    """A feed being imported: its show (found or created) and the per-item reports."""

    source: str
    feed: Feed
    show_id: int
    show_created: bool
    notes: list[str] = field(default_factory=list)
    reports: list[ItemReport] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(report.state == state for report in self.reports)

    def summary(self) -> str:
        return (
            f"{self.count(NEW)} nieuw, {self.count(UNCHANGED)} ongewijzigd, "
            f"{self.count(REFUSED)} geweigerd."
        )


def read_source(source: str) -> tuple[str, bytes]:
    """The feed's URL (a file's ``file:`` URI) and its bytes."""
    if urlsplit(source).scheme in SCHEMES:
        return source, read_url(source)
    path = Path(source)
    try:
        return path.resolve().as_uri(), path.read_bytes()
    except OSError as exc:
        raise FetchError(f"kan {source} niet lezen ({exc.strerror})") from None


def _image(url: str | None, notes: list[str]) -> Cover | None:
    if not url:
        return None
    try:
        data = read_url(url)
    except FetchError as exc:
        notes.append(f"afbeelding niet overgenomen: {exc}")
        return None
    for magic, mime in IMAGE_MAGIC.items():
        if data.startswith(magic):
            return Cover(data, mime)
    notes.append(f"afbeelding niet overgenomen: {url} is geen JPEG of PNG")
    return None


def _show_values(feed: Feed, url: str) -> dict[str, Any]:
    show = feed.show
    values: dict[str, Any] = {
        "slug": suggest_slug(Show, show.title),  # type: ignore[arg-type]
        "title": show.title[:200],
        "description": show.description,
        "author": show.author[:200],
        "owner_name": show.owner_name[:200],
        "owner_email": show.owner_email[:254],
        "language": show.language,
        "explicit": show.explicit,
        "old_feed_url": url[:500] if url.startswith("http") else "",
    }
    if show.category:
        values["category"] = show.category[:100]
        values["subcategory"] = (show.subcategory or "")[:100] or None
    if show.podcast_guid:
        values["guid"] = show.podcast_guid[:36]
    return values


def start(source: str) -> FeedImport:
    """Read the feed and find its show (by ``podcast:guid`` or old feed URL), or create it."""
    url, data = read_source(source)
    feed = parse_feed(url, data)
    conditions = [Show.old_feed_url == url]
    if feed.show.podcast_guid:
        conditions.append(Show.guid == feed.show.podcast_guid)
    show = db.session.scalars(select(Show).where(or_(*conditions)).limit(1)).first()
    notes: list[str] = []
    if show is not None:
        return FeedImport(source, feed, show.id, False, notes)
    artwork = _image(feed.show.artwork_url, notes)
    if artwork is not None and artwork.mime != "image/jpeg":
        notes.append("podcastafbeelding niet overgenomen: alleen JPEG")
        artwork = None
    created = editorial.create_show(
        _show_values(feed, url), artwork.data if artwork else None, editorial.IMPORT
    )
    return FeedImport(source, feed, created.id, True, notes)


def _transcript(url: str) -> str:
    text = read_url(url).decode("utf-8-sig")
    kind = "vtt" if text.lstrip().startswith("WEBVTT") else "srt"
    cues = parse_transcript(text, kind)
    return text if kind == "vtt" else cues_to_vtt(cues)


def _number(value: int | None) -> int | None:
    return value if value is not None and 0 <= value <= MAX_EPISODE_NUMBER else None


def _values(item: FeedItem, notes: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": item.title,
        "summary": item.summary,
        "show_notes": item.show_notes,
        "season": _number(item.season),
        "number": _number(item.number),
        "episode_type": item.episode_type,
        "explicit": item.explicit,
    }
    chapters = item.chapters
    if not chapters and item.chapters_url:
        try:
            chapters = parse_chapters(json.loads(read_url(item.chapters_url)))
        except (FetchError, ValueError) as exc:
            notes.append(f"hoofdstukken niet overgenomen: {exc}")
    if chapters:
        values["chapters"] = chapters
    if item.transcript_url:
        try:
            values["transcript_vtt"] = _transcript(item.transcript_url)
        except (FetchError, ArchiveError, UnicodeDecodeError) as exc:
            notes.append(f"transcript niet overgenomen: {exc}")
    return values


def _file_name(url: str) -> str:
    return unquote(Path(urlsplit(url).path).name) or "aflevering"


def import_item(job: FeedImport, item: FeedItem) -> ItemReport:
    """Import one item, or say why not; never raises for a broken item."""
    report = ItemReport
    if not item.guid:
        return report(item.title, "", REFUSED, "het item heeft geen GUID en geen audio")
    existing = db.session.scalar(select(Episode.slug).where(Episode.guid == item.guid))
    if existing is not None:
        return report(item.title, item.guid, UNCHANGED, f"al aanwezig als /podcast/{existing}")
    if not item.enclosure_url:
        return report(item.title, item.guid, REFUSED, "het item heeft geen audiobestand")
    notes: list[str] = []
    try:
        values = _values(item, notes)
        artwork = _image(item.artwork_url, notes)
        published = editorial.Publication("at", item.published) if item.published else editorial.NOW
        with open_url(item.enclosure_url) as response:
            result = editorial.create_episode(
                response,  # type: ignore[arg-type]
                _file_name(item.enclosure_url),
                editorial.IMPORT,
                values,
                publication=published,
                show_id=job.show_id,
                guid=item.guid,
                artwork=artwork,
            )
    except (FetchError, ArchiveError, OSError) as exc:  # OSError: the download broke off
        message = exc.message if isinstance(exc, ArchiveError) else str(exc)
        return report(item.title, item.guid, REFUSED, message)
    episode = result.episode
    parts = [f"nieuwe aflevering /podcast/{episode.slug}", *notes, *result.notes]
    return report(item.title, item.guid, NEW, "; ".join(parts))


def import_feed(source: str, progress: Callable[[ItemReport], None] | None = None) -> FeedImport:
    """Import the whole feed ``source`` (a URL or a file); FeedError or FetchError if unreadable."""
    job = start(source)
    for item in job.feed.items:
        job.reports.append(import_item(job, item))
        if progress is not None:
            progress(job.reports[-1])
    return job


__all__ = ["FeedError", "FeedImport", "FetchError", "ItemReport", "import_feed", "import_item"]
