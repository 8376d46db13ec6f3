"""The index schema and the documents built from stories and episodes.

One index holds three kinds of document. ``story`` and ``episode`` documents
are what visitors find; ``passage`` documents are ~30 seconds of an episode's
transcript with their start time, searched only to say *where* in an
episode the words are spoken. Every document of an item carries the item's
key (``story:12``, ``episode:3``) in ``item``, so one term deletes them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from whoosh import columns, fields, formats
from whoosh.system import pack_uint

from ..models import Episode, Story
from ..text import plain_text, transcript_text, voices
from .analysis import (
    MAX_WORD_LENGTH,
    STOP_WORDS,
    WORD_PATTERN,
    dutch_analyzer,
    fold_word,
    spelling_analyzer,
    term_positions,
)

_WORDS = re.compile(WORD_PATTERN)
#: The field of each item's distinct words as written (suggestions, exact words first).
SPELL_FIELD = "spell"
#: Shorter words get no spelling suggestions.
MIN_SPELL_LENGTH = 3

#: Cues are grouped into passages of about this many seconds.
PASSAGE_SECONDS = 30.0

#: Fields a visitor's words are looked for in, with their weight (BM25F boosts).
#: ``title`` also holds the tag names; ``text`` is summary and body (or show
#: notes). Few fields keep the index small and fast; the texts shown are
#: stored apart (``summary``, ``body``) and highlighted from there.
SEARCH_FIELDS: dict[str, float] = {
    "title": 3.0,
    "text": 1.0,
    "transcript": 0.8,
}

#: Facet name -> index field; all are filterable. ``speakers`` is the
#: perspectives of who speaks in an episode (on a passage: of its speaker).
FACET_FIELDS: tuple[str, ...] = ("kind", "perspective", "campaign", "tags", "speakers")
#: The facets whose field holds several values per document (a list column).
LIST_FACETS: tuple[str, ...] = ("tags", "speakers")

#: The kinds a visitor finds (passages only locate a moment in an episode).
ITEM_KINDS: tuple[str, ...] = ("story", "episode")


class TagsField(fields.KEYWORD):
    """Comma-separated tag slugs, with a list column for fast facet counts."""

    def __init__(self) -> None:
        super().__init__(stored=True, commas=True, scorable=True)
        self.column_type = columns.VarBytesListColumn()

    def to_column_value(self, value: Any) -> list[bytes]:
        return [part.strip().encode("utf-8") for part in str(value).split(",") if part.strip()]

    def from_column_value(self, value: Any) -> list[str]:
        return [part.decode("utf-8") for part in value]


class DutchTextField(fields.TEXT):
    """A Dutch text field (positions, for phrases) that indexes through :func:`term_positions`.

    Queries still use the field's analyzer; the terms are the same.
    """

    def __init__(self, field_boost: float = 1.0, stored: bool = False) -> None:
        super().__init__(analyzer=dutch_analyzer(), stored=stored, field_boost=field_boost)

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        if not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        boost = self.format.field_boost
        encode = self.format.encode
        for term, found in term_positions(value).items():
            yield term.encode("utf-8"), len(found), len(found) * boost, encode(found)


class WordSetField(fields.FieldType):
    """The distinct words of a document, folded but not stemmed (for suggestions).

    Only presence counts, so each word is indexed once per document, found by
    a regular expression instead of the full analyzer: cheap to index.
    """

    def __init__(self) -> None:
        self.format = formats.Frequency()
        self.analyzer = spelling_analyzer()
        self.scorable = True  # a lengths column; without one Whoosh probes the disk per posting
        self.stored = False
        self.unique = False
        self.vector = None
        self.column_type = None

    def index(self, value: str, **kwargs: Any) -> list[tuple[bytes, int, float, bytes]]:
        one = pack_uint(1)
        return [(word.encode("utf-8"), 1, 1.0, one) for word in sorted(spell_words(value))]


def spell_words(text: str) -> set[str]:
    """The distinct words of ``text`` as :data:`SPELL_FIELD` holds them (folded, not stemmed)."""
    return {
        fold_word(word)
        for word in _WORDS.findall(text.lower())
        if MIN_SPELL_LENGTH <= len(word) <= MAX_WORD_LENGTH and word not in STOP_WORDS
    }


def make_schema() -> fields.Schema:
    return fields.Schema(
        key=fields.ID(stored=True, unique=True),
        item=fields.ID(stored=True),
        kind=fields.ID(stored=True, sortable=True),
        slug=fields.STORED(),
        title=DutchTextField(stored=True, field_boost=SEARCH_FIELDS["title"]),
        text=DutchTextField(field_boost=SEARCH_FIELDS["text"]),
        transcript=DutchTextField(field_boost=SEARCH_FIELDS["transcript"]),
        summary=fields.STORED(),
        body=fields.STORED(),
        passage=DutchTextField(stored=True),
        start=fields.STORED(),
        speaker=fields.ID(stored=True),
        role=fields.ID(stored=True),
        speakers=TagsField(),
        tags=TagsField(),
        perspective=fields.ID(stored=True, sortable=True),
        campaign=fields.ID(stored=True, sortable=True),
        published=fields.DATETIME(stored=True, sortable=True),
        version=fields.ID(sortable=True),
        spell=WordSetField(),
    )


@dataclass(frozen=True)
class Passage:
    start: float
    text: str
    speaker: str | None = None


def item_key(kind: str, item_id: int) -> str:
    return f"{kind}:{item_id}"


def passages(cues: list[Any], seconds: float = PASSAGE_SECONDS) -> list[Passage]:
    """Consecutive cues grouped into passages of about ``seconds``, one speaker each."""
    groups: list[Passage] = []
    start: float | None = None
    speaker: str | None = None
    words: list[str] = []
    for cue in cues:
        cue_speaker = getattr(cue, "speaker", None)
        # A long pause, a full passage, or another speaker starts a new one.
        if start is not None and (cue.start - start >= seconds or cue_speaker != speaker):
            groups.append(Passage(start, " ".join(words), speaker))
            start, words = None, []
        if start is None:
            start, speaker = cue.start, cue_speaker
        words.append(cue.text)
    if start is not None and words:
        groups.append(Passage(start, " ".join(words), speaker))
    return groups


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _common(item: Story | Episode) -> dict[str, Any]:
    key = item_key(item.kind, item.id)
    tags = item.tags
    values: dict[str, Any] = {
        "key": key,
        "item": key,
        "kind": item.kind,
        "slug": item.slug,
        "title": " ".join([item.title, *(tag.name for tag in tags)]),
        "_stored_title": item.title,
        "summary": plain_text(item.summary) if item.summary else "",
        "tags": ",".join(tag.slug for tag in tags),
        # Every document has the list column's value, "" too (Whoosh has no default for it).
        "speakers": "",
        "perspective": item.perspective or "",
        "campaign": item.campaign.slug if item.campaign else "",
    }
    if item.published_at is not None:
        values["published"] = _naive_utc(item.published_at)
    values["version"] = item_version(item)
    return values


def item_version(item: Story | Episode) -> str:
    """What ``flask check`` compares: the item and its version (one per editorial save)."""
    return f"{item_key(item.kind, item.id)}|{item.version}"


def documents_for(item: Story | Episode) -> list[dict[str, Any]]:
    """The index documents of one item: the item, and for an episode its passages."""
    values = _common(item)
    if isinstance(item, Story):
        values["body"] = plain_text(item.body)
        values["text"] = f"{values['summary']}\n\n{values['body']}"
        values[SPELL_FIELD] = f"{values['title']} {values['text']}"
        return [values]
    cues = item.transcript_cues()
    values["body"] = plain_text(item.show_notes) if item.show_notes else ""
    values["text"] = f"{values['summary']}\n\n{values['body']}"
    values["transcript"] = transcript_text(cues)
    values[SPELL_FIELD] = f"{values['title']} {values['text']} {values['transcript']}"
    # Speakers are indexed by person id, role and perspective, never by name:
    # a withdrawn name then cannot linger in the index's deleted documents.
    persons = {person.voice: person for person in item.persons if person.voice}
    spoken = [persons[voice] for voice in voices(cues) if voice in persons]
    values["speakers"] = ",".join(sorted({p.perspective for p in spoken if p.perspective}))
    documents = [values]
    for number, passage in enumerate(passages(cues)):
        document = {
            "key": f"passage:{item.id}:{number}",
            "item": values["item"],
            "kind": "passage",
            "passage": passage.text,
            "start": passage.start,
            "speakers": "",
        }
        person = persons.get(passage.speaker or "")
        if person is not None:
            document.update(speaker=str(person.id), role=person.role, speakers=person.perspective)
        documents.append(document)
    return documents
