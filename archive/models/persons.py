"""Who speaks in an episode (and who hosts a show): persons, their roles and the taxonomy.

A person's ``name`` is the name shown everywhere (a pseudonym is normal; the
real name is then never stored). ``voice`` is the label the transcript uses
for them (``<v Sanne>``, ``Sanne:``); cues with that voice are shown under
the person's name and role. ``href`` and ``img`` are kept only with consent.
When a storyteller withdraws their name, ``name`` and ``voice`` become a
neutral label and ``name_withdrawn`` is set (see ``editorial.persons``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base

if TYPE_CHECKING:
    from .content import Episode, Show

#: Podcasting 2.0 person taxonomy (podcasttaxonomy.json): role -> (group, Dutch label).
#: The roles that fit a spoken archive; ``podcast:person`` writes role and group as here.
PERSON_ROLES: dict[str, tuple[str, str]] = {
    "host": ("cast", "Presentator"),
    "co-host": ("cast", "Copresentator"),
    "guest": ("cast", "Gast"),
    "guest host": ("cast", "Gastpresentator"),
    "narrator": ("cast", "Verteller (stem)"),
    "voice actor": ("cast", "Stemacteur"),
    "producer": ("creative direction", "Producent"),
    "editor": ("post production", "Redacteur"),
}

#: Our own perspective of a speaker -> the Dutch label shown after their name.
SPEAKER_PERSPECTIVES: dict[str, str] = {
    "storyteller": "ervaringsdeskundige",
    "professional": "professional",
    "parent": "ouder",
    "child": "kind of jongere",
    "expert": "deskundige",
    "interviewer": "interviewer",
}

#: What a person whose name was withdrawn is called, unless the editor picks another label.
WITHDRAWN_LABEL = "Verteller"
NAME_LENGTH = 120
URL_LENGTH = 500


class Person(Base):
    """A person of an episode (``episode_id``) or a host of a show (``show_id``)."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int | None] = mapped_column(
        ForeignKey("shows.id", ondelete="CASCADE"), index=True
    )
    episode_id: Mapped[int | None] = mapped_column(
        ForeignKey("episodes.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: The transcript's label for this person ("" for a person who is only credited).
    voice: Mapped[str] = mapped_column(String(NAME_LENGTH), default="")
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    role: Mapped[str] = mapped_column(String(40), default="guest")
    perspective: Mapped[str] = mapped_column(String(32), default="")
    href: Mapped[str] = mapped_column(String(URL_LENGTH), default="")
    img: Mapped[str] = mapped_column(String(URL_LENGTH), default="")
    name_withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)

    episode: Mapped[Episode | None] = relationship(back_populates="persons")
    show: Mapped[Show | None] = relationship(back_populates="hosts")

    @property
    def group(self) -> str:
        return PERSON_ROLES.get(self.role, ("cast", ""))[0]

    @property
    def perspective_label(self) -> str:
        return SPEAKER_PERSPECTIVES.get(self.perspective, "")

    @property
    def label(self) -> str:
        """The name as shown with the transcript: ``Sanne (ervaringsdeskundige)``."""
        extra = self.perspective_label
        return f"{self.name} ({extra})" if extra else self.name

    def __repr__(self) -> str:
        return f"<Person {self.id}>"
