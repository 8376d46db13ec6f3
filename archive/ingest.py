"""The audio path: staged, probed audio becomes an episode's audio.

The media store streams and probes an upload (:meth:`MediaStore.stage_audio`);
:func:`attach_audio` gives the staged bytes their final name (episode id and
content hash) and copies the file's facts onto the episode, and for a new
episode its tags: show notes, number, chapters and cover art. It commits
nothing: :mod:`archive.editorial` owns the transaction and removes the files
listed in :class:`Attached` if it fails.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from .audio import AudioInfo, Cover, cover_problems
from .models import Episode
from .storage import MediaStore, StagedFile
from .text import clean_line

log = logging.getLogger(__name__)

#: Cover MIME type -> file extension for the stored artwork.
COVER_EXTENSIONS: dict[str, str] = {"image/jpeg": ".jpg", "image/png": ".png"}
TITLE_LENGTH = 200
SUMMARY_LENGTH = 500


@dataclass
class Attached:
    """What :func:`attach_audio` did to the media directory, and remarks for the editor."""

    #: The audio file it replaced: remove after the commit.
    previous: str | None = None
    #: Files it wrote: remove if the transaction fails.
    written: list[str] = field(default_factory=list)
    #: Dutch remarks (e.g. why embedded cover art was not used).
    notes: list[str] = field(default_factory=list)


def attach_audio(
    episode: Episode, staged: StagedFile, store: MediaStore, *, fill_from_file: bool
) -> Attached:
    """Make ``staged`` the audio of ``episode`` (which must have an id).

    With ``fill_from_file`` (a new episode) the file's tags fill the fields
    that have no value yet.
    """
    previous = episode.audio_path
    stored = store.place(staged, episode.id)
    result = Attached(previous=previous if previous != stored.name else None)
    if stored.name != previous:
        result.written.append(stored.name)
    episode.audio_path = stored.name
    episode.audio_mime = stored.info.mime
    episode.audio_size = stored.size
    episode.audio_sha256 = stored.sha256
    episode.duration = stored.info.duration
    if fill_from_file:
        fill_from_tags(episode, stored.info, store, result)
    return result


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def tag_title(info: AudioInfo) -> str:
    """The title a file's tags give, cleaned for a title column ("" if none)."""
    return clean_line(info.title or "", TITLE_LENGTH)


def fill_from_tags(episode: Episode, info: AudioInfo, store: MediaStore, result: Attached) -> None:
    """Fill the empty fields of a new episode from the file's tags."""
    if _is_empty(episode.title) and tag_title(info):
        episode.title = tag_title(info)
    if info.comment:
        if _is_empty(episode.summary):
            episode.summary = _first_paragraph(info.comment)
        if _is_empty(episode.show_notes):
            episode.show_notes = info.comment
    if info.track is not None and episode.number is None:
        episode.number = info.track
    if info.chapters and _is_empty(episode.chapters):
        episode.chapters = [
            {
                "start": round(chapter.start, 3),
                "title": clean_line(chapter.title or "", TITLE_LENGTH),
                "url": chapter.url,
            }
            for chapter in info.chapters
        ]
    if info.cover is not None and not episode.artwork_path:
        episode.artwork_path = save_cover(episode, info.cover, store, result.notes)
        if episode.artwork_path:
            result.written.append(episode.artwork_path)


def _first_paragraph(text: str, limit: int = SUMMARY_LENGTH) -> str:
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
