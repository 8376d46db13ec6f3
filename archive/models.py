"""The content model: shows, episodes, stories, campaigns, editors and tags.

The database is the truth; the search index and the feeds are derived from it.
The publication rule lives here, in :class:`Publishable`, and nowhere else.
"""

from __future__ import annotations

import logging
import math
import re
import secrets
import unicodedata
import uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    TypeDecorator,
    and_,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .text import Cue, TranscriptError, parse_transcript

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Store naive UTC, hand out aware UTC: the same on SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime (UTC)")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)

#: Who tells the story. Keys are stored; labels are shown (Dutch).
PERSPECTIVES: dict[str, str] = {
    "professional": "Professional",
    "parent": "Ouder",
    "child": "Kind of jongere",
    "survivor": "Ervaringsdeskundige",
    "bystander": "Omstander",
    "foster_parent": "Pleegouder",
    "teacher": "Leerkracht",
}

STATUSES: dict[str, str] = {"draft": "Concept", "published": "Gepubliceerd"}

#: Apple's itunes:episodeType values.
EPISODE_TYPES: dict[str, str] = {"full": "Aflevering", "trailer": "Trailer", "bonus": "Bonus"}
#: The highest season or episode number taken (an INTEGER column on PostgreSQL overflows).
MAX_EPISODE_NUMBER = 99_999

ROLES: dict[str, str] = {"editor": "Redacteur", "admin": "Beheerder"}

#: Words per minute for the reading-time estimate (adult Dutch silent reading).
READING_WORDS_PER_MINUTE = 200

_SLUG_STRIP = re.compile(r"[^a-z0-9]+")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str, max_length: int = 80) -> str:
    """A URL slug from any text: ASCII, lower case, words joined by hyphens."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_STRIP.sub("-", folded.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        # At a word boundary when there is one: "een-lang-ver" would read as a typo.
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_length]
    return slug.rstrip("-") or "item"


def new_session_token() -> str:
    """A fresh random token for :attr:`Editor.session_token`."""
    return secrets.token_urlsafe(32)


def new_guid() -> str:
    return str(uuid.uuid4())


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


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Publishable(Timestamps):
    """Status, schedule, embargo and withdrawal: the one publication rule.

    An item is public when its status is ``published`` and ``published_at``
    has passed. Scheduling is a ``published_at`` in the future: no cron job
    is needed, the item becomes public by itself.
    """

    status: Mapped[str] = mapped_column(String(16), default="draft")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: The storyteller's "not before" date; publishing earlier is refused.
    embargo_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why it was taken offline (for editors only, never shown to visitors).
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Optimistic lock: every editorial save adds one, and an UPDATE against an
    #: older version fails (SQLAlchemy's ``version_id_col``; see ``editorial``).
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: Demo content is marked in the data and in the UI.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # The editorial writer sets the next version itself (one per save, also
        # when only tags change), so that every save is a versioned UPDATE.
        return {"version_id_col": cls.version, "version_id_generator": False}

    @property
    def is_published(self) -> bool:
        """Published now or scheduled: what the search index holds (it filters on the date)."""
        return self.status == "published" and self.published_at is not None

    def is_public_at(self, moment: datetime) -> bool:
        return self.is_published and self.published_at <= moment

    @property
    def is_public(self) -> bool:
        return self.is_public_at(utcnow())

    @classmethod
    def published_clause(cls) -> Any:
        """SQL condition for :attr:`is_published`."""
        return and_(cls.status == "published", cls.published_at.is_not(None))

    @classmethod
    def public_clause(cls, moment: datetime | None = None) -> Any:
        """SQL condition for "public at ``moment``" (default: now)."""
        return and_(cls.published_clause(), cls.published_at <= (moment or utcnow()))

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == "published"
            and self.published_at is not None
            and self.published_at > utcnow()
        )

    def publish(self, at: datetime | None = None) -> None:
        """Publish now, or schedule for ``at``; the embargo is respected."""
        moment = at or utcnow()
        if self.embargo_until is not None and moment < self.embargo_until:
            raise ValueError("publication before the embargo date")
        self.status = "published"
        self.published_at = moment
        self.withdrawn_at = None
        self.withdrawn_reason = None

    def withdraw(self, reason: str | None = None) -> None:
        """Take offline at once: back to draft, with the reason for editors."""
        self.status = "draft"
        self.withdrawn_at = utcnow()
        self.withdrawn_reason = reason


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

    @classmethod
    def current(cls) -> Campaign | None:
        """The latest edition (by start date), the one the home page shows."""
        return db.session.scalars(select(cls).order_by(cls.starts_on.desc()).limit(1)).first()

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

    episodes: Mapped[list[Episode]] = relationship(back_populates="show")

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
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
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


class Editor(UserMixin, Base, Timestamps):
    """Someone who may log in to ``/beheer`` (a Flask-Login user)."""

    __tablename__ = "editors"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="editor")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Part of every session's user id: a new token ends all sessions (see ``get_id``).
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    #: Part of the login throttle's keys: a new epoch forgets the account's failures.
    throttle_epoch: Mapped[int] = mapped_column(Integer, default=0)
    #: TOTP secret (base32); the second factor is on once ``totp_confirmed_at`` is set.
    totp_secret: Mapped[str | None] = mapped_column(String(32))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The time step of the last code accepted: a code works once.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="editor", cascade="all, delete-orphan"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:  # Flask-Login: the session carries the token too
        return f"{self.id}:{self.session_token}"

    @property
    def has_two_factor(self) -> bool:
        return self.totp_confirmed_at is not None

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated editors cannot log in
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def __repr__(self) -> str:
        return f"<Editor {self.email}>"


class RecoveryCode(Base):
    """A one-time code that stands in for the second factor (stored hashed)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    editor_id: Mapped[int] = mapped_column(ForeignKey("editors.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))

    editor: Mapped[Editor] = relationship(back_populates="recovery_codes")


class AuditEvent(Base):
    """Who did what to which item, and when (the editors' history)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("editors.id", ondelete="SET NULL"))
    #: Who acted when it was not an editor: ``command_line``, ``import``, ``demo``.
    actor: Mapped[str | None] = mapped_column(String(40))
    #: ``story``, ``episode``, ``editor`` ...; no foreign key, the item may be deleted.
    item_kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="")

    editor: Mapped[Editor | None] = relationship()


class Change(Base):
    """One committed change to content: the log that everything derived follows.

    Appended by :mod:`archive.editorial` in the same transaction as the change
    itself, in commit order (ids only grow; see ``editorial.changelog``).
    """

    __tablename__ = "changes"
    # AUTOINCREMENT: SQLite must never hand out an id again after pruning.
    __table_args__: ClassVar[dict[str, Any]] = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    item_kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[int] = mapped_column(Integer)
    #: The item's version after the change (None when it was deleted).
    version: Mapped[int | None] = mapped_column(Integer)
    #: saved, published, scheduled, withdrawn, deleted, audio_replaced.
    action: Mapped[str] = mapped_column(String(32))


class ChangeFollower(Base):
    """How far a follower (a node's search index, a cache) has applied the change log."""

    __tablename__ = "change_followers"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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
