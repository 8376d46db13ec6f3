"""Episodes from audio: one way in for the upload form, ``flask import`` and the demo.

The audio is staged (streamed and probed) before the transaction starts, so a
file that is not audio, or too large, is refused before anything is written,
and a transaction that runs again after a lost race places the same bytes
again instead of reading the upload twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select

from ..audio import Cover
from ..ingest import attach_audio, save_cover, tag_title
from ..models import Episode, Show, db
from ..storage import media_store
from ..text import clean_line
from .content import Publication, apply_publication, apply_values, choose_slug, load
from .unit import Actor, EditorialError, Unit, bump, check_version, run

DEFAULT_TITLE = "Nieuwe aflevering"
#: The longest GUID kept (the column's length).
GUID_LENGTH = 255


@dataclass
class NewAudio:
    """The episode that got the audio, and remarks for the editor (Dutch)."""

    episode: Episode
    notes: list[str] = field(default_factory=list)


def _show(show_id: int | None) -> Show:
    show = db.session.get(Show, show_id) if show_id is not None else Show.default()
    if show is None:
        raise EditorialError(
            "Er is nog geen podcast. Laad de demo of maak eerst een podcast aan.", "no show"
        )
    return show


def _check_guid(guid: str) -> None:
    taken = db.session.scalar(select(Episode.slug).where(Episode.guid == guid))
    if taken is not None:
        raise EditorialError(
            f"Er is al een aflevering met deze GUID: /podcast/{taken}.", f"guid {guid!r} taken"
        )


def create_episode(
    stream: BinaryIO,
    filename: str,
    who: Actor | Any,
    values: Mapping[str, Any] | None = None,
    *,
    publication: Publication | None = None,
    show_id: int | None = None,
    guid: str | None = None,
    artwork: Cover | None = None,
) -> NewAudio:
    """A new (draft) episode from an audio stream, filled from ``values`` and the file's tags.

    The title is ``values["title"]``, else the file's title tag, else the file
    name. ``guid`` keeps the GUID an episode had elsewhere (an import, a move);
    ``artwork`` is the episode's own image when the file has no usable cover.
    Raises AudioError or UploadTooLarge before anything is stored.
    """
    values = dict(values or {})
    guid = clean_line(guid or "", GUID_LENGTH) or None
    store = media_store()
    with store.stage_audio(stream) as staged:
        stem = clean_line(Path(filename or "").stem.replace("_", " "), 200)

        def work(unit: Unit) -> NewAudio:
            episode = Episode(show_id=_show(show_id).id, version=1)
            if guid is not None:
                _check_guid(guid)
                episode.guid = guid
            episode.title = (
                clean_line(values.get("title") or "", 200)
                or tag_title(staged.info)
                or stem
                or DEFAULT_TITLE
            )
            choose_slug(episode, values.get("slug"))
            db.session.add(episode)
            db.session.flush()  # the id goes into the file name
            attached = attach_audio(episode, staged, store, fill_from_file=True)
            for name in attached.written:
                unit.wrote(name)
            if artwork is not None and not episode.artwork_path:
                episode.artwork_path = save_cover(episode, artwork, store, attached.notes)
                unit.wrote(episode.artwork_path)
            with db.session.no_autoflush:
                apply_values(episode, {**values, "title": episode.title})
            action = apply_publication(episode, publication)
            unit.changed(episode, action or "created", filename or "")
            return NewAudio(episode, attached.notes)

        return run(work, who)


def replace_audio(
    episode_id: int,
    stream: BinaryIO,
    filename: str,
    who: Actor | Any,
    *,
    version: int | None = None,
    values: Mapping[str, Any] | None = None,
    publication: Publication | None = None,
) -> NewAudio:
    """New audio for an existing episode: a new file name, the same GUID.

    The old file is removed only after the commit that points at the new one.
    """
    store = media_store()
    with store.stage_audio(stream) as staged:

        def work(unit: Unit) -> NewAudio:
            episode = load("episode", episode_id)
            unit.subject = (episode.kind, episode.id)
            check_version(episode, version)
            attached = attach_audio(episode, staged, store, fill_from_file=False)
            for name in attached.written:
                unit.wrote(name)
            unit.replaced(attached.previous)
            if values:
                with db.session.no_autoflush:
                    apply_values(episode, values)
            apply_publication(episode, publication)
            bump(episode)
            unit.changed(episode, "audio_replaced", filename or "")
            return NewAudio(episode, attached.notes)

        return run(work, who)
