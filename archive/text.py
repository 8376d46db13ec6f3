"""Text: Markdown to safe HTML, and transcripts (WebVTT/SRT) to cues.

Pure functions on plain values. Markdown is parsed by markdown-it-py (raw
HTML off) and the result is sanitised again by nh3, so hostile input can never
produce script, event handlers or ``javascript:`` links. Transcripts are
parsed by webvtt-py; a malformed one raises :class:`TranscriptError` with a
Dutch message for editors.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import nh3
import webvtt
from markdown_it import MarkdownIt
from markupsafe import Markup
from webvtt.errors import MalformedFileError

from .errors import ArchiveError

#: Elements and attributes that survive sanitising; everything else is dropped.
ALLOWED_TAGS: set[str] = {
    "p", "br", "hr", "em", "strong", "a", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "code", "pre",
}  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES: set[str] = {"http", "https", "mailto", "tel"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_markdown(source: str) -> Markup:
    """Markdown to sanitised HTML; links get ``rel="noopener noreferrer"``.

    Headings start at ``h2``: the page's title is its only ``h1``.
    """
    html = _markdown.render(source or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return Markup(cleaned)


def plain_text(source: str) -> str:
    """Markdown without markup, as text (for search, calendars and plain fields).

    nh3 answers with HTML (``<`` as ``&lt;``); the entities are decoded so
    that whoever shows or stores the text escapes it exactly once.
    """
    return html.unescape(nh3.clean(_markdown.render(source or ""), tags=set())).strip()


class TranscriptError(ArchiveError):
    """A transcript that cannot be read; ``message`` says why, in Dutch."""

    status_code = 422


#: A cue timing line: ``00:01.000 --> 00:03.500`` (hours optional; SRT uses a comma).
_TIMING = re.compile(r"^\s*(?:\d+:)?\d{2}:\d{2}[.,]\d{3}\s+-->\s+(?:\d+:)?\d{2}:\d{2}[.,]\d{3}")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def _seconds(timestamp: webvtt.models.Timestamp) -> float:
    return timestamp.in_milliseconds() / 1000


def parse_transcript(source: str, format: str = "vtt") -> list[Cue]:
    """Cues from WebVTT (``format="vtt"``) or SubRip (``"srt"``) text.

    Raises TranscriptError for text that is not a transcript, has no cues, or
    has a cue that ends before it starts.
    """
    if format not in {"vtt", "srt"}:
        raise TranscriptError("Onbekend ondertitelformaat; gebruik WebVTT of SRT.", format)
    name = "WebVTT" if format == "vtt" else "SRT"
    for number, line in enumerate(source.splitlines(), start=1):
        # webvtt-py skips a block whose timing line it cannot read; an editor must hear of it.
        if "-->" in line and not _TIMING.match(line):
            raise TranscriptError(
                f"Dit is geen geldig {name}-bestand: regel {number} heeft geen geldige tijden.",
                f"bad timing line {number}: {line!r}",
            )
    try:
        parsed = webvtt.from_buffer(io.StringIO(source.lstrip("\ufeff")), format=format)
    except (MalformedFileError, ValueError, IndexError) as exc:
        raise TranscriptError(f"Dit is geen geldig {name}-bestand.", repr(exc)) from exc
    cues = [
        Cue(_seconds(caption.start_time), _seconds(caption.end_time), caption.text.strip())
        for caption in parsed.captions
    ]
    if not cues:
        raise TranscriptError("Het transcript bevat geen tekstblokken.", "no cues")
    for number, cue in enumerate(cues, start=1):
        if cue.end < cue.start:
            raise TranscriptError(
                f"Tekstblok {number} eindigt voordat het begint.", f"cue {number}: {cue}"
            )
    return cues


def _timestamp(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def clock(seconds: float, rounding: Callable[[float], int] = int) -> str:
    """A time in audio as players show it: ``m:ss``, or ``u:mm:ss`` from an hour on."""
    minutes, secs = divmod(max(0, rounding(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def cues_to_vtt(cues: list[Cue]) -> str:
    blocks = [f"{_timestamp(c.start, '.')} --> {_timestamp(c.end, '.')}\n{c.text}" for c in cues]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def cues_to_srt(cues: list[Cue]) -> str:
    blocks = [
        f"{number}\n{_timestamp(c.start, ',')} --> {_timestamp(c.end, ',')}\n{c.text}"
        for number, c in enumerate(cues, start=1)
    ]
    return "\n\n".join(blocks) + "\n"


def transcript_text(cues: list[Cue]) -> str:
    """The transcript as running text (for search and the page's plain version)."""
    return " ".join(cue.text for cue in cues)
