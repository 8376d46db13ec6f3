"""Read an audio file's facts with mutagen: ``probe(path) -> AudioInfo``.

Pure domain code: takes a path, returns plain values, raises :class:`AudioError`
(a Dutch message for editors and the technical cause for the log) for
anything that is not usable audio.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import mutagen
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from .errors import ArchiveError


class AudioError(ArchiveError):
    """The file is not usable audio; ``message`` says why, in Dutch."""

    status_code = 422


@dataclass(frozen=True)
class Chapter:
    start: float
    title: str
    end: float | None = None
    url: str | None = None


@dataclass(frozen=True)
class Cover:
    data: bytes
    mime: str


@dataclass(frozen=True)
class AudioInfo:
    format: str
    mime: str
    extension: str
    duration: float
    bitrate: int | None = None
    sample_rate: int | None = None
    channels: int | None = None
    title: str | None = None
    artist: str | None = None
    album: str | None = None
    comment: str | None = None
    date: str | None = None
    track: int | None = None
    cover: Cover | None = None
    chapters: list[Chapter] = field(default_factory=list)


#: mutagen class name -> (format, MIME type podcast apps expect, file extension)
FORMATS: dict[str, tuple[str, str, str]] = {
    "MP3": ("mp3", "audio/mpeg", ".mp3"),
}


def _text(tags: ID3, frame: str) -> str | None:
    found = tags.getall(frame)
    if not found or not getattr(found[0], "text", None):
        return None
    return str(found[0].text[0]).strip() or None


def _track(value: str | None) -> int | None:
    if not value:
        return None
    head = value.split("/")[0].strip()
    return int(head) if head.isdigit() else None


def _id3_chapters(tags: ID3) -> list[Chapter]:
    chapters = []
    for chap in tags.getall("CHAP"):
        title = None
        url = None
        for sub in chap.sub_frames.values():
            if sub.FrameID == "TIT2":
                title = str(sub.text[0])
            elif sub.FrameID in {"WXXX", "WOAR"}:
                url = str(sub.url)
        chapters.append(
            Chapter(
                start=chap.start_time / 1000, end=chap.end_time / 1000, title=title or "", url=url
            )
        )
    return sorted(chapters, key=lambda chapter: chapter.start)


def _id3_facts(tags: ID3 | None) -> dict:
    if tags is None:
        return {}
    comments = tags.getall("COMM")
    pictures = tags.getall("APIC")
    return {
        "title": _text(tags, "TIT2"),
        "artist": _text(tags, "TPE1"),
        "album": _text(tags, "TALB"),
        "comment": str(comments[0].text[0]).strip() if comments and comments[0].text else None,
        "date": _text(tags, "TDRC"),
        "track": _track(_text(tags, "TRCK")),
        "cover": Cover(pictures[0].data, pictures[0].mime) if pictures else None,
        "chapters": _id3_chapters(tags),
    }


def probe(path: str | Path) -> AudioInfo:
    """The facts of the audio file at ``path``; raises AudioError if it is not usable."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise AudioError("Het bestand kan niet worden gelezen.", repr(exc)) from exc
    if size == 0:
        raise AudioError("Het bestand is leeg.", "zero length")
    try:
        parsed = mutagen.File(path)
    except (mutagen.MutagenError, struct.error, ValueError, EOFError, IndexError) as exc:
        raise AudioError(
            "Het bestand is beschadigd of onvolledig en kan niet worden gebruikt.", repr(exc)
        ) from exc
    if parsed is None:
        raise AudioError("Dit is geen audiobestand.", "mutagen found no audio format")
    kind = type(parsed).__name__
    if kind not in FORMATS:
        raise AudioError(f"Dit audioformaat ({kind}) wordt niet ondersteund.", kind)
    format_name, mime, extension = FORMATS[kind]
    info = parsed.info
    duration = float(getattr(info, "length", 0) or 0)
    if duration <= 0:
        raise AudioError("Het bestand bevat geen hoorbare audio (duur 0).", "zero duration")
    facts = _id3_facts(parsed.tags) if isinstance(parsed, MP3) else {}
    return AudioInfo(
        format=format_name,
        mime=mime,
        extension=extension,
        duration=duration,
        bitrate=getattr(info, "bitrate", None),
        sample_rate=getattr(info, "sample_rate", None),
        channels=getattr(info, "channels", None),
        **facts,
    )


#: What podcast directories (Apple, Spotify) accept as cover art.
COVER_MIN_PX = 1400
COVER_MAX_PX = 3000
COVER_MIMES = frozenset({"image/jpeg", "image/png"})


def cover_problems(cover: Cover) -> list[str]:
    """Why ``cover`` does not meet podcast-directory rules (Dutch); empty if it does."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(cover.data)) as image:
            width, height = image.size
            kind = Image.MIME.get(image.format or "", cover.mime)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        return [f"de omslagafbeelding is geen leesbare afbeelding ({exc.__class__.__name__})"]
    problems = []
    if kind not in COVER_MIMES:
        problems.append(f"de omslagafbeelding is {kind}, geen JPEG of PNG")
    if width != height:
        problems.append(f"de omslagafbeelding is niet vierkant ({width}×{height} px)")
    if not COVER_MIN_PX <= max(width, height) <= COVER_MAX_PX or min(width, height) < COVER_MIN_PX:
        problems.append(
            f"de omslagafbeelding is {width}×{height} px; "
            f"podcastgidsen vragen {COVER_MIN_PX}–{COVER_MAX_PX} px"
        )
    return problems
