"""``flask export``: everything, in the files ``flask import`` reads back.

Layout of the folder (``NNN`` is the item's place in creation order, so two
exports of the same content give the same names)::

    campaigns/NNN-<slug>.campaign.yaml
    shows/<slug>.show.yaml            shows/<slug>.jpg (artwork)
    stories/NNN-<slug>.md             front matter + Markdown body
    episodes/NNN-<slug>.mp3           the audio as stored, byte for byte
    episodes/NNN-<slug>.yaml          the sidecar (show notes, GUID, publication ...)
    episodes/NNN-<slug>.vtt           transcript       .chapters.json  chapters
    episodes/NNN-<slug>.jpg           the episode's own artwork
    agenda/NNN-<slug>.event.yaml
    manifest.json                     every file with its size and sha256

Reads only; writes nothing to the database.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from .. import manifest
from ..feed.chapters import build_chapters
from ..models import Campaign, Episode, Event, Show, Story, db
from ..storage import media_store
from .catalog import CAMPAIGN_FIELDS, EVENT_FIELDS, SHOW_FIELDS

EXPORT_KIND = "archive-export"


@dataclass(frozen=True)
class ExportReport:
    counts: dict[str, int]
    files: int
    size: int

    def __str__(self) -> str:
        parts = ", ".join(f"{count} {kind}" for kind, count in self.counts.items())
        return f"Exported {parts}: {self.files} files, {self.size} bytes."


def _yaml(values: dict[str, Any]) -> str:
    return yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=100)


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _publication(item: Story | Episode) -> dict[str, Any]:
    if item.is_published:
        return {"status": "published", "published_at": _moment(item.published_at)}
    return {"status": "draft"}


def _without_empty(values: dict[str, Any]) -> dict[str, Any]:
    """Without empty fields; texts stripped as ``flask import`` strips them."""
    return {
        key: value.strip() if isinstance(value, str) else value
        for key, value in values.items()
        if value not in (None, "", [])
    }


def _copy_media(name: str, target: Path) -> None:
    shutil.copyfile(media_store().path(name), target)


def export_campaign(campaign: Campaign, folder: Path, position: int) -> None:
    # Exactly the fields `flask import` reads back (catalog.CAMPAIGN_FIELDS).
    values = {key: getattr(campaign, key) for key in CAMPAIGN_FIELDS}
    name = f"{position:03d}-{campaign.slug}.campaign.yaml"
    (folder / name).write_text(_yaml(values), encoding="utf-8")


def export_show(show: Show, folder: Path, position: int) -> None:
    # The fields `flask import` reads back (catalog.SHOW_FIELDS), the artwork as a file.
    values = {key: getattr(show, key) for key in SHOW_FIELDS if key not in ("artwork", "hosts")}
    if show.hosts:
        values["hosts"] = [{"name": host.name, "role": host.role} for host in show.hosts]
    if show.artwork_path:
        name = f"{show.slug}{Path(show.artwork_path).suffix}"
        _copy_media(show.artwork_path, folder / name)
        values["artwork"] = name
    (folder / f"{show.slug}.show.yaml").write_text(_yaml(values), encoding="utf-8")


def export_story(story: Story, folder: Path, position: int) -> None:
    meta = {
        "title": story.title,
        "slug": story.slug,
        "summary": story.summary,
        "author": story.author_name,
        "perspective": story.perspective,
        "tags": [tag.name for tag in story.tags],
        "campaign": story.campaign.slug if story.campaign else None,
        "content_note": story.content_note,
        **_publication(story),
        "is_demo": story.is_demo or None,
    }
    text = f"---\n{_yaml(_without_empty(meta))}---\n\n{story.body.strip()}\n"
    (folder / f"{position:03d}-{story.slug}.md").write_text(text, encoding="utf-8")


def export_episode(episode: Episode, folder: Path, position: int) -> None:
    if not episode.audio_path:
        return  # an episode without audio cannot be imported; there is nothing to listen to
    stem = f"{position:03d}-{episode.slug}"
    _copy_media(episode.audio_path, folder / f"{stem}{Path(episode.audio_path).suffix}")
    sidecar = {
        "title": episode.title,
        "slug": episode.slug,
        "guid": episode.guid,
        "show": episode.show.slug,
        "summary": episode.summary,
        "show_notes": episode.show_notes,
        "season": episode.season,
        "number": episode.number,
        "episode_type": episode.episode_type,
        "explicit": episode.explicit or None,
        "perspective": episode.perspective,
        "tags": [tag.name for tag in episode.tags],
        "campaign": episode.campaign.slug if episode.campaign else None,
        "content_note": episode.content_note,
        **_publication(episode),
        "is_demo": episode.is_demo or None,
        "persons": [
            _without_empty(
                {
                    "voice": p.voice,
                    "name": p.name,
                    "role": p.role,
                    "perspective": p.perspective,
                    "href": p.href,
                    "img": p.img,
                    "name_withdrawn": p.name_withdrawn or None,
                }
            )
            for p in episode.persons
        ],
    }
    if episode.artwork_path:
        name = f"{stem}{Path(episode.artwork_path).suffix}"
        _copy_media(episode.artwork_path, folder / name)
        sidecar["artwork"] = name
    (folder / f"{stem}.yaml").write_text(_yaml(_without_empty(sidecar)), encoding="utf-8")
    if episode.transcript_vtt:
        (folder / f"{stem}.vtt").write_text(episode.transcript_vtt, encoding="utf-8")
    if episode.chapters:
        chapters = json.dumps(build_chapters(episode), ensure_ascii=False, indent=2)
        (folder / f"{stem}.chapters.json").write_text(chapters + "\n", encoding="utf-8")


#: Event fields whose export is not the attribute of the same name.
_EVENT_SPECIAL = {
    "starts_at": lambda event: _moment(event.starts_at),
    "ends_at": lambda event: _moment(event.ends_at),
    "campaign": lambda event: event.campaign.slug if event.campaign else None,
    "cancelled": lambda event: event.cancelled_message if event.cancelled_at else None,
    "is_demo": lambda event: event.is_demo or None,
}


def export_event(event: Event, folder: Path, position: int) -> None:
    # Exactly the fields `flask import` reads back (catalog.EVENT_FIELDS).
    values = {
        key: _EVENT_SPECIAL[key](event) if key in _EVENT_SPECIAL else getattr(event, key)
        for key in EVENT_FIELDS
    }
    (folder / f"{position:03d}-{event.slug}.event.yaml").write_text(
        _yaml(_without_empty(values)), encoding="utf-8"
    )


#: Folder -> (model, exporter), in the order ``flask import`` reads them back.
EXPORTERS: dict[str, tuple[type, Callable[[Any, Path, int], None]]] = {
    "campaigns": (Campaign, export_campaign),
    "shows": (Show, export_show),
    "stories": (Story, export_story),
    "episodes": (Episode, export_episode),
    "agenda": (Event, export_event),
}


def _rows(model: type) -> Iterable[Any]:
    return db.session.scalars(select(model).order_by(model.id))


def export(target: Path) -> ExportReport:
    """Write everything into the empty (or new) folder ``target``, with its manifest."""
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise FileExistsError(f"{target} is not empty")
    counts: dict[str, int] = {}
    for folder_name, (model, exporter) in EXPORTERS.items():
        folder = target / folder_name
        folder.mkdir()
        count = 0
        for position, row in enumerate(_rows(model), start=1):
            exporter(row, folder, position)
            count += 1
        counts[folder_name] = count
    written = manifest.write(target, EXPORT_KIND)
    files = written["files"]
    return ExportReport(counts, len(files), sum(entry["size"] for entry in files.values()))
