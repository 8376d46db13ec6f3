"""What needs the editors' attention: drafts, scheduled items, embargoes ending, latest changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from ..models import AuditEvent, Episode, Event, Story, db, utcnow

#: How many of each list the editors' home shows.
LIMIT = 10
#: Kinds of item whose changes the editors' home lists.
CONTENT_KINDS: dict[str, type[Story] | type[Episode] | type[Event]] = {
    "story": Story,
    "episode": Episode,
    "event": Event,
}


@dataclass(frozen=True)
class Change:
    event: AuditEvent
    title: str


def drafts() -> list[Story | Episode]:
    """Stories and episodes still in draft, last changed first."""
    found: list[Story | Episode] = []
    for model in (Story, Episode):
        query = select(model).where(model.status == "draft").order_by(model.updated_at.desc())
        found += db.session.scalars(query.limit(LIMIT)).all()
    return sorted(found, key=lambda item: item.updated_at, reverse=True)[:LIMIT]


def scheduled(now: datetime | None = None) -> list[Story | Episode]:
    """Items that will go public by themselves, soonest first."""
    moment = now or utcnow()
    found: list[Story | Episode] = []
    for model in (Story, Episode):
        query = select(model).where(model.published_clause(), model.published_at > moment)
        found += db.session.scalars(query.order_by(model.published_at).limit(LIMIT)).all()
    return sorted(found, key=lambda item: item.published_at)[:LIMIT]


def embargoes_ending(now: datetime | None = None, days: int = 7) -> list[Story | Episode]:
    """Items whose embargo ends within ``days`` days."""
    moment = now or utcnow()
    found: list[Story | Episode] = []
    for model in (Story, Episode):
        window = model.embargo_until.between(moment, moment + timedelta(days=days))
        found += db.session.scalars(select(model).where(window).limit(LIMIT)).all()
    return sorted(found, key=lambda item: item.embargo_until)[:LIMIT]


def latest_changes() -> list[Change]:
    """The latest history events on content, with the item's title (or that it is gone)."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.item_kind.in_(CONTENT_KINDS))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(LIMIT)
    )
    changes = []
    for event in db.session.scalars(query):
        item = db.session.get(CONTENT_KINDS[event.item_kind], event.item_id)
        changes.append(Change(event, item.title if item is not None else "(verwijderd)"))
    return changes
