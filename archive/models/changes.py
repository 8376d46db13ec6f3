"""The change log (appended by ``archive.editorial``) and how far each follower has read it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


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
