"""``flask import``: stories (Markdown with front matter) and episodes (audio files).

Files are dispatched by suffix through :data:`IMPORTERS`; each importer
returns an :class:`Outcome` and never raises for a bad file, so one file that
cannot be taken does not stop the rest. Every change is made through
:mod:`archive.editorial` (actor "import").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import ArchiveError
from .common import ImportRefused, Outcome
from .episodes import import_audio
from .stories import import_story

#: Audio file suffixes `flask import` picks up; the format itself is read from the content.
AUDIO_SUFFIXES = (".mp3", ".m4a", ".mp4", ".aac", ".ogg", ".oga", ".opus", ".flac", ".wav")
STORY_SUFFIXES = (".md", ".markdown")

#: Suffix -> importer.
IMPORTERS: dict[str, Callable[[Path], Outcome]] = {
    **dict.fromkeys(STORY_SUFFIXES, import_story),
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
    audio_stems = {p.with_suffix("") for p in files if p.suffix.lower() not in STORY_SUFFIXES}
    return [
        p
        for p in files
        if not (p.suffix.lower() in STORY_SUFFIXES and p.with_suffix("") in audio_stems)
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
    except ArchiveError as exc:
        return Outcome(path, False, exc.message)
    except OSError as exc:
        return Outcome(path, False, f"kan het bestand niet lezen ({exc.strerror})")


__all__ = ["IMPORTERS", "ImportRefused", "Outcome", "expand_paths", "import_file"]
