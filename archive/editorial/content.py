"""Stories and episodes: save, publish, schedule, withdraw, delete.

Callers pass plain values (from a form, a front-matter file, the demo), never
half-changed rows: a transaction that loses a race runs again from the values.
Every title, name and tag is cleaned here (invisible and bidirectional control
characters removed, cut to its column at a word boundary), whoever the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from ..localtime import local_label
from ..models import (
    ITEM_MODELS,
    Episode,
    Story,
    Tag,
    db,
    slug_is_taken,
    slugify,
    suggest_slug,
    utcnow,
)
from ..text import clean_line
from .unit import Actor, EditorialError, ItemGone, Unit, bump, check_version, run

Item = Story | Episode

#: Field -> column length of the one-line texts that are cleaned on every save.
LINE_FIELDS: dict[str, int] = {"title": 200, "author_name": 120}
#: Fields copied as they are (after the form or importer checked them).
PLAIN_FIELDS: dict[str, tuple[str, ...]] = {
    "story": ("summary", "body", "perspective", "content_note", "campaign_id", "embargo_until"),
    "episode": (
        "summary",
        "show_notes",
        "perspective",
        "content_note",
        "campaign_id",
        "embargo_until",
        "season",
        "number",
        "episode_type",
        "explicit",
        "chapters",
    ),
}
#: Set only when given (None means "keep"): a transcript is replaced, not cleared.
KEEP_IF_NONE: tuple[str, ...] = ("transcript_vtt",)
TAG_LENGTH = 80


class SlugTaken(EditorialError):
    status_code = 422

    def __init__(self, wanted: str, free: str) -> None:
        super().__init__(
            f"Het adres '{wanted}' is al in gebruik. Vrij is: '{free}'.", wanted, field="slug"
        )


@dataclass(frozen=True)
class Publication:
    """What to do with the publication state: ``draft``, ``now``, ``at`` (a moment)."""

    choice: str
    at: datetime | None = None


DRAFT = Publication("draft")
NOW = Publication("now")


def load(kind: str, item_id: int) -> Item:
    item = db.session.get(ITEM_MODELS[kind], item_id)
    if item is None:
        raise ItemGone("Dit item bestaat niet (meer).", f"{kind} {item_id} not found")
    return item


def _insert(table: type[Tag]):  # type: ignore[no-untyped-def]
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def tags_named(names: Iterable[str]) -> list[Tag]:
    """Tags by name, created where missing with an upsert (a race creates one, not an error).

    Tags are identified by slug; the first spelling of a new tag wins.
    """
    wanted: dict[str, str] = {}
    for raw in names:
        name = clean_line(str(raw), TAG_LENGTH)
        if name:
            wanted.setdefault(slugify(name), name)
    if not wanted:
        return []
    rows = [{"slug": slug, "name": name} for slug, name in wanted.items()]
    db.session.execute(_insert(Tag).values(rows).on_conflict_do_nothing(index_elements=["slug"]))
    found = {tag.slug: tag for tag in db.session.scalars(select(Tag).where(Tag.slug.in_(wanted)))}
    return [found[slug] for slug in wanted]


def choose_slug(item: Item, wanted: str | None) -> None:
    model = type(item)
    if wanted:
        if slug_is_taken(model, wanted, item.id):
            raise SlugTaken(wanted, suggest_slug(model, wanted, item.id))
        item.slug = wanted
    elif not item.slug:
        item.slug = suggest_slug(model, item.title or "item", item.id)


def apply_values(item: Item, values: Mapping[str, Any]) -> None:
    """Copy ``values`` onto ``item``: cleaned lines, plain fields, tags, links."""
    for name, length in LINE_FIELDS.items():
        if name in values and hasattr(item, name):
            setattr(item, name, clean_line(values[name] or "", length))
    for name in PLAIN_FIELDS[item.kind]:
        if name in values:
            setattr(item, name, values[name])
    for name in KEEP_IF_NONE:
        if values.get(name) is not None and hasattr(item, name):
            setattr(item, name, values[name])
    if values.get("clear_transcript") and isinstance(item, Episode):
        item.transcript_vtt = None
    if "is_demo" in values:
        item.is_demo = bool(values["is_demo"])
    if "tags" in values:
        item.tags = tags_named(values["tags"])
    if "related_episodes" in values and isinstance(item, Story):
        ids = list(values["related_episodes"])
        item.related_episodes = list(db.session.scalars(select(Episode).where(Episode.id.in_(ids))))
    if isinstance(item, Story) and "body" in values:
        item.update_reading_time()
    if not item.title:
        raise EditorialError("Een titel is verplicht.", "empty title", field="title")
    choose_slug(item, values.get("slug") or None)


def apply_publication(item: Item, publication: Publication | None) -> str | None:
    """Publish now, at a moment, or back to draft; the history action, if any."""
    if publication is None:
        return None
    if publication.choice == "draft":
        if item.status == "published":
            item.status = "draft"
        return None
    if publication.choice == "now":
        keep = item.is_public and item.published_at  # an edit keeps the original date
        moment = item.published_at if keep else utcnow()
    elif publication.choice == "at":
        if publication.at is None:
            raise EditorialError("Kies een datum en tijd om in te plannen.", field="publication")
        moment = publication.at
    else:
        raise ValueError(publication.choice)
    if item.embargo_until and moment < item.embargo_until:
        raise EditorialError(
            f"Dit mag pas vanaf {local_label(item.embargo_until)} online "
            "(embargo van de verteller).",
            f"embargo until {item.embargo_until}",
            field="publication",
        )
    item.publish(moment)
    return "scheduled" if moment > utcnow() else "published"


def save(
    kind: str,
    item_id: int | None,
    values: Mapping[str, Any],
    who: Actor | Any,
    *,
    version: int | None = None,
    publication: Publication | None = None,
    detail: str = "",
) -> Item:
    """Create (``item_id`` None) or change a story or episode, and set its publication.

    ``version`` is the version the editor opened; a newer one in the database
    raises :class:`~.unit.EditConflict` and nothing is saved.
    """
    model = ITEM_MODELS[kind]

    def work(unit: Unit) -> Item:
        item = load(kind, item_id) if item_id is not None else model()
        if item_id is not None:
            unit.subject = (item.kind, item.id)
            check_version(item, version)
        with db.session.no_autoflush:
            apply_values(item, values)
        action = apply_publication(item, publication)
        bump(item)
        db.session.add(item)
        db.session.flush()
        unit.changed(item, action or ("created" if item_id is None else "changed"), detail)
        return item

    return run(work, who)


def publish(
    kind: str,
    item_id: int,
    who: Actor | Any,
    at: datetime | None = None,
    version: int | None = None,
) -> Item:
    """Publish now (``at`` None) or at ``at``; refused before the embargo."""
    return save(
        kind, item_id, {}, who, version=version, publication=Publication("at", at or utcnow())
    )


def withdraw(
    kind: str, item_id: int, reason: str, who: Actor | Any, version: int | None = None
) -> Item:
    """Offline at once (site, feed, search), with the reason for editors only."""

    def work(unit: Unit) -> Item:
        item = load(kind, item_id)
        unit.subject = (item.kind, item.id)
        check_version(item, version)
        item.withdraw(reason.strip() or None)
        bump(item)
        unit.changed(item, "withdrawn", reason.strip())
        return item

    return run(work, who)


def delete(kind: str, item_id: int, who: Actor | Any, version: int | None = None) -> str:
    """Delete the item and (for an episode) its files; returns its title."""

    def work(unit: Unit) -> str:
        item = load(kind, item_id)
        unit.subject = (item.kind, item.id)
        check_version(item, version)
        if isinstance(item, Episode):
            unit.replaced(item.audio_path)
            unit.replaced(item.artwork_path)
        title = item.title
        unit.deleted(item, title)
        db.session.delete(item)
        return title

    return run(work, who)
