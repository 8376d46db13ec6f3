"""The plain values the probe returns, and the one error type it raises."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ArchiveError

#: Why a file is refused -> what editors read (Dutch).
REASONS: dict[str, str] = {
    "unreadable": "Het bestand kan niet worden gelezen.",
    "empty": "Het bestand is leeg.",
    "not_audio": "Dit is geen audiobestand.",
    "image": "Dit is een afbeelding, geen audiobestand.",
    "unsupported": (
        "Dit audioformaat ({format}) wordt niet ondersteund. "
        "Gebruik MP3, M4A (AAC), Ogg Vorbis, Opus, FLAC of WAV."
    ),
    "corrupt": "Het bestand is beschadigd en kan niet worden gebruikt.",
    "truncated": (
        "Het bestand is onvolledig: het bevat minder audio dan het zelf aangeeft{expected}. "
        "Waarschijnlijk is het uploaden of kopiëren afgebroken; probeer het opnieuw."
    ),
    "zero_duration": "Het bestand bevat geen hoorbare audio (duur 0).",
    "implausible": (
        "Het bestand is beschadigd of geen echte audio: het geeft als {fact} {value} op, "
        "en dat moet tussen {lowest} en {highest} liggen."
    ),
}


class AudioError(ArchiveError):
    """The file is not usable audio.

    ``message`` says why in Dutch, for editors; ``cause`` is the technical
    detail for the log; ``reason`` is one of :data:`REASONS` (for code/tests).
    """

    status_code = 422

    def __init__(self, message: str, cause: str | None = None, reason: str = "corrupt") -> None:
        super().__init__(message, cause)
        self.reason = reason

    @classmethod
    def because(cls, reason: str, cause: str, **details: str) -> AudioError:
        return cls(REASONS[reason].format(**details), cause, reason)


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

    def __repr__(self) -> str:
        return f"Cover({self.mime}, {len(self.data)} bytes)"


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
