"""Episodes from audio files, with an optional sidecar of show notes and a transcript.

Beside ``opname.mp3`` may lie ``opname.md`` (front matter, body = show notes)
or ``opname.yaml``, and ``opname.vtt`` or ``opname.srt``. A sidecar ``slug``
that names an existing episode replaces that episode's audio; the same audio
twice is reported, not imported again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from .. import editorial
from ..audio import AudioError, Cover
from ..feed.chapters import parse_chapters
from ..models import (
    EPISODE_TYPES,
    MAX_EPISODE_NUMBER,
    PERSPECTIVES,
    SLUG_PATTERN,
    STATUSES,
    Episode,
    Show,
    db,
)
from ..storage import UploadTooLarge, file_sha256
from ..text import TranscriptError, clock, cues_to_vtt, parse_transcript
from .common import (
    ImportRefused,
    Outcome,
    check_choice,
    check_unknown,
    find_campaign,
    parse_datetime,
    publication,
    read_front_matter,
    read_yaml,
    tag_list,
)

#: Sidecar keys (YAML, or Markdown front matter whose body is the show notes).
EPISODE_FIELDS: tuple[str, ...] = (
    "persons",
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
    "guid",
    "explicit",
    "is_demo",
    "artwork",
)
SIDECAR_SUFFIXES: tuple[str, ...] = (".md", ".markdown", ".yaml", ".yml")
TRANSCRIPT_SUFFIXES: dict[str, str] = {".vtt": "vtt", ".srt": "srt"}
CHAPTERS_SUFFIX = ".chapters.json"
TEXT_KEYS: tuple[str, ...] = (
    "title",
    "slug",
    "show",
    "summary",
    "show_notes",
    "content_note",
    "guid",
    "artwork",
)
#: Sidecar fields that are not editorial values but arguments of ``create_episode``.
CREATE_ONLY: tuple[str, ...] = ("show", "status", "published_at", "campaign", "guid", "artwork")
#: Image suffix -> MIME type of an episode's artwork file.
ARTWORK_TYPES: dict[str, str] = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


def read_sidecar(audio: Path) -> dict[str, Any]:
    """The checked values of the sidecar beside ``audio``; {} if there is none."""
    for suffix in SIDECAR_SUFFIXES:
        path = audio.with_suffix(suffix)
        if not path.is_file():
            continue
        if suffix in (".yaml", ".yml"):
            meta = read_yaml(path)
        else:
            meta, body = read_front_matter(path)
            if body.strip():
                meta.setdefault("show_notes", body.strip() + "\n")
        return sidecar_values(meta, path.name)
    return {}


def sidecar_values(meta: dict[str, Any], name: str) -> dict[str, Any]:
    """Checked sidecar fields (absent or empty ones left out)."""
    check_unknown(meta, EPISODE_FIELDS, name)
    values = {key: meta[key] for key in EPISODE_FIELDS if meta.get(key) not in (None, "")}
    for key in TEXT_KEYS:
        if key in values:
            values[key] = str(values[key]).strip()
    if "slug" in values and not SLUG_PATTERN.match(values["slug"]):
        raise ImportRefused(f"slug {values['slug']!r} mag alleen kleine letters, cijfers en -")
    for key in ("season", "number"):
        if key in values:
            if not str(values[key]).isdigit():
                raise ImportRefused(f"{key} moet een heel getal zijn, niet {values[key]!r}")
            values[key] = int(values[key])
            if values[key] > MAX_EPISODE_NUMBER:
                raise ImportRefused(f"{key} mag hoogstens {MAX_EPISODE_NUMBER} zijn")
    check_choice("episode_type", values.get("episode_type"), EPISODE_TYPES)
    check_choice("perspective", values.get("perspective"), PERSPECTIVES)
    check_choice("status", values.get("status"), STATUSES)
    if "tags" in values:
        values["tags"] = tag_list(values["tags"])
    if "published_at" in values:
        values["published_at"] = parse_datetime(values["published_at"])
    for key in ("explicit", "is_demo"):
        if key in values and not isinstance(values[key], bool):
            raise ImportRefused(f"{key} moet true of false zijn, niet {values[key]!r}")
    return values


def read_transcript(audio: Path) -> str | None:
    """The transcript beside ``audio`` as WebVTT, or None.

    A valid WebVTT file is kept as it is (cue ids, styling: an export gives it
    back byte for byte); SRT is converted.
    """
    for suffix, kind in TRANSCRIPT_SUFFIXES.items():
        path = audio.with_suffix(suffix)
        if path.is_file():
            try:
                source = path.read_text(encoding="utf-8")
                cues = parse_transcript(source, kind)
                return source if kind == "vtt" else cues_to_vtt(cues)
            except (TranscriptError, UnicodeDecodeError) as exc:
                raise ImportRefused(f"{path.name}: {exc}") from exc
    return None


def read_chapters(audio: Path) -> list[dict[str, Any]] | None:
    """The chapters in ``<name>.chapters.json`` beside ``audio`` (JSON chapters), or None."""
    path = audio.with_suffix(CHAPTERS_SUFFIX)
    if not path.is_file():
        return None
    try:
        return parse_chapters(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportRefused(f"{path.name}: geen geldige hoofdstukken ({exc})") from None


def read_artwork(audio: Path, name: str | None) -> Cover | None:
    """The episode artwork file the sidecar names (beside the audio), or None."""
    if not name:
        return None
    path = audio.with_name(Path(name).name)
    mime = ARTWORK_TYPES.get(path.suffix.lower())
    if mime is None or not path.is_file():
        raise ImportRefused(f"artwork {path.name} ontbreekt of is geen JPEG of PNG")
    return Cover(path.read_bytes(), mime)


def _show_id(slug: str | None) -> int:
    show = db.session.scalar(select(Show).where(Show.slug == slug)) if slug else Show.default()
    if show is None:
        raise ImportRefused(
            f"podcast {slug!r} bestaat niet"
            if slug
            else "er is nog geen podcast; laad de demo of maak eerst een podcast aan"
        )
    return show.id


def editorial_values(sidecar: dict[str, Any], transcript: str | None) -> dict[str, Any]:
    """Sidecar fields as editorial values (without show, status and date)."""
    values = {
        key: value for key, value in sidecar.items() if key not in CREATE_ONLY and key != "persons"
    }
    if "campaign" in sidecar:
        campaign = find_campaign(sidecar["campaign"])
        values["campaign_id"] = campaign.id if campaign else None
    if transcript:
        values["transcript_vtt"] = transcript
    return values


def import_audio(path: Path) -> Outcome:
    """Create (or, by sidecar slug, update) the episode for the audio file ``path``.

    Refusals (not audio, truncated, too large, a bad sidecar) become an
    Outcome with the reason; the database and the media directory are then
    as they were.
    """
    sidecar = read_sidecar(path)
    values = editorial_values(sidecar, read_transcript(path))
    chapters = read_chapters(path)
    if chapters is not None:
        values["chapters"] = chapters
    artwork = read_artwork(path, sidecar.get("artwork"))
    published = publication(sidecar.get("status"), sidecar.get("published_at"))
    digest = file_sha256(path)
    duplicate = db.session.scalar(select(Episode).where(Episode.audio_sha256 == digest))
    if duplicate is not None and duplicate.slug != sidecar.get("slug", duplicate.slug):
        raise ImportRefused(f"deze audio is al aflevering /podcast/{duplicate.slug}")
    if duplicate is not None:
        return Outcome(path, True, f"ongewijzigd: /podcast/{duplicate.slug} heeft deze audio al")
    existing = None
    if "slug" in sidecar:
        existing = db.session.scalar(select(Episode.id).where(Episode.slug == sidecar["slug"]))
    try:
        with path.open("rb") as stream:
            if existing is None:
                result = editorial.create_episode(
                    stream,
                    path.name,
                    editorial.IMPORT,
                    values,
                    publication=published,
                    show_id=_show_id(sidecar.get("show")),
                    guid=sidecar.get("guid"),
                    artwork=artwork,
                )
            else:
                result = editorial.replace_audio(
                    existing,
                    stream,
                    path.name,
                    editorial.IMPORT,
                    values=values,
                    publication=published,
                )
    except (AudioError, UploadTooLarge) as error:
        return Outcome(path, False, error.message)
    if isinstance(sidecar.get("persons"), list):
        # Stored links and pictures were given with consent; a withdrawn name stays withdrawn.
        rows = [
            {**row, "consent": bool(row.get("href") or row.get("img"))}
            for row in sidecar["persons"]
            if isinstance(row, dict)
        ]
        editorial.save_persons(result.episode.id, rows, editorial.IMPORT)
    return Outcome(path, True, summary(result, existing is None))


def summary(result: editorial.NewAudio, created: bool) -> str:
    episode = result.episode
    state = "gepubliceerd" if episode.status == "published" else "concept"
    verb = "nieuwe aflevering" if created else "audio vervangen van"
    length = clock(episode.duration or 0, round)
    parts = [f"{verb} /podcast/{episode.slug} ({episode.audio_mime}, {length}, {state})"]
    parts += [f"let op: {note}" for note in result.notes]
    return "; ".join(parts)
