"""A transcript as people read it: chapters as sections, speakers' turns within them.

Pure: cues (with speakers already as shown) and chapters in, plain values out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .text import Cue


@dataclass
class Turn:
    """Consecutive cues of one speaker (``None``: the transcript names nobody)."""

    speaker: str | None
    cues: list[Cue] = field(default_factory=list)


@dataclass
class Section:
    """The turns under one chapter title (``None``: before the first chapter, or no chapters)."""

    title: str | None
    start: float
    turns: list[Turn] = field(default_factory=list)


def sections(cues: Iterable[Cue], chapters: Iterable[Mapping[str, Any]] = ()) -> list[Section]:
    """The cues grouped into sections by chapter start, and within them into turns.

    A cue belongs to the last chapter that starts at or before it; a new
    section or a new speaker starts a new turn. Sections without cues are
    left out.
    """
    starts = sorted((float(c.get("start") or 0), str(c.get("title") or "")) for c in chapters)
    result: list[Section] = []
    next_chapter = 0
    current: Section | None = None
    for cue in cues:
        title = None
        while next_chapter < len(starts) and starts[next_chapter][0] <= cue.start + 1e-6:
            title = starts[next_chapter][1]
            next_chapter += 1
        if current is None or title is not None:
            current = Section(title, cue.start)
            result.append(current)
        if not current.turns or current.turns[-1].speaker != cue.speaker:
            current.turns.append(Turn(cue.speaker))
        current.turns[-1].cues.append(cue)
    return result
