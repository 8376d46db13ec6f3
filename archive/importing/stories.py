"""Stories from Markdown files with YAML front matter (created, or updated by slug)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from .. import editorial
from ..editorial import Actor
from ..models import PERSPECTIVES, SLUG_PATTERN, STATUSES, Story, db, slugify
from .common import (
    ImportRefused,
    Outcome,
    check_choice,
    check_unknown,
    find_campaign,
    parse_datetime,
    publication,
    read_front_matter,
    tag_list,
)

#: Front-matter keys a story may carry.
STORY_FIELDS: tuple[str, ...] = (
    "title",
    "slug",
    "summary",
    "author",
    "perspective",
    "tags",
    "campaign",
    "content_note",
    "status",
    "published_at",
    "is_demo",
)


def story_values(meta: dict[str, Any], body: str) -> dict[str, Any]:
    """Check a story's front matter; editorial values (plus status) or ImportRefused."""
    check_unknown(meta, STORY_FIELDS, "de kop")
    title = str(meta.get("title") or "").strip()
    if not title:
        raise ImportRefused("de kop mist een titel (title)")
    slug = str(meta.get("slug") or "").strip()
    if slug and not SLUG_PATTERN.match(slug):
        raise ImportRefused(f"slug {slug!r} mag alleen kleine letters, cijfers en - bevatten")
    check_choice("perspectief", meta.get("perspective"), PERSPECTIVES)
    status = meta.get("status", "draft")
    check_choice("status", status, STATUSES)
    if not body.strip():
        raise ImportRefused("het verhaal heeft geen tekst")
    campaign = find_campaign(meta.get("campaign"))
    return {
        "title": title,
        "slug": slug or slugify(title),
        "summary": str(meta.get("summary") or "").strip(),
        "author_name": str(meta.get("author") or "Anoniem").strip(),
        "perspective": meta.get("perspective"),
        "tags": tag_list(meta.get("tags")),
        "campaign_id": campaign.id if campaign else None,
        "content_note": str(meta.get("content_note") or "").strip(),
        "body": body.strip() + "\n",
        "status": status,
        "published_at": parse_datetime(meta.get("published_at")),
        "is_demo": bool(meta.get("is_demo", False)),
    }


def save_story(values: dict[str, Any], who: Actor, extra: dict[str, Any] | None = None) -> bool:
    """Create or update (by slug) the story; True when it was created."""
    values = dict(values)
    status, published_at = values.pop("status"), values.pop("published_at")
    existing = db.session.scalar(select(Story.id).where(Story.slug == values["slug"]))
    editorial.save(
        "story",
        existing,
        {**values, **(extra or {})},
        who,
        publication=publication(status, published_at) or editorial.DRAFT,
    )
    return existing is None


def import_story(path: Path) -> Outcome:
    """Create or update (by slug) the story in ``path``."""
    meta, body = read_front_matter(path)
    values = story_values(meta, body)
    created = save_story(values, editorial.IMPORT)
    verb = "nieuw verhaal" if created else "verhaal bijgewerkt"
    return Outcome(path, True, f"{verb} /verhalen/{values['slug']}")
