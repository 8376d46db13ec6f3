"""Who works in ``/beheer``: editors, their recovery codes, and the history of what they did."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .base import Base, Timestamps, UTCDateTime, new_session_token, utcnow


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
