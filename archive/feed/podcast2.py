"""A feedgen extension for the Podcasting 2.0 namespace (podcastindex.org).

Register it as ``feed.register_extension("podcast", Podcast2Extension,
Podcast2EntryExtension)``; then ``feed.podcast.locked(...)``,
``feed.podcast.guid(...)``, ``entry.podcast.transcript(...)``,
``entry.podcast.chapters(...)``, ``entry.podcast.season(...)``,
``entry.podcast.episode(...)`` and ``person(...)`` (channel and item) write
the ``podcast:`` tags.
"""

from __future__ import annotations

from dataclasses import dataclass

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem
from lxml import etree

PODCAST_NS = "https://podcastindex.org/namespace/1.0"

#: MIME type of the Podcasting 2.0 JSON chapters format.
CHAPTERS_MIME = "application/json+chapters"

#: Transcript formats we publish: URL suffix -> MIME type in ``podcast:transcript``.
TRANSCRIPT_TYPES: dict[str, str] = {
    "vtt": "text/vtt",
    "srt": "application/x-subrip",
    "json": "application/json",
}


def _tag(name: str) -> str:
    return f"{{{PODCAST_NS}}}{name}"


@dataclass(frozen=True)
class Transcript:
    url: str
    type: str
    language: str | None = None
    rel: str | None = None


@dataclass(frozen=True)
class PersonTag:
    """A ``podcast:person``: the shown name, its taxonomy role and group, ``img``/``href``."""

    name: str
    role: str
    group: str
    img: str = ""
    href: str = ""


def _persons(parent: etree._Element, persons: list[PersonTag]) -> None:
    for person in persons:
        element = xml_elem(_tag("person"), parent, role=person.role, group=person.group)
        element.text = person.name
        if person.img:
            element.attrib["img"] = person.img
        if person.href:
            element.attrib["href"] = person.href


class Podcast2Extension(BaseExtension):
    """Channel tags: ``podcast:locked``, ``podcast:guid`` and the hosts' ``podcast:person``."""

    def __init__(self) -> None:
        self._locked: tuple[bool, str | None] | None = None
        self._guid: str | None = None
        self._persons: list[PersonTag] = []

    def person(self, person: PersonTag) -> None:
        self._persons.append(person)

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def locked(self, locked: bool, owner: str | None = None) -> None:
        """Whether other platforms may import the feed (``yes`` = they may not)."""
        self._locked = (locked, owner)

    def guid(self, guid: str) -> None:
        """The show's permanent identity, unchanged when the feed moves."""
        self._guid = guid

    def extend_rss(self, rss_feed: etree._Element) -> etree._Element:
        channel = rss_feed[0]
        if self._locked is not None:
            locked, owner = self._locked
            element = xml_elem(_tag("locked"), channel)
            element.text = "yes" if locked else "no"
            if owner:
                element.attrib["owner"] = owner
        if self._guid:
            xml_elem(_tag("guid"), channel).text = self._guid
        _persons(channel, self._persons)
        return rss_feed


class Podcast2EntryExtension(BaseEntryExtension):
    """Item tags: transcripts, chapters, season, episode and persons."""

    def __init__(self) -> None:
        self._persons: list[PersonTag] = []
        self._transcripts: list[Transcript] = []
        self._chapters: str | None = None
        self._season: tuple[int, str | None] | None = None
        self._episode: int | None = None

    def transcript(
        self, url: str, type: str, language: str | None = None, rel: str | None = None
    ) -> None:
        """Add a ``podcast:transcript`` (may be called once per format)."""
        self._transcripts.append(Transcript(url, type, language, rel))

    def person(self, person: PersonTag) -> None:
        self._persons.append(person)

    def chapters(self, url: str) -> None:
        self._chapters = url

    def season(self, number: int, name: str | None = None) -> None:
        self._season = (number, name)

    def episode(self, number: int) -> None:
        self._episode = number

    def extend_rss(self, entry: etree._Element) -> etree._Element:
        for transcript in self._transcripts:
            element = xml_elem(_tag("transcript"), entry, url=transcript.url, type=transcript.type)
            if transcript.language:
                element.attrib["language"] = transcript.language
            if transcript.rel:
                element.attrib["rel"] = transcript.rel
        if self._chapters:
            xml_elem(_tag("chapters"), entry, url=self._chapters, type=CHAPTERS_MIME)
        if self._season is not None:
            number, name = self._season
            element = xml_elem(_tag("season"), entry)
            element.text = str(number)
            if name:
                element.attrib["name"] = name
        if self._episode is not None:
            xml_elem(_tag("episode"), entry).text = str(self._episode)
        _persons(entry, self._persons)
        return entry
