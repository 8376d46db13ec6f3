"""Audio ingestion: one path from an incoming stream to an episode's audio.

The editor's upload, ``flask import`` and the demo loader all come through
:func:`attach_audio`: the stream is stored by the media store (streamed, probed,
renamed into place), the episode gets the file's facts, and a new episode is
filled from the file's tags where the editor has not written anything yet.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import yaml
from sqlalchemy import select

from .audio import AudioError, AudioInfo, Cover, cover_problems
from .models import Episode, Show, db, get_or_create_tags, suggest_slug
from .storage import MediaStore, UploadTooLarge, file_sha256, media_store

if TYPE_CHECKING:
    from .importer import Outcome

log = logging.getLogger(__name__)

#: Cover MIME type -> file extension for the stored artwork.
COVER_EXTENSIONS: dict[str, str] = {"image/jpeg": ".jpg", "image/png": ".png"}


def attach_audio(
    episode: Episode,
    stream: BinaryIO,
    store: MediaStore | None = None,
    notes: list[str] | None = None,
) -> str | None:
    """Store ``stream`` as the audio of ``episode`` (which must have an id).

    Returns the previous audio file name (or None) so that the caller deletes
    it after the commit that stops referring to it. Raises AudioError or
    UploadTooLarge (and then nothing is stored and the episode is unchanged).
    Remarks for the editor (Dutch; e.g. why embedded cover art was not used)
    are appended to ``notes`` when given, and logged.
    """
    store = store or media_store()
    previous = episode.audio_path
    stored = store.save_audio(stream, episode.id)
    episode.audio_path = stored.name
    episode.audio_mime = stored.info.mime
    episode.audio_size = stored.size
    episode.audio_sha256 = stored.sha256
    episode.duration = stored.info.duration
    if previous is None:
        fill_from_tags(episode, stored.info, store, notes if notes is not None else [])
    return previous


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def fill_from_tags(episode: Episode, info: AudioInfo, store: MediaStore, notes: list[str]) -> None:
    """Fill the empty fields of a new episode from the file's tags.

    The upload view pre-sets the title to the file name's stem (a title is
    required); a tag title is better than that, so the title counts as empty
    while it is still the stem-like placeholder it was given at creation.
    """
    if info.title and (_is_empty(episode.title) or _title_is_placeholder(episode)):
        episode.title = info.title[:200]
    if info.comment:
        if _is_empty(episode.summary):
            episode.summary = _first_paragraph(info.comment)
        if _is_empty(episode.show_notes):
            episode.show_notes = info.comment
    if info.track is not None and episode.number is None:
        episode.number = info.track
    if info.chapters and _is_empty(episode.chapters):
        episode.chapters = [
            {"start": round(chapter.start, 3), "title": chapter.title, "url": chapter.url}
            for chapter in info.chapters
        ]
    if info.cover is not None and not episode.artwork_path:
        episode.artwork_path = save_cover(episode, info.cover, store, notes)


def _title_is_placeholder(episode: Episode) -> bool:
    """True while the title is what the upload view derived from the file name."""
    from .models import slugify

    title = (episode.title or "").strip()
    if not title or not episode.slug:
        return False
    base = slugify(title)
    return episode.slug == base or re.fullmatch(rf"{re.escape(base)}-\d+", episode.slug) is not None


def _first_paragraph(text: str, limit: int = 500) -> str:
    first = text.strip().split("\n\n")[0].strip()
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def save_cover(episode: Episode, cover: Cover, store: MediaStore, notes: list[str]) -> str | None:
    """Store embedded cover art as the episode's artwork, if directories would take it.

    The feed publishes an episode's artwork as its ``itunes:image``, and
    Apple Podcasts and Spotify refuse images outside their rules; cover art
    that breaks them is not used (the show's artwork stands in) and the
    reasons go to ``notes``.
    """
    problems = cover_problems(cover)
    extension = COVER_EXTENSIONS.get(cover.mime)
    if problems or extension is None:
        for problem in problems or [f"de omslagafbeelding is {cover.mime}, geen JPEG of PNG"]:
            notes.append(f"omslag uit het bestand niet gebruikt: {problem}")
            log.info("episode %s: cover art not used: %s", episode.id, problem)
        return None
    digest = hashlib.sha256(cover.data).hexdigest()[:12]
    return store.save_bytes(cover.data, f"{episode.id}-cover-{digest}{extension}")


def new_files(episode: Episode, previous_artwork: str | None) -> list[str]:
    """Files written for ``episode`` by :func:`attach_audio` (to remove on rollback)."""
    names = [episode.audio_path]
    if episode.artwork_path and episode.artwork_path != previous_artwork:
        names.append(episode.artwork_path)
    return [name for name in names if name]


# `flask import` for audio files, with an optional sidecar of show notes.

#: Sidecar keys (YAML, or Markdown front matter whose body is the show notes).
EPISODE_FIELDS: tuple[str, ...] = (
    "title",
    "slug",
    "show",
    "summary",
    "show_notes",
    "season",
    "number",
    "episode_type",
    "perspective",
    "tags",
    "campaign",
    "content_note",
    "status",
    "published_at",
)
SIDECAR_SUFFIXES: tuple[str, ...] = (".md", ".markdown", ".yaml", ".yml")
TRANSCRIPT_SUFFIXES: dict[str, str] = {".vtt": "vtt", ".srt": "srt"}


def read_sidecar(audio: Path) -> dict[str, Any]:
    """The checked values of the sidecar beside ``audio``; {} if there is none."""
    from .importer import ImportRefused, read_front_matter

    for suffix in SIDECAR_SUFFIXES:
        path = audio.with_suffix(suffix)
        if not path.is_file():
            continue
        if suffix in (".yaml", ".yml"):
            try:
                meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                kind = exc.__class__.__name__
                raise ImportRefused(f"{path.name} is geen geldige YAML ({kind})") from None
            if not isinstance(meta, dict):
                raise ImportRefused(f"{path.name} moet velden bevatten (sleutel: waarde)")
        else:
            meta, body = read_front_matter(path)
            if body.strip():
                meta.setdefault("show_notes", body.strip() + "\n")
        return _sidecar_values(meta, path.name)
    return {}


def _sidecar_values(meta: dict[str, Any], name: str) -> dict[str, Any]:
    from .importer import ImportRefused, parse_datetime
    from .models import EPISODE_TYPES, MAX_EPISODE_NUMBER, PERSPECTIVES, SLUG_PATTERN, STATUSES

    unknown = sorted(set(meta) - set(EPISODE_FIELDS))
    if unknown:
        raise ImportRefused(f"onbekende velden in {name}: {', '.join(map(str, unknown))}")
    values = {key: meta[key] for key in EPISODE_FIELDS if meta.get(key) not in (None, "")}
    for key in ("title", "slug", "show", "summary", "show_notes", "content_note"):
        if key in values:
            values[key] = str(values[key]).strip()
    if "slug" in values and not SLUG_PATTERN.match(values["slug"]):
        raise ImportRefused(f"slug {values['slug']!r} mag alleen kleine letters, cijfers en -")
    if len(values.get("title", "")) > 200:
        raise ImportRefused("title is langer dan 200 tekens")
    for key in ("season", "number"):
        if key in values and (not str(values[key]).isdigit()):
            raise ImportRefused(f"{key} moet een heel getal zijn, niet {values[key]!r}")
        if key in values:
            values[key] = int(values[key])
        if values.get(key, 0) > MAX_EPISODE_NUMBER:
            raise ImportRefused(f"{key} mag hoogstens {MAX_EPISODE_NUMBER} zijn")
    checks = {"episode_type": EPISODE_TYPES, "perspective": PERSPECTIVES, "status": STATUSES}
    for key, allowed in checks.items():
        if key in values and values[key] not in allowed:
            raise ImportRefused(f"onbekende {key} {values[key]!r} (kies uit: {', '.join(allowed)})")
    if isinstance(values.get("tags"), str):
        values["tags"] = [part.strip() for part in values["tags"].split(",") if part.strip()]
    if "tags" in values and not isinstance(values["tags"], list):
        raise ImportRefused("tags moet een lijst zijn")
    if "published_at" in values:
        values["published_at"] = parse_datetime(values["published_at"])
    return values


def _transcript(audio: Path) -> str | None:
    from .importer import ImportRefused
    from .text import TranscriptError, cues_to_vtt, parse_transcript

    for suffix, kind in TRANSCRIPT_SUFFIXES.items():
        path = audio.with_suffix(suffix)
        if path.is_file():
            try:
                return cues_to_vtt(parse_transcript(path.read_text(encoding="utf-8"), kind))
            except (TranscriptError, UnicodeDecodeError) as exc:
                raise ImportRefused(f"{path.name}: {exc}") from exc
    return None


def _show(slug: str | None) -> Show:
    from .importer import ImportRefused

    show = db.session.scalar(select(Show).where(Show.slug == slug)) if slug else Show.default()
    if show is None:
        raise ImportRefused(
            f"podcast {slug!r} bestaat niet"
            if slug
            else "er is nog geen podcast; laad de demo of maak eerst een podcast aan"
        )
    return show


def _apply_sidecar(episode: Episode, values: dict[str, Any]) -> None:
    from .importer import find_campaign

    for key in (
        "title",
        "summary",
        "show_notes",
        "season",
        "number",
        "episode_type",
        "perspective",
        "content_note",
    ):
        if key in values:
            setattr(episode, key, values[key])
    if "tags" in values:
        episode.tags = get_or_create_tags([str(tag) for tag in values["tags"]])
    if "campaign" in values:
        episode.campaign = find_campaign(values["campaign"])
    if values.get("status") == "published":
        episode.publish(values.get("published_at"))


def import_audio(path: Path, store: MediaStore | None = None) -> Outcome:
    """Create (or, by sidecar slug, update) the episode for the audio file ``path``.

    Refusals (not audio, truncated, too large, a bad sidecar) become an
    Outcome with the reason; the database and the media directory are then
    as they were.
    """
    from .importer import ImportRefused, Outcome, after_save

    values = read_sidecar(path)
    transcript = _transcript(path)
    digest = file_sha256(path)
    duplicate = db.session.scalar(select(Episode).where(Episode.audio_sha256 == digest))
    if duplicate is not None and duplicate.slug != values.get("slug", duplicate.slug):
        raise ImportRefused(f"deze audio is al aflevering /podcast/{duplicate.slug}")
    if duplicate is not None:
        return Outcome(path, True, f"ongewijzigd: /podcast/{duplicate.slug} heeft deze audio al")
    store = store or media_store()
    episode = None
    if "slug" in values:
        episode = db.session.scalar(select(Episode).where(Episode.slug == values["slug"]))
    created = episode is None
    if episode is None:
        stem = path.stem[:200]  # Episode.title's length
        episode = Episode(
            show=_show(values.get("show")), title=stem, slug=suggest_slug(Episode, stem)
        )
        db.session.add(episode)
    previous_artwork = episode.artwork_path
    written: list[str] = []
    notes: list[str] = []
    old_audio = None
    try:
        db.session.flush()  # the id goes into the file name
        with path.open("rb") as stream:
            old_audio = attach_audio(episode, stream, store, notes)
        written = new_files(episode, previous_artwork)
        _apply_sidecar(episode, values)
        if transcript:
            episode.transcript_vtt = transcript
        if created:
            episode.slug = values.get("slug") or suggest_slug(Episode, episode.title, episode.id)
        _record(episode, "created" if created else "audio_replaced", path.name)
        db.session.commit()
    except (AudioError, UploadTooLarge) as error:
        db.session.rollback()
        store.discard(written)
        log.info("import refused %s: %s", path, error.cause)
        return Outcome(path, False, error.message)
    except Exception:
        db.session.rollback()
        store.discard(written)
        raise
    if old_audio and old_audio != episode.audio_path:
        store.discard([old_audio])
    after_save(episode)
    return Outcome(path, True, _summary(episode, created, notes))


def _record(episode: Episode, action: str, detail: str) -> None:
    from .editorial import record

    record(None, episode.kind, episode.id, action, f"flask import {detail}")


def _summary(episode: Episode, created: bool, notes: list[str]) -> str:
    minutes, seconds = divmod(round(episode.duration or 0), 60)
    state = "gepubliceerd" if episode.status == "published" else "concept"
    verb = "nieuwe aflevering" if created else "audio vervangen van"
    parts = [
        f"{verb} /podcast/{episode.slug} ({episode.audio_mime}, {minutes}:{seconds:02d}, {state})"
    ]
    parts += [f"let op: {note}" for note in notes]
    return "; ".join(parts)
