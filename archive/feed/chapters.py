"""Podcasting 2.0 JSON chapters (https://github.com/Podcastindex-org/podcast-namespace)."""

from __future__ import annotations

import json
from typing import Any

from ..models import Episode

#: The version of the JSON chapters format we write.
CHAPTERS_VERSION = "1.2.0"


def build_chapters(episode: Episode) -> dict[str, Any]:
    """The episode's chapters (``Episode.chapters``) in the JSON chapters format."""
    chapters = []
    for chapter in sorted(episode.chapters or [], key=lambda item: float(item["start"])):
        entry: dict[str, Any] = {"startTime": round(float(chapter["start"]), 3)}
        if chapter.get("title"):
            entry["title"] = str(chapter["title"])
        if chapter.get("url"):
            entry["url"] = str(chapter["url"])
        chapters.append(entry)
    return {
        "version": CHAPTERS_VERSION,
        "title": episode.title,
        "podcastName": episode.show.title,
        "chapters": chapters,
    }


def chapters_json(episode: Episode) -> bytes:
    return json.dumps(build_chapters(episode), ensure_ascii=False, indent=2).encode("utf-8")


def parse_chapters(data: Any) -> list[dict[str, Any]]:
    """``Episode.chapters`` from a JSON chapters document (ValueError if it is not one)."""
    if not isinstance(data, dict) or not isinstance(data.get("chapters"), list):
        raise ValueError("not a JSON chapters document")
    chapters = []
    for entry in data["chapters"]:
        if not isinstance(entry, dict) or "startTime" not in entry:
            raise ValueError("a chapter without startTime")
        chapters.append(
            {
                "start": round(float(entry["startTime"]), 3),
                "title": str(entry.get("title") or ""),
                "url": str(entry["url"]) if entry.get("url") else None,
            }
        )
    return sorted(chapters, key=lambda chapter: chapter["start"])
