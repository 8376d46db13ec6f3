"""Build the podcast RSS feed and the stories' Atom feed: plain values in, bytes out.

``build_podcast_feed(show, episodes, urls)`` takes a show, its public episodes
(newest first; the caller's query applies the publication rule) and an object
that turns things into absolute URLs (:class:`FeedUrls`). It needs no app or
request, so it is tested and benchmarked on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from html import unescape
from typing import Protocol

from feedgen.feed import FeedGenerator
from markupsafe import escape

from ..models import Episode, Person, Show, Story
from ..text import render_markdown
from .itunes import (
    ARTWORK_SUFFIXES,
    DESCRIPTION_LIMIT_BYTES,
    ItunesEntryExtension,
    ItunesExtension,
    LimitedEntry,
    LimitedFeedGenerator,
)
from .podcast2 import TRANSCRIPT_TYPES, PersonTag, Podcast2EntryExtension, Podcast2Extension
from .websub import HubExtension

#: The stories' feed: what a feed reader shows as its name.
STORIES_FEED_TITLE = "Verhalen – Week tegen Kindermishandeling"
STORIES_FEED_SUBTITLE = (
    "Ervaringsverhalen over kindermishandeling: wat mensen zagen, deden en leerden."
)

#: Added under show notes that had to be shortened to fit the limit.
READ_MORE = '<p><a href="{url}">Lees de volledige shownotes op de website.</a></p>'
ELLIPSIS = "…"

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")


class FeedUrls(Protocol):
    """Absolute URLs for everything a feed links to."""

    def website(self) -> str: ...
    def show_feed(self, show: Show) -> str: ...
    def episode_page(self, episode: Episode) -> str: ...
    def media(self, episode: Episode) -> str: ...
    def artwork(self, name: str) -> str: ...
    def chapters(self, episode: Episode) -> str: ...
    def transcript(self, episode: Episode, format: str) -> str: ...
    def story_page(self, story: Story) -> str: ...
    def stories_feed(self) -> str: ...


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def fit_text(text: str, limit: int = DESCRIPTION_LIMIT_BYTES, escape_html: bool = False) -> str:
    """``text`` cut at a word boundary (with an ellipsis) so it takes at most ``limit`` bytes.

    With ``escape_html`` the result is HTML-escaped and the limit applies after escaping.
    """
    render = (lambda value: str(escape(value))) if escape_html else (lambda value: value)
    text = text.strip()
    if _size(render(text)) <= limit:
        return render(text)
    budget = limit - _size(ELLIPSIS)
    while True:
        cut = text.encode("utf-8")[:budget].decode("utf-8", "ignore")
        if " " in cut:
            cut = cut.rsplit(" ", 1)[0]
        result = render(cut.rstrip() + ELLIPSIS)
        excess = _size(result) - limit
        if excess <= 0:
            return result
        budget -= excess


def fit_markdown(source: str, more_url: str, limit: int = DESCRIPTION_LIMIT_BYTES) -> str:
    """Markdown as sanitised HTML within ``limit`` bytes.

    Too long: as many whole blocks as fit, then a link to the full text; if not
    even the first block fits, its plain text shortened.
    """
    html = str(render_markdown(source))
    if _size(html) <= limit:
        return html
    more = READ_MORE.format(url=escape(more_url))
    blocks = _BLOCK_SPLIT.split(source.strip())
    best = ""
    for count in range(1, len(blocks) + 1):
        candidate = str(render_markdown("\n\n".join(blocks[:count]))) + more
        if _size(candidate) > limit:
            break
        best = candidate
    if best:
        return best
    plain = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    paragraph = fit_text(plain, limit - _size(more) - _size("<p></p>"), escape_html=True)
    return f"<p>{paragraph}</p>{more}"


def feed_updated(show: Show, episodes: Iterable[Episode]) -> datetime:
    """The latest change the feed shows: the show's or an episode's."""
    moments = [show.updated_at]
    for episode in episodes:
        moments.extend(m for m in (episode.updated_at, episode.published_at) if m is not None)
    return max(moments)


def _artwork(urls: FeedUrls, name: str | None) -> str | None:
    if name and name.lower().endswith(ARTWORK_SUFFIXES):
        return urls.artwork(name)
    return None


def _new_podcast_generator() -> LimitedFeedGenerator:
    generator = LimitedFeedGenerator()
    generator.register_extension("itunes", ItunesExtension, ItunesEntryExtension)
    generator.register_extension("podcast", Podcast2Extension, Podcast2EntryExtension)
    generator.register_extension("websub", HubExtension, atom=False)
    return generator


def _channel(generator: LimitedFeedGenerator, show: Show, urls: FeedUrls) -> None:
    generator.title(show.title)
    generator.link(href=urls.show_feed(show), rel="self", type="application/rss+xml")
    generator.website(urls.website())
    generator.description(fit_text(show.description or show.title))
    generator.language(show.language or "nl")
    if show.copyright:
        generator.copyright(show.copyright)
    generator.generator("Verhalenarchief Week tegen Kindermishandeling")
    itunes = generator.itunes
    itunes.itunes_author(show.author or show.owner_name or show.title)
    if show.owner_name and show.owner_email:
        itunes.itunes_owner(name=show.owner_name, email=show.owner_email)
    category = {"cat": show.category}
    if show.subcategory:
        category["sub"] = show.subcategory
    itunes.itunes_category(category)
    itunes.itunes_explicit(show.explicit)
    itunes.itunes_type("episodic")
    artwork = _artwork(urls, show.artwork_path)
    if artwork:
        itunes.itunes_image(artwork)
        generator.image(url=artwork, title=show.title, link=urls.website())
    generator.podcast.locked(True, show.owner_email or None)
    generator.podcast.guid(show.guid)
    for person in published_persons(show.hosts):
        generator.podcast.person(person)
    if show.new_feed_url:  # moving away: where apps should go
        itunes.itunes_new_feed_url(show.new_feed_url)
    elif show.old_feed_url:  # moved in: Apple wants the new feed to name itself
        itunes.itunes_new_feed_url(urls.show_feed(show))


def _item(generator: LimitedFeedGenerator, show: Show, episode: Episode, urls: FeedUrls) -> None:
    entry = generator.add_entry(LimitedEntry(), order="append")
    page = urls.episode_page(episode)
    entry.title(episode.title)
    entry.link(href=page)
    entry.guid(episode.guid, permalink=False)
    entry.pubDate(episode.published_at)
    notes = fit_markdown(episode.show_notes or episode.summary or episode.title, page)
    entry.description(notes)
    entry.content(notes, type="CDATA")
    entry.enclosure(urls.media(episode), str(episode.audio_size), episode.audio_mime)
    itunes = entry.itunes
    if episode.duration is not None:
        itunes.itunes_duration(str(round(episode.duration)))
    itunes.itunes_explicit(episode.explicit)
    itunes.itunes_episode_type(episode.episode_type or "full")
    if episode.season is not None:
        itunes.itunes_season(episode.season)
        entry.podcast.season(episode.season)
    if episode.number is not None:
        itunes.itunes_episode(episode.number)
        entry.podcast.episode(episode.number)
    artwork = _artwork(urls, episode.artwork_path)
    if artwork:
        itunes.itunes_image(artwork)
    if episode.transcript_vtt:
        for format, mime in TRANSCRIPT_TYPES.items():
            entry.podcast.transcript(
                urls.transcript(episode, format), mime, language=show.language or "nl"
            )
    if episode.chapters:
        entry.podcast.chapters(urls.chapters(episode))
    for person in published_persons(episode.persons):
        entry.podcast.person(person)


def published_persons(persons: Sequence[Person]) -> list[PersonTag]:
    """``podcast:person`` values: a withdrawn name is left out, ``img``/``href`` only as given
    (they are stored only with consent)."""
    return [
        PersonTag(person.name, person.role, person.group, person.img, person.href)
        for person in persons
        if not person.name_withdrawn
    ]


def build_podcast_feed(
    show: Show,
    episodes: Sequence[Episode],
    urls: FeedUrls,
    updated: datetime | None = None,
    hub: str | None = None,
) -> bytes:
    """The show's RSS 2.0 feed (UTF-8 bytes) with iTunes and Podcasting 2.0 tags.

    ``hub`` (a WebSub hub's URL) is declared as ``<atom:link rel="hub">``.
    ``episodes`` must be the public ones, newest first; episodes without audio
    are left out (an item without an enclosure is no podcast episode).
    ``updated`` (default: the latest change among the inputs) becomes
    ``lastBuildDate``, so the same data always gives the same bytes.
    """
    generator = _new_podcast_generator()
    _channel(generator, show, urls)
    if hub:
        generator.websub.hub(hub)
    with_audio = [e for e in episodes if e.audio_path and e.audio_size and e.audio_mime]
    for episode in with_audio:
        _item(generator, show, episode, urls)
    generator.lastBuildDate(updated or feed_updated(show, with_audio))
    return generator.rss_str(pretty=False, encoding="UTF-8", xml_declaration=True)


def build_stories_feed(
    stories: Sequence[Story], urls: FeedUrls, updated: datetime, hub: str | None = None
) -> bytes:
    """An Atom feed of public stories (newest first), full text as sanitised HTML.

    ``hub`` (a WebSub hub's URL) is declared as ``<link rel="hub">``.
    """
    generator = FeedGenerator()
    generator.id(urls.stories_feed())
    generator.title(STORIES_FEED_TITLE)
    generator.subtitle(STORIES_FEED_SUBTITLE)
    generator.link(href=urls.stories_feed(), rel="self", type="application/atom+xml")
    generator.link(href=urls.website(), rel="alternate", type="text/html")
    if hub:
        generator.link(href=hub, rel="hub")
    generator.language("nl")
    generator.updated(updated)
    for story in stories:
        entry = generator.add_entry(order="append")
        page = urls.story_page(story)
        entry.id(page)
        entry.title(story.title)
        entry.link(href=page, rel="alternate", type="text/html")
        entry.author(name=story.author_name or "Anoniem")
        entry.published(story.published_at)
        entry.updated(max(story.published_at, story.updated_at))
        if story.summary:
            entry.summary(story.summary)
        entry.content(str(render_markdown(story.body)), type="html")
    return generator.atom_str(pretty=False, encoding="UTF-8", xml_declaration=True)
