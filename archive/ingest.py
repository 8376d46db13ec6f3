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
from typing import Any, BinaryIO

from .audio import AudioInfo, Cover, cover_problems
from .models import Episode
from .storage import MediaStore, media_store

log = logging.getLogger(__name__)

#: Cover MIME type -> file extension for the stored artwork.
COVER_EXTENSIONS: dict[str, str] = {"image/jpeg": ".jpg", "image/png": ".png"}


def attach_audio(episode: Episode, stream: BinaryIO, store: MediaStore | None = None) -> str | None:
    """Store ``stream`` as the audio of ``episode`` (which must have an id).

    Returns the previous audio file name (or None) so that the caller deletes
    it after the commit that stops referring to it. Raises AudioError or
    UploadTooLarge (and then nothing is stored and the episode is unchanged).
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
        fill_from_tags(episode, stored.info, store)
    return previous


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def fill_from_tags(episode: Episode, info: AudioInfo, store: MediaStore) -> None:
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
        episode.artwork_path = save_cover(episode, info.cover, store)


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


def save_cover(episode: Episode, cover: Cover, store: MediaStore) -> str | None:
    """Store embedded cover art as the episode's artwork; None if it is not JPEG/PNG."""
    extension = COVER_EXTENSIONS.get(cover.mime)
    if extension is None:
        log.info("episode %s: cover art %s not kept (not JPEG or PNG)", episode.id, cover.mime)
        return None
    for problem in cover_problems(cover):
        log.info("episode %s: cover art: %s", episode.id, problem)
    digest = hashlib.sha256(cover.data).hexdigest()[:12]
    return store.save_bytes(cover.data, f"{episode.id}-cover-{digest}{extension}")


def new_files(episode: Episode, previous_artwork: str | None) -> list[str]:
    """Files written for ``episode`` by :func:`attach_audio` (to remove on rollback)."""
    names = [episode.audio_path]
    if episode.artwork_path and episode.artwork_path != previous_artwork:
        names.append(episode.artwork_path)
    return [name for name in names if name]
