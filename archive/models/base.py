"""The ground floor of the model: the database handle, time, slugs and the publication rule.

The publication rule lives here, in :class:`Publishable`, and nowhere else.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
import uuid
from datetime import UTC, datetime
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Boolean, DateTime, Integer, String, Text, TypeDecorator, and_
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column


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
        # ``is not None``: ``moment`` may be a bind parameter, which has no truth value.
        at = moment if moment is not None else utcnow()
        return and_(cls.published_clause(), cls.published_at <= at)

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
