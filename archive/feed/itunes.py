"""feedgen's podcast (iTunes) extension, brought up to what directories require now.

feedgen 1.0 writes ``itunes:explicit`` only as ``yes``/``no``/``clean``, while
Apple documents ``true``/``false``; it also silently accepts artwork URLs that
do not end in ``.jpg``/``.png`` (its check forgets to ``raise``). These
subclasses fix both and are registered under the name ``itunes``:
``feed.itunes.itunes_explicit(False)``, ``entry.itunes.itunes_image(url)``.

:class:`LimitedFeedGenerator` and :class:`LimitedEntry` refuse descriptions
over Apple's 4,000-byte limit and naive dates, and make the channel's
``<link>`` the website whatever order links are added in (feedgen otherwise
takes the last one, which may be the feed's own ``rel="self"`` link).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from feedgen.entry import FeedEntry
from feedgen.ext.podcast import PodcastExtension
from feedgen.ext.podcast_entry import PodcastEntryExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem
from lxml import etree

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"

#: Apple Podcasts: channel and item descriptions are cut off beyond this.
DESCRIPTION_LIMIT_BYTES = 4000

#: Apple accepts artwork only from URLs with these endings.
ARTWORK_SUFFIXES: tuple[str, ...] = (".jpg", ".png")

#: Our value -> the text Apple wants in ``itunes:explicit``.
EXPLICIT_TEXT: dict[bool, str] = {True: "true", False: "false"}


def check_artwork_url(url: str) -> str:
    if not url.lower().endswith(ARTWORK_SUFFIXES):
        raise ValueError(f"artwork URL must end in .jpg or .png: {url!r}")
    return url


def check_description(text: str) -> str:
    size = len(text.encode("utf-8"))
    if size > DESCRIPTION_LIMIT_BYTES:
        raise ValueError(f"description is {size} bytes; the limit is {DESCRIPTION_LIMIT_BYTES}")
    return text


def check_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("feed dates must be timezone-aware")
    return moment


def _set_explicit(element: etree._Element, value: bool | None) -> None:
    if value is not None:
        xml_elem(f"{{{ITUNES_NS}}}explicit", element).text = EXPLICIT_TEXT[value]


class ItunesExtension(PodcastExtension):
    """Channel-level iTunes tags with ``itunes:explicit`` as ``true``/``false``."""

    def __init__(self) -> None:
        super().__init__()
        self._explicit: bool | None = None

    def itunes_explicit(self, itunes_explicit: bool | None = None) -> bool | None:  # type: ignore[override]
        if itunes_explicit is not None:
            self._explicit = bool(itunes_explicit)
        return self._explicit

    def itunes_image(self, itunes_image: str | None = None) -> str | None:
        if itunes_image is not None:
            check_artwork_url(itunes_image)
        return super().itunes_image(itunes_image)

    def extend_rss(self, rss_feed: etree._Element) -> etree._Element:
        super().extend_rss(rss_feed)
        _set_explicit(rss_feed[0], self._explicit)
        return rss_feed


class ItunesEntryExtension(PodcastEntryExtension):
    """Item-level iTunes tags with ``itunes:explicit`` as ``true``/``false``."""

    def __init__(self) -> None:
        super().__init__()
        self._explicit: bool | None = None

    def itunes_explicit(self, itunes_explicit: bool | None = None) -> bool | None:  # type: ignore[override]
        if itunes_explicit is not None:
            self._explicit = bool(itunes_explicit)
        return self._explicit

    def itunes_image(self, itunes_image: str | None = None) -> str | None:
        if itunes_image is not None:
            check_artwork_url(itunes_image)
        return super().itunes_image(itunes_image)

    def extend_rss(self, entry: etree._Element) -> etree._Element:
        super().extend_rss(entry)
        _set_explicit(entry, self._explicit)
        return entry


class LimitedFeedGenerator(FeedGenerator):
    """A FeedGenerator that keeps the website as the channel link and checks limits."""

    def __init__(self) -> None:
        super().__init__()
        self._website: str | None = None

    def website(self, url: str) -> None:
        """The channel's ``<link>``: the site, never the feed itself."""
        self._website = url
        self.link(href=url, rel="alternate")

    def link(self, link: Any = None, replace: bool = False, **kwargs: Any) -> Any:
        links = super().link(link, replace, **kwargs)
        if self._website is not None and links and links[-1]["href"] != self._website:
            # feedgen copies the last added link into RSS: put the website last again.
            others = [item for item in links if item["href"] != self._website]
            website = {"href": self._website, "rel": "alternate"}
            links = super().link([*others, website], replace=True)
        return links

    def description(self, description: str | None = None) -> str | None:
        if description is not None:
            check_description(description)
        return super().description(description)

    def lastBuildDate(self, lastBuildDate: datetime | None = None) -> datetime:
        if lastBuildDate is not None:
            check_aware(lastBuildDate)
        return super().lastBuildDate(lastBuildDate)

    def pubDate(self, pubDate: datetime | None = None) -> datetime | None:
        if pubDate is not None:
            check_aware(pubDate)
        return super().pubDate(pubDate)


class LimitedEntry(FeedEntry):
    """A FeedEntry whose description and content stay within Apple's limit."""

    def description(self, description: str | None = None, isSummary: bool = False) -> str | None:
        if description is not None:
            check_description(description)
        return super().description(description, isSummary)

    def content(self, content: str | None = None, src: str | None = None, type: str | None = None):  # type: ignore[no-untyped-def]
        if content is not None:
            check_description(content)
        return super().content(content, src, type)

    def published(self, published: datetime | None = None) -> datetime | None:
        if published is not None:
            check_aware(published)
        return super().published(published)
