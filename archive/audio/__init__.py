"""Read an audio file's facts with mutagen: ``probe(path) -> AudioInfo``.

Pure domain code: takes a path, returns plain values, raises :class:`AudioError`
(a Dutch message for editors, the technical cause for the log) for anything
that is not usable audio. The format is recognised from the content, never
from the file name; the duration is checked against what the file holds, so a
file cut short in transfer is refused rather than published with a lie.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from mutagen import FileType
from mutagen.aac import AAC
from mutagen.ac3 import AC3
from mutagen.aiff import AIFF
from mutagen.asf import ASF
from mutagen.dsdiff import DSDIFF
from mutagen.dsf import DSF
from mutagen.flac import FLAC
from mutagen.monkeysaudio import MonkeysAudio
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.musepack import Musepack
from mutagen.oggflac import OggFLAC
from mutagen.oggopus import OggOpus
from mutagen.oggspeex import OggSpeex
from mutagen.oggtheora import OggTheora
from mutagen.oggvorbis import OggVorbis
from mutagen.optimfrog import OptimFROG
from mutagen.smf import SMF
from mutagen.tak import TAK
from mutagen.trueaudio import TrueAudio
from mutagen.wave import WAVE
from mutagen.wavpack import WavPack

from . import containers, limits, mpeg
from .artwork import COVER_MAX_PX, COVER_MIMES, COVER_MIN_PX, cover_problems
from .model import AudioError, AudioInfo, Chapter, Cover
from .tags import id3_facts, image_mime, mp4_facts, vorbis_facts

__all__ = [
    "COVER_MAX_PX",
    "COVER_MIMES",
    "COVER_MIN_PX",
    "FORMATS",
    "AudioError",
    "AudioInfo",
    "Chapter",
    "Cover",
    "cover_problems",
    "probe",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    mime: str
    extension: str
    kind: type[FileType]
    facts: Callable[[Any, float], dict[str, Any]]
    sample_rate: int | None = None  # when the stream information has none (Opus decodes at 48 kHz)


def _id3_tags(parsed: MP3 | WAVE, duration: float) -> dict[str, Any]:
    """MP3 and WAV carry ID3 tags."""
    return id3_facts(parsed.tags, duration)


#: What the archive accepts: name -> label, the MIME type podcast apps expect, extension.
FORMATS: dict[str, Format] = {
    "mp3": Format("mp3", "MP3", "audio/mpeg", ".mp3", MP3, _id3_tags),
    "m4a": Format("m4a", "M4A (AAC)", "audio/x-m4a", ".m4a", MP4, mp4_facts),
    "vorbis": Format("vorbis", "Ogg Vorbis", "audio/ogg", ".ogg", OggVorbis, vorbis_facts),
    "opus": Format("opus", "Ogg Opus", "audio/opus", ".opus", OggOpus, vorbis_facts, 48000),
    "flac": Format("flac", "FLAC", "audio/flac", ".flac", FLAC, vorbis_facts),
    "wav": Format("wav", "WAV", "audio/wav", ".wav", WAVE, _id3_tags),
}
#: MP4 sample entries the archive publishes (AAC in all profiles; ALAC).
MP4_CODECS = ("mp4a", "alac")

#: Formats mutagen knows but the archive does not publish; recognised by
#: content only (their ``score`` with an empty file name), to name them.
UNSUPPORTED: dict[type[FileType], str] = {
    AIFF: "AIFF",
    ASF: "WMA",
    AAC: "AAC zonder MP4-container",
    AC3: "AC-3",
    Musepack: "Musepack",
    WavPack: "WavPack",
    MonkeysAudio: "Monkey's Audio",
    OptimFROG: "OptimFROG",
    TrueAudio: "TrueAudio",
    TAK: "TAK",
    DSF: "DSF",
    DSDIFF: "DSDIFF",
    OggSpeex: "Ogg Speex",
    OggFLAC: "Ogg FLAC",
    OggTheora: "Ogg Theora (video)",
    SMF: "MIDI",
}
#: Leading bytes (after any ID3v2 tag) -> format name or a sniffing step.
MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"fLaC", "flac"),
    (0, b"OggS", "ogg"),
    (0, b"RIFF", "riff"),
    (4, b"ftyp", "m4a"),
)
#: Ogg stream header -> format name.
OGG_CODECS: tuple[tuple[bytes, str], ...] = ((b"\x01vorbis", "vorbis"), (b"OpusHead", "opus"))


def probe(path: str | Path) -> AudioInfo:
    """The facts of the audio file at ``path``; raises AudioError if it is not usable."""
    path = Path(path)
    try:
        with path.open("rb") as fileobj:
            return _probe(fileobj, os.fstat(fileobj.fileno()).st_size)
    except AudioError:
        raise
    except OSError as exc:
        raise AudioError.because("unreadable", repr(exc)) from exc
    except Exception as exc:  # hostile bytes must end as "corrupt", never a 500
        raise AudioError.because("corrupt", repr(exc)) from exc


def _probe(fileobj: BinaryIO, size: int) -> AudioInfo:
    if size == 0:
        raise AudioError.because("empty", "zero length")
    fmt = FORMATS[_sniff(fileobj, size)]
    if fmt.name == "m4a":
        containers.check_mp4_atoms(fileobj, size)
    parsed = _load(fmt, fileobj)
    limits.check_stream(parsed.info)
    duration, bitrate = _duration(fmt, parsed, fileobj, size)
    if not math.isfinite(duration) or duration <= 0:
        raise AudioError.because("zero_duration", f"duration {duration!r}")
    info = parsed.info
    return AudioInfo(
        format=fmt.name,
        mime=fmt.mime,
        extension=fmt.extension,
        duration=duration,
        bitrate=bitrate or getattr(info, "bitrate", None) or None,
        sample_rate=getattr(info, "sample_rate", None) or fmt.sample_rate,
        channels=getattr(info, "channels", None) or None,
        **_facts(fmt, parsed, duration),
    )


def _sniff(fileobj: BinaryIO, size: int) -> str:
    """The format name from the file's first bytes; raises AudioError for the rest."""
    fileobj.seek(0)
    head = fileobj.read(64)
    if image_mime(head).startswith("image/") and (head[:4] != b"RIFF" or head[8:12] == b"WEBP"):
        raise AudioError.because("image", f"image data ({image_mime(head)})")
    start = mpeg.skip_id3v2(fileobj)
    fileobj.seek(start)
    head = fileobj.read(64)
    for offset, magic, name in MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return _refine(name, fileobj, head)
    if mpeg.find_first_frame(fileobj, start) is not None:
        return "mp3"
    raise _unknown(fileobj, "no known audio header")


def _refine(name: str, fileobj: BinaryIO, head: bytes) -> str:
    if name == "riff":
        if head[8:12] == b"WAVE":
            return "wav"
        raise _unknown(fileobj, f"RIFF {head[8:12]!r}")
    if name == "ogg":
        fileobj.seek(0)
        first_pages = fileobj.read(4096)
        for marker, codec in OGG_CODECS:
            if marker in first_pages:
                return codec
        raise _unknown(fileobj, "Ogg without Vorbis or Opus")
    return name


def _unknown(fileobj: BinaryIO, cause: str) -> AudioError:
    """'Unsupported format X' if mutagen can read it as X, else 'not audio'."""
    fileobj.seek(0)
    header = fileobj.read(128)
    for kind, label in UNSUPPORTED.items():
        try:
            if kind.score("", fileobj, header) <= 0:
                continue
            fileobj.seek(0)
            kind(fileobj)
        except Exception:  # any failure means "not this format"
            continue
        return AudioError.because(
            "unsupported", f"{cause}; mutagen reads {kind.__name__}", format=label
        )
    return AudioError.because("not_audio", cause)


def _load(fmt: Format, fileobj: BinaryIO) -> Any:
    """mutagen's reading of the file; every way it can fail becomes AudioError.

    mutagen signals bad input with MutagenError subclasses, but on hostile or
    fuzzed bytes also with struct.error, ValueError, IndexError, EOFError,
    OverflowError, MemoryError and others; all mean "corrupt" here.
    """
    fileobj.seek(0)
    try:
        parsed = fmt.kind(fileobj)
    except Exception as exc:  # see the docstring
        raise AudioError.because("corrupt", f"{fmt.name}: {exc!r}") from exc
    if parsed.info is None:
        raise AudioError.because("corrupt", f"{fmt.name}: no stream information")
    if fmt.name == "m4a" and not str(getattr(parsed.info, "codec", "")).startswith(MP4_CODECS):
        codec = getattr(parsed.info, "codec", "") or "geen audio"
        raise AudioError.because("unsupported", f"MP4 codec {codec!r}", format=f"MP4 met {codec}")
    return parsed


def _duration(fmt: Format, parsed: Any, fileobj: BinaryIO, size: int) -> tuple[float, int | None]:
    """The true duration and, where the header's figure is a guess, the bitrate."""
    if fmt.name == "mp3":
        return containers.mp3_duration(fileobj, size, parsed.info)
    if fmt.name == "wav":
        return containers.wav_duration(fileobj, size, parsed.info), None
    if fmt.name == "flac":
        containers.check_flac_has_frames(fileobj, size)
    return float(getattr(parsed.info, "length", 0) or 0), None


def _facts(fmt: Format, parsed: Any, duration: float) -> dict[str, Any]:
    """The tags in the common vocabulary; tags that cannot be read are left out.

    The audio is usable without its tags, so a damaged tag is logged, not fatal.
    """
    try:
        return fmt.facts(parsed, duration)
    except Exception as exc:  # tags of hostile files; the audio itself is fine
        log.warning("unreadable %s tags ignored: %r", fmt.name, exc)
        return {}
