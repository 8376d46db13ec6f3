"""``flask import``: stories from Markdown files with YAML front matter.

Files are dispatched by suffix through :data:`IMPORTERS`; each importer
returns an :class:`Outcome` and never raises for a bad file, so one file that
cannot be taken does not stop the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from sqlalchemy import select

from .models import PERSPECTIVES, SLUG_PATTERN, STATUSES, Campaign, Story, db, get_or_create_tags

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    path: Path
    ok: bool
    message: str

    def __str__(self) -> str:
        mark = "ok" if self.ok else "GEWEIGERD"
        return f"{self.path}: {mark}: {self.message}"


class ImportRefused(Exception):
    """A file that cannot be imported; the message (Dutch) says why."""


#: Front-matter keys a story may carry, and whether they are required.
STORY_FIELDS: dict[str, bool] = {
    "title": True,
    "slug": False,
    "summary": False,
    "author": False,
    "perspective": False,
    "tags": False,
    "campaign": False,
    "content_note": False,
    "status": False,
    "published_at": False,
}
#: Front-matter text -> the longest its column takes (PostgreSQL refuses more).
MAX_LENGTHS: dict[str, int] = {"title": 200, "author": 120}


def parse_datetime(value: Any) -> datetime | None:
    """A front-matter date: YAML date/datetime or ISO text; naive means UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ImportRefused(f"published_at {value!r} is geen geldige datum") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def read_front_matter(path: Path) -> tuple[dict[str, Any], str]:
    try:
        post = frontmatter.load(path)
    except UnicodeDecodeError:
        raise ImportRefused("het bestand is geen UTF-8-tekst") from None
    except yaml.YAMLError as exc:
        raise ImportRefused(f"de YAML-kop is ongeldig ({exc.__class__.__name__})") from None
    return dict(post.metadata), post.content


def story_values(meta: dict[str, Any], body: str) -> dict[str, Any]:
    """Check a story's front matter; returns model values or raises ImportRefused."""
    unknown = sorted(set(meta) - set(STORY_FIELDS))
    if unknown:
        raise ImportRefused(f"onbekende velden in de kop: {', '.join(unknown)}")
    title = str(meta.get("title") or "").strip()
    if not title:
        raise ImportRefused("de kop mist een titel (title)")
    for key, limit in MAX_LENGTHS.items():
        if len(str(meta.get(key) or "").strip()) > limit:
            raise ImportRefused(f"{key} is langer dan {limit} tekens")
    slug = str(meta.get("slug") or "").strip()
    if slug and not SLUG_PATTERN.match(slug):
        raise ImportRefused(f"slug {slug!r} mag alleen kleine letters, cijfers en - bevatten")
    perspective = meta.get("perspective")
    if perspective is not None and perspective not in PERSPECTIVES:
        choices = ", ".join(PERSPECTIVES)
        raise ImportRefused(f"onbekend perspectief {perspective!r} (kies uit: {choices})")
    status = meta.get("status", "draft")
    if status not in STATUSES:
        raise ImportRefused(f"onbekende status {status!r} (kies uit: draft, published)")
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = [part.strip() for part in tags.split(",")]
    if not isinstance(tags, list):
        raise ImportRefused("tags moet een lijst zijn")
    published_at = parse_datetime(meta.get("published_at"))
    if status == "published" and published_at is None:
        published_at = datetime.now(UTC)
    if not body.strip():
        raise ImportRefused("het verhaal heeft geen tekst")
    return {
        "title": title,
        "slug": slug or None,
        "summary": str(meta.get("summary") or "").strip(),
        "author_name": str(meta.get("author") or "Anoniem").strip(),
        "perspective": perspective,
        "tags": [str(tag) for tag in tags],
        "campaign": meta.get("campaign"),
        "content_note": str(meta.get("content_note") or "").strip(),
        "status": status,
        "published_at": published_at,
        "body": body.strip() + "\n",
    }


def find_campaign(reference: Any) -> Campaign | None:
    """A campaign by slug, or by year (``campaign: 2021``)."""
    if reference is None or reference == "":
        return None
    query = select(Campaign)
    if isinstance(reference, int) or str(reference).isdigit():
        query = query.where(Campaign.year == int(reference)).order_by(Campaign.starts_on.desc())
    else:
        query = query.where(Campaign.slug == str(reference))
    campaign = db.session.scalars(query.limit(1)).first()
    if campaign is None:
        raise ImportRefused(f"campagne {reference!r} bestaat niet")
    return campaign


def apply_story(story: Story, values: dict[str, Any]) -> None:
    from .models import slugify

    story.title = values["title"]
    story.slug = values["slug"] or story.slug or slugify(values["title"])
    story.summary = values["summary"]
    story.body = values["body"]
    story.author_name = values["author_name"]
    story.perspective = values["perspective"]
    story.content_note = values["content_note"]
    story.status = values["status"]
    story.published_at = values["published_at"]
    story.campaign = find_campaign(values["campaign"])
    story.tags = get_or_create_tags(values["tags"])
    story.update_reading_time()


def import_story(path: Path) -> Outcome:
    """Create or update (by slug) the story in ``path``."""
    from .models import slugify

    meta, body = read_front_matter(path)
    values = story_values(meta, body)
    slug = values["slug"] or slugify(values["title"])
    story = db.session.scalar(select(Story).where(Story.slug == slug))
    created = story is None
    if story is None:
        story = Story(slug=slug)
        db.session.add(story)
    try:
        apply_story(story, values)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    after_save(story)
    verb = "nieuw verhaal" if created else "verhaal bijgewerkt"
    return Outcome(path, True, f"{verb} /verhalen/{story.slug}")


#: Hooks run after an imported item is committed (the search index registers one).
AFTER_SAVE: list[Callable[[Any], None]] = []


def after_save(item: Any) -> None:
    for hook in AFTER_SAVE:
        hook(item)


def import_audio(path: Path) -> Outcome:
    """An episode from an audio file (and its sidecar); see :mod:`archive.ingest`."""
    from .ingest import import_audio as ingest

    return ingest(path)


#: Audio file suffixes `flask import` picks up; the format itself is read from the content.
AUDIO_SUFFIXES = (".mp3", ".m4a", ".mp4", ".aac", ".ogg", ".oga", ".opus", ".flac", ".wav")

#: Suffix -> importer. The audio ingestion adds its formats here.
IMPORTERS: dict[str, Callable[[Path], Outcome]] = {
    ".md": import_story,
    ".markdown": import_story,
    **dict.fromkeys(AUDIO_SUFFIXES, import_audio),
}


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files to import: the given files, and the importable files inside given folders.

    A Markdown file beside an audio file of the same name is that episode's
    sidecar (show notes), not a story, and is left to the audio importer.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in IMPORTERS))
        else:
            files.append(path)
    audio_stems = {p.with_suffix("") for p in files if p.suffix.lower() not in {".md", ".markdown"}}
    return [
        p
        for p in files
        if not (p.suffix.lower() in {".md", ".markdown"} and p.with_suffix("") in audio_stems)
    ]


def import_file(path: Path) -> Outcome:
    """Import one file; every refusal becomes an Outcome with the reason."""
    if not path.exists():
        return Outcome(path, False, "bestand niet gevonden")
    importer = IMPORTERS.get(path.suffix.lower())
    if importer is None:
        known = ", ".join(sorted(IMPORTERS))
        return Outcome(path, False, f"onbekend bestandstype (bekend: {known})")
    try:
        return importer(path)
    except ImportRefused as exc:
        return Outcome(path, False, str(exc))
    except OSError as exc:
        return Outcome(path, False, f"kan het bestand niet lezen ({exc.strerror})")
