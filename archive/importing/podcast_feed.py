"""A podcast's RSS feed as plain values: the show and its items (pure: bytes in, values out).

podcastparser reads the feed (RSS 2.0, ``itunes:``, ``podcast:transcript``
and ``podcast:chapters``). ElementTree reads what it does not keep as it is:
``podcast:guid``, each item's GUID exactly as written (podcastparser makes a
relative permalink GUID absolute) and Podlove Simple Chapters with their
milliseconds (podcastparser keeps whole seconds). Show notes arrive
as HTML and become Markdown here: sanitised by nh3 first, then the few tags
that remain are written as Markdown by :class:`_Markdown` (a table, tag by tag).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import nh3
import podcastparser

PODCAST_NAMESPACE = "https://podcastindex.org/namespace/1.0"
#: The namespace URIs feeds use for ``podcast:`` (podcastparser knows only the old ones).
PODCAST_NAMESPACES = (
    PODCAST_NAMESPACE,
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
)
#: Transcript MIME types we read, the most useful first.
TRANSCRIPT_TYPES = ("text/vtt", "application/srt", "application/x-subrip", "text/srt")
PSC_NAMESPACES = ("http://podlove.org/simple-chapters", "http://podlove.org/simple-chapters/")
#: What survives sanitising, and its Markdown: tag -> (before, after).
MARKDOWN: dict[str, tuple[str, str]] = {
    "p": ("\n\n", "\n\n"),
    "br": ("\n", ""),
    "strong": ("**", "**"),
    "b": ("**", "**"),
    "em": ("*", "*"),
    "i": ("*", "*"),
    "ul": ("\n\n", "\n\n"),
    "ol": ("\n\n", "\n\n"),
    "li": ("\n- ", ""),
    "a": ("[", "]"),
}
#: Episode types we keep (Apple's); anything else is a full episode.
EPISODE_TYPES = ("full", "trailer", "bonus")


class FeedError(Exception):
    """Not a readable podcast feed; the message says why (Dutch)."""


@dataclass(frozen=True)
class FeedShow:
    title: str
    description: str
    author: str
    owner_name: str
    owner_email: str
    language: str
    category: str | None
    subcategory: str | None
    explicit: bool
    artwork_url: str | None
    podcast_guid: str | None
    new_feed_url: str | None


@dataclass(frozen=True)
class FeedItem:
    guid: str
    title: str
    published: datetime | None
    summary: str
    show_notes: str
    season: int | None
    number: int | None
    episode_type: str
    explicit: bool
    enclosure_url: str | None
    artwork_url: str | None
    chapters: list[dict[str, Any]] = field(default_factory=list)
    chapters_url: str | None = None
    transcript_url: str | None = None


@dataclass(frozen=True)
class Feed:
    show: FeedShow
    items: list[FeedItem]


class _Markdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        self.parts.append(MARKDOWN.get(tag, ("", ""))[0])

    def handle_endtag(self, tag: str) -> None:
        after = MARKDOWN.get(tag, ("", ""))[1]
        if tag == "a":
            href = self.links.pop() if self.links else ""
            after = f"]({href})" if href else "]"
        self.parts.append(after)

    def handle_data(self, data: str) -> None:
        self.parts.append(re.sub(r"\s+", " ", data))


def html_to_markdown(source: str) -> str:
    """Show notes in HTML (or plain text) as Markdown, sanitised."""
    if "<" not in source:
        return unescape(source).strip()
    cleaned = nh3.clean(
        source, tags=set(MARKDOWN), attributes={"a": {"href"}}, url_schemes={"http", "https"}
    )
    parser = _Markdown()
    parser.feed(cleaned)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _first_paragraph(text: str, limit: int = 500) -> str:
    first = text.strip().split("\n\n")[0].strip()
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def _channel(data: bytes) -> ElementTree.Element | None:
    try:
        # Expat refuses external entities, and since 2.4 limits entity amplification.
        return ElementTree.fromstring(data).find("channel")
    except ElementTree.ParseError:
        return None


def _podcast_guid(channel: ElementTree.Element | None) -> str | None:
    found = channel.find(f"{{{PODCAST_NAMESPACE}}}guid") if channel is not None else None
    return found.text.strip() if found is not None and found.text else None


def npt_seconds(value: str) -> float:
    """Normal Play Time (``01:02:03.250``, ``02:03``, ``3.5``) in seconds."""
    seconds = 0.0
    for part in value.strip().split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def _psc_chapters(item: ElementTree.Element) -> list[dict[str, Any]]:
    chapters = []
    for namespace in PSC_NAMESPACES:
        for chapter in item.iterfind(f"{{{namespace}}}chapters/{{{namespace}}}chapter"):
            if chapter.get("start") is None:
                continue
            start = round(npt_seconds(chapter.get("start", "0")), 3)
            chapters.append(
                {"start": start, "title": chapter.get("title") or "", "url": chapter.get("href")}
            )
    return sorted(chapters, key=lambda chapter: chapter["start"])


@dataclass(frozen=True)
class RawItem:
    """What ElementTree reads of an item (see the module doc)."""

    guid: str
    chapters: list[dict[str, Any]]
    chapters_url: str | None
    transcript_url: str | None


def _podcast_links(item: ElementTree.Element, tag: str) -> list[tuple[str, str]]:
    """(type, absolute url) of each ``podcast:<tag>`` of ``item``."""
    return [
        (element.get("type") or "", element.get("url") or "")
        for namespace in PODCAST_NAMESPACES
        for element in item.iterfind(f"{{{namespace}}}{tag}")
        if element.get("url")
    ]


def _transcript_url(item: ElementTree.Element, base: str) -> str | None:
    links = _podcast_links(item, "transcript")
    for wanted in TRANSCRIPT_TYPES:
        for kind, url in links:
            if kind == wanted:
                return urljoin(base, url)
    return None


def _raw_items(channel: ElementTree.Element | None, base: str) -> dict[str, RawItem]:
    """podcastparser's GUID of each item -> what ElementTree reads of it."""
    found: dict[str, RawItem] = {}
    for item in channel.iterfind("item") if channel is not None else []:
        guid = item.find("guid")
        raw = (guid.text or "").strip() if guid is not None else ""
        if not raw:
            continue
        permalink = (guid.get("isPermaLink") or "true").lower() == "true"  # type: ignore[union-attr]
        chapters = _podcast_links(item, "chapters")
        found[urljoin(base, raw) if permalink else raw] = RawItem(
            guid=raw,
            chapters=_psc_chapters(item),
            chapters_url=urljoin(base, chapters[0][1]) if chapters else None,
            transcript_url=_transcript_url(item, base),
        )
    return found


def _show(parsed: dict[str, Any], channel: ElementTree.Element | None) -> FeedShow:
    categories = parsed.get("itunes_categories") or [[]]
    first = categories[0] if categories else []
    owner = parsed.get("itunes_owner") or {}
    return FeedShow(
        title=parsed.get("title") or "Geïmporteerde podcast",
        description=html_to_markdown(parsed.get("description") or ""),
        author=parsed.get("itunes_author") or "",
        owner_name=owner.get("name") or "",
        owner_email=owner.get("email") or "",
        language=(parsed.get("language") or "nl")[:8],
        category=first[0] if first else None,
        subcategory=first[1] if len(first) > 1 else None,
        explicit=bool(parsed.get("explicit")),
        artwork_url=parsed.get("cover_url"),
        podcast_guid=_podcast_guid(channel),
        new_feed_url=parsed.get("new_url"),
    )


def _chapter(chapter: dict[str, Any]) -> dict[str, Any]:
    """A Podlove chapter as ``Episode.chapters`` holds it."""
    start = round(float(chapter["start"]), 3)
    return {"start": start, "title": chapter.get("title") or "", "url": chapter.get("href")}


def _item(episode: dict[str, Any], raw_items: dict[str, RawItem]) -> FeedItem:
    enclosures = episode.get("enclosures") or []
    raw = raw_items.get(episode.get("guid") or "") or RawItem("", [], None, None)
    notes = html_to_markdown(episode.get("description_html") or episode.get("description") or "")
    published = episode.get("published")
    kind = episode.get("type") or "full"
    return FeedItem(
        guid=raw.guid or episode.get("guid") or (enclosures[0]["url"] if enclosures else ""),
        title=episode.get("title") or "",
        published=datetime.fromtimestamp(published, UTC) if published else None,
        summary=episode.get("subtitle") or _first_paragraph(notes),
        show_notes=notes,
        season=episode.get("season"),
        number=episode.get("number"),
        episode_type=kind if kind in EPISODE_TYPES else "full",
        explicit=bool(episode.get("explicit")),
        enclosure_url=enclosures[0]["url"] if enclosures else None,
        artwork_url=episode.get("episode_art_url"),
        chapters=raw.chapters or [_chapter(chapter) for chapter in episode.get("chapters") or []],
        chapters_url=raw.chapters_url or episode.get("chapters_json_url"),
        transcript_url=raw.transcript_url or episode.get("transcript_url"),
    )


def parse_feed(url: str, data: bytes) -> Feed:
    """The show and items (oldest first) of the feed ``data`` fetched from ``url``."""
    try:
        parsed = podcastparser.parse(url, io.BytesIO(data))
    except (podcastparser.FeedParseError, ValueError) as exc:
        raise FeedError(f"dit is geen leesbare podcastfeed ({exc})") from None
    channel = _channel(data)
    raw = _raw_items(channel, url)
    items = [_item(episode, raw) for episode in parsed.get("episodes") or []]
    items.sort(key=lambda item: item.published or datetime.min.replace(tzinfo=UTC))
    return Feed(_show(parsed, channel), items)
