"""What visitors read and hear: stories, episodes, the shows and campaigns they belong to, tags."""

from __future__ import annotations

import logging
import math
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..text import Cue, TranscriptError, parse_transcript
from .base import (
    READING_WORDS_PER_MINUTE,
    Base,
    Publishable,
    Timestamps,
    db,
    new_guid,
    slugify,
)

if TYPE_CHECKING:
    from .agenda import Event
    from .persons import Person

log = logging.getLogger(__name__)


story_tags = Table(
    "story_tags",
    Base.metadata,
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)

episode_tags = Table(
    "episode_tags",
    Base.metadata,
    Column("episode_id", ForeignKey("episodes.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)

#: Editor-made links between a story and an episode ("related").
story_episode_links = Table(
    "story_episode_links",
    Base.metadata,
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("episode_id", ForeignKey("episodes.id", ondelete="CASCADE"), primary_key=True),
)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(80))

    def __repr__(self) -> str:
        return f"<Tag {self.slug}>"


class Campaign(Base, Timestamps):
    """One edition of the Week tegen Kindermishandeling."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    theme: Mapped[str] = mapped_column(String(200), default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    location: Mapped[str] = mapped_column(String(200), default="")
    introduction: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    stories: Mapped[list[Story]] = relationship(back_populates="campaign")
    episodes: Mapped[list[Episode]] = relationship(back_populates="campaign")

    events: Mapped[list[Event]] = relationship(
        back_populates="campaign", order_by="Event.starts_at"
    )

    @classmethod
    def editions(cls) -> list[Campaign]:
        """Every edition, newest first (by start date)."""
        return list(db.session.scalars(select(cls).order_by(cls.starts_on.desc(), cls.id.desc())))

    def is_running_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def __repr__(self) -> str:
        return f"<Campaign {self.slug}>"


class Show(Base, Timestamps):
    """A podcast: the channel of a feed."""

    __tablename__ = "shows"

    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    owner_email: Mapped[str] = mapped_column(String(254), default="")
    language: Mapped[str] = mapped_column(String(8), default="nl")
    category: Mapped[str] = mapped_column(String(100), default="Society & Culture")
    subcategory: Mapped[str | None] = mapped_column(String(100))
    explicit: Mapped[bool] = mapped_column(Boolean, default=False)
    #: File name of the artwork in the media directory.
    artwork_path: Mapped[str | None] = mapped_column(String(255))
    copyright: Mapped[str] = mapped_column(String(200), default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The feed this podcast came from (kept for the record; see "Moving" in the README).
    old_feed_url: Mapped[str] = mapped_column(String(500), default="")
    #: Where this podcast moved to: ``itunes:new-feed-url`` and a 301 from our feed.
    new_feed_url: Mapped[str] = mapped_column(String(500), default="")

    episodes: Mapped[list[Episode]] = relationship(back_populates="show")
    hosts: Mapped[list[Person]] = relationship(
        back_populates="show", order_by="Person.position", cascade="all, delete-orphan"
    )

    @classmethod
    def default(cls) -> Show | None:
        """The first podcast: the one of ``/podcast/feed.xml`` and of new episodes."""
        return db.session.scalars(select(cls).order_by(cls.id).limit(1)).first()

    def __repr__(self) -> str:
        return f"<Show {self.slug}>"


class Episode(Base, Publishable):
    """A podcast episode. Its ``guid`` never changes, also when the audio does."""

    __tablename__ = "episodes"
    #: Covers the feed's fingerprint query (feed/state.py): no table rows are read.
    __table_args__ = (
        Index("ix_episodes_feed_state", "show_id", "status", "published_at", "updated_at"),
    )
    kind: ClassVar[str] = "episode"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: A UUID for episodes made here; an imported episode keeps its feed's GUID (any text).
    guid: Mapped[str] = mapped_column(String(255), unique=True, default=new_guid)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="RESTRICT"))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    show_notes: Mapped[str] = mapped_column(Text, default="")
    #: File name of the audio in the media directory (carries id and content hash).
    audio_path: Mapped[str | None] = mapped_column(String(255))
    audio_mime: Mapped[str | None] = mapped_column(String(50))
    audio_size: Mapped[int | None] = mapped_column(Integer)
    audio_sha256: Mapped[str | None] = mapped_column(String(64))
    duration: Mapped[float | None] = mapped_column(Float)
    #: File name of the episode's own artwork in the media directory, if any.
    artwork_path: Mapped[str | None] = mapped_column(String(255))
    season: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[int | None] = mapped_column(Integer)
    episode_type: Mapped[str] = mapped_column(String(16), default="full")
    explicit: Mapped[bool] = mapped_column(Boolean, default=False)
    content_note: Mapped[str] = mapped_column(Text, default="")
    perspective: Mapped[str | None] = mapped_column(String(32))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))
    #: WebVTT source of the transcript, if any.
    transcript_vtt: Mapped[str | None] = mapped_column(Text)
    #: ``[{"start": seconds, "title": str, "url": str | None}, ...]``
    chapters: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)

    show: Mapped[Show] = relationship(back_populates="episodes")
    campaign: Mapped[Campaign | None] = relationship(back_populates="episodes")
    tags: Mapped[list[Tag]] = relationship(secondary=episode_tags, order_by=Tag.name)
    related_stories: Mapped[list[Story]] = relationship(
        secondary=story_episode_links, back_populates="related_episodes"
    )
    persons: Mapped[list[Person]] = relationship(
        back_populates="episode",
        order_by="Person.position, Person.id",
        cascade="all, delete-orphan",
    )

    def person_for(self, voice: str | None) -> Person | None:
        """The person the transcript's ``voice`` is mapped to, if any."""
        if not voice:
            return None
        return next((person for person in self.persons if person.voice == voice), None)

    def spoken_cues(self, labelled: bool = False) -> list[Cue]:
        """The transcript as published: each speaker as their person's shown name.

        With ``labelled`` (the page, search) the name carries the perspective:
        ``Sanne (ervaringsdeskundige)``. A voice no person is mapped to stays
        as it is in the transcript.
        """
        cues = self.transcript_cues()
        labels = {
            person.voice: person.label if labelled else person.name
            for person in self.persons
            if person.voice
        }
        return [
            Cue(cue.start, cue.end, cue.text, labels.get(cue.speaker, cue.speaker))
            if cue.speaker
            else cue
            for cue in cues
        ]

    def transcript_cues(self) -> list[Cue]:
        """The transcript as cues; an unreadable one is logged and left out (never fatal)."""
        if not self.transcript_vtt:
            return []
        try:
            return parse_transcript(self.transcript_vtt, "vtt")
        except TranscriptError as error:
            log.warning("transcript of episode %s unusable: %s", self.slug, error.cause)
            return []

    def __repr__(self) -> str:
        return f"<Episode {self.slug}>"


class Story(Base, Publishable):
    """A written experience story."""

    __tablename__ = "stories"
    __table_args__ = (Index("ix_stories_feed_state", "status", "published_at", "updated_at"),)
    kind: ClassVar[str] = "story"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    #: The storyteller's chosen display name; a pseudonym is normal.
    author_name: Mapped[str] = mapped_column(String(120), default="Anoniem")
    perspective: Mapped[str | None] = mapped_column(String(32))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))
    content_note: Mapped[str] = mapped_column(Text, default="")
    reading_minutes: Mapped[int] = mapped_column(Integer, default=1)

    campaign: Mapped[Campaign | None] = relationship(back_populates="stories")
    tags: Mapped[list[Tag]] = relationship(secondary=story_tags, order_by=Tag.name)
    related_episodes: Mapped[list[Episode]] = relationship(
        secondary=story_episode_links, back_populates="related_stories"
    )

    def update_reading_time(self) -> None:
        words = len(self.body.split())
        self.reading_minutes = max(1, math.ceil(words / READING_WORDS_PER_MINUTE))

    def __repr__(self) -> str:
        return f"<Story {self.slug}>"


#: Kind -> model of the items visitors read and hear (``item.kind`` names the key).
ITEM_MODELS: dict[str, type[Story] | type[Episode]] = {"story": Story, "episode": Episode}


def slug_is_taken(model: type[Story] | type[Episode], slug: str, exclude_id: int | None) -> bool:
    query = select(model.id).where(model.slug == slug)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return db.session.scalar(query) is not None


def suggest_slug(
    model: type[Story] | type[Episode], wanted: str, exclude_id: int | None = None
) -> str:
    """``wanted`` if free, else ``wanted-2``, ``wanted-3`` ... (for the "taken" message)."""
    base = slugify(wanted)
    candidate, counter = base, 2
    while slug_is_taken(model, candidate, exclude_id):
        candidate = f"{base[:75]}-{counter}"
        counter += 1
    return candidate
