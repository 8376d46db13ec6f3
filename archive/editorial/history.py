"""The editors' history of an item: labels and the query."""

from __future__ import annotations

from ..models import AuditEvent, Episode, Event, Story, db
from .unit import actor_name

#: Action -> Dutch label for the history list.
ACTIONS: dict[str, str] = {
    "created": "aangemaakt",
    "changed": "gewijzigd",
    "published": "gepubliceerd",
    "scheduled": "ingepland",
    "withdrawn": "teruggetrokken",
    "audio_replaced": "audio vervangen",
    "deleted": "verwijderd",
    "cancelled": "afgelast",
    "persons_changed": "sprekers gewijzigd",
    "name_withdrawn": "naam ingetrokken",
    "campaign_changed": "editie hernoemd",
    "account_created": "account aangemaakt",
    "account_changed": "account gewijzigd",
    "account_locked": "account tijdelijk geblokkeerd",  # before revision 0004
    "password_changed": "wachtwoord gewijzigd",
    "two_factor_enabled": "tweestapsverificatie aangezet",
    "two_factor_disabled": "tweestapsverificatie uitgezet",
    "recovery_code_used": "herstelcode gebruikt",
}


def history(item: Story | Episode | Event) -> list[AuditEvent]:
    """The item's events, newest first."""
    return list(
        db.session.scalars(
            db.select(AuditEvent)
            .where(AuditEvent.item_kind == item.kind, AuditEvent.item_id == item.id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        )
    )


__all__ = ["ACTIONS", "actor_name", "history"]
