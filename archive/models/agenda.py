"""The agenda: activities around a campaign week (a webinar, a local evening, a launch)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from .base import Base, Timestamps, UTCDateTime, new_guid

if TYPE_CHECKING:
    from .content import Campaign

#: Where an event takes place: stored key -> label (Dutch).
EVENT_PLACES: dict[str, str] = {
    "national": "Landelijk",
    "place": "Op locatie",
    "online": "Online",
}


class Event(Base, Timestamps):
    """One activity in the agenda.

    ``starts_at``/``ends_at`` are UTC moments. An all-day event keeps its days
    in Europe/Amsterdam: ``starts_at`` is local midnight of the first day and
    ``ends_at`` local midnight after the last day (exclusive, as in RFC 5545).
    ``version`` grows with every editorial save and is the calendar's SEQUENCE.
    A cancelled event stays in the agenda and the calendars, marked as such.
    """

    __tablename__ = "events"
    kind: ClassVar[str] = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The calendar UID's local part: never changes, also when the title does.
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    #: One of :data:`EVENT_PLACES`.
    place_kind: Mapped[str] = mapped_column(String(16), default="national")
    #: The place's name ("Utrecht, Stadhuis") when ``place_kind`` is ``place``.
    place: Mapped[str] = mapped_column(String(200), default="")
    #: The meeting link when ``place_kind`` is ``online``.
    online_url: Mapped[str] = mapped_column(String(500), default="")
    organiser: Mapped[str] = mapped_column(String(200), default="")
    #: Markdown, rendered and sanitised like a story's body.
    description: Mapped[str] = mapped_column(Text, default="")
    registration_url: Mapped[str] = mapped_column(String(500), default="")
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Shown to visitors on a cancelled event ("Gaat niet door wegens ziekte").
    cancelled_message: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    campaign: Mapped[Campaign | None] = relationship(back_populates="events")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # As for stories and episodes: the editorial writer sets the next version.
        return {"version_id_col": cls.version, "version_id_generator": False}

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def where(self) -> str:
        """Where, in words: "Landelijk", the place's name, or "Online"."""
        if self.place_kind == "place" and self.place:
            return self.place
        return EVENT_PLACES.get(self.place_kind, "")

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"
