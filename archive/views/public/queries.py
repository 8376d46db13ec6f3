"""Public queries: only what the one publication rule lets through."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from flask import request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from ...models import PERSPECTIVES, Campaign, Episode, Show, Story, Tag, db

T = TypeVar("T", Story, Episode)

#: Items per page of a list.
PER_PAGE = 10
#: How many related items a story or episode page shows.
RELATED_LIMIT = 4


def public(model: type[T]) -> Select[tuple[T]]:
    """Public items of ``model``, newest first (by id among equals: pages never overlap)."""
    newest = (model.published_at.desc(), model.id.desc())
    return select(model).where(model.public_clause()).order_by(*newest)


def default_show() -> Show | None:
    """The main podcast, read once per request (links, preview and subscribe box need it).

    Kept on the request, not on ``g``: an app context can outlive one request.
    """
    if not hasattr(request, "archive_default_show"):
        request.archive_default_show = Show.default()  # type: ignore[attr-defined]
    return request.archive_default_show  # type: ignore[attr-defined]


def latest(model: type[T], limit: int) -> list[T]:
    return list(db.session.scalars(public(model).limit(limit)))


def public_by_slug(model: type[T], slug: str) -> T | None:
    return db.session.scalar(select(model).where(model.slug == slug, model.public_clause()))


@dataclass(frozen=True)
class StoryFilters:
    """The story list's filters, read from the query string (unknown values are ignored)."""

    perspective: str | None = None
    tag: str | None = None
    campaign: str | None = None

    @classmethod
    def from_args(cls, args: Any) -> StoryFilters:
        perspective = args.get("perspectief") or None
        return cls(
            perspective=perspective if perspective in PERSPECTIVES else None,
            tag=args.get("onderwerp") or None,
            campaign=args.get("campagne") or None,
        )

    def apply(self, query: Select[tuple[Story]]) -> Select[tuple[Story]]:
        if self.perspective:
            query = query.where(Story.perspective == self.perspective)
        if self.tag:
            query = query.where(Story.tags.any(Tag.slug == self.tag))
        if self.campaign:
            query = query.where(Story.campaign.has(Campaign.slug == self.campaign))
        return query

    def args(self) -> dict[str, str]:
        """The active filters as query-string arguments (for pagination links)."""
        pairs = {"perspectief": self.perspective, "onderwerp": self.tag, "campagne": self.campaign}
        return {key: value for key, value in pairs.items() if value}


def story_tags() -> list[Tag]:
    """Tags used by at least one public story, by name."""
    query = select(Tag).where(Tag.id.in_(
        select(Tag.id).join(Story.tags).where(Story.public_clause())
    )).order_by(Tag.name)  # fmt: skip
    return list(db.session.scalars(query))


def campaigns() -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).order_by(Campaign.starts_on.desc())))


def related(model: type[T], linked: list[T], tags: list[Tag], exclude: T | None = None) -> list[T]:
    """Editor-linked public items first, then public items sharing the most tags, newest first."""
    chosen = [item for item in linked if item.is_public and item is not exclude]
    # A relationship has no order of its own (PostgreSQL returns rows as they lie).
    chosen.sort(key=lambda item: (item.published_at, item.id), reverse=True)
    if len(chosen) < RELATED_LIMIT and tags:
        wanted = {t.id for t in tags}
        query = public(model).where(model.tags.any(Tag.id.in_(wanted)))
        if exclude is not None and exclude.id is not None:
            query = query.where(model.id != exclude.id)
        # The candidates' tags in one query, not one per candidate.
        query = query.options(selectinload(model.tags)).limit(RELATED_LIMIT * 5)
        candidates = list(db.session.scalars(query))
        # Stable sort: most shared tags first, newest first among equals.
        candidates.sort(key=lambda item: -len(wanted & {t.id for t in item.tags}))
        chosen += [item for item in candidates if item not in chosen]
    return chosen[:RELATED_LIMIT]


def public_counts(model: type[T]) -> dict[int, int]:
    """Campaign id -> how many public items of ``model`` belong to it."""
    query = (
        select(model.campaign_id, func.count(model.id))
        .where(model.public_clause(), model.campaign_id.is_not(None))
        .group_by(model.campaign_id)
    )
    return {campaign_id: count for campaign_id, count in db.session.execute(query)}
