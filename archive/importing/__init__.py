"""``flask import``: stories, episodes, and the campaigns, shows and events of an export.

Files are dispatched by suffix through :data:`IMPORTERS` (``.campaign.yaml``,
``.show.yaml`` and ``.event.yaml`` count as one suffix) and imported in the
order of :data:`ORDER`, so what others refer to exists first; each importer
returns an :class:`Outcome` and never raises for a bad file, so one file that
cannot be taken does not stop the rest. Every change is made through
:mod:`archive.editorial` (actor "import").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import ArchiveError
from .catalog import import_campaign, import_event, import_show
from .common import ImportRefused, Outcome
from .episodes import import_audio
from .stories import import_story

#: Audio file suffixes `flask import` picks up; the format itself is read from the content.
AUDIO_SUFFIXES = (".mp3", ".m4a", ".mp4", ".aac", ".ogg", ".oga", ".opus", ".flac", ".wav")
STORY_SUFFIXES = (".md", ".markdown")
#: Compound suffixes of the YAML files ``flask export`` writes besides stories and episodes.
CATALOG_SUFFIXES: dict[str, Callable[[Path], Outcome]] = {
    ".campaign.yaml": import_campaign,
    ".show.yaml": import_show,
    ".event.yaml": import_event,
}

#: Suffix -> importer.
IMPORTERS: dict[str, Callable[[Path], Outcome]] = {
    **CATALOG_SUFFIXES,
    **dict.fromkeys(STORY_SUFFIXES, import_story),
    **dict.fromkeys(AUDIO_SUFFIXES, import_audio),
}
#: Importer -> its turn: campaigns and shows before what belongs to them.
ORDER: dict[Callable[[Path], Outcome], int] = {
    import_campaign: 0,
    import_show: 1,
    import_story: 2,
    import_audio: 3,
    import_event: 4,
}


def suffix_of(path: Path) -> str:
    """The suffix that chooses the importer (a compound one for catalog files)."""
    name = path.name.lower()
    for suffix in CATALOG_SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files to import: the given files, and the importable files inside given folders.

    A Markdown file beside an audio file of the same name is that episode's
    sidecar (show notes), not a story, and is left to the audio importer.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if suffix_of(p) in IMPORTERS))
        else:
            files.append(path)
    audio_stems = {p.with_suffix("") for p in files if p.suffix.lower() in AUDIO_SUFFIXES}
    kept = [
        p
        for p in files
        if not (p.suffix.lower() in STORY_SUFFIXES and p.with_suffix("") in audio_stems)
    ]
    return sorted(kept, key=lambda p: ORDER.get(IMPORTERS.get(suffix_of(p)), 3))  # type: ignore[arg-type]


def import_file(path: Path) -> Outcome:
    """Import one file; every refusal becomes an Outcome with the reason."""
    if not path.exists():
        return Outcome(path, False, "bestand niet gevonden")
    importer = IMPORTERS.get(suffix_of(path))
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


__all__ = ["IMPORTERS", "ImportRefused", "Outcome", "expand_paths", "import_file", "suffix_of"]
