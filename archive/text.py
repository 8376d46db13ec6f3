"""Text: one-line cleaning, Markdown to safe HTML, and transcripts (WebVTT/SRT) to cues.

Pure functions on plain values. :func:`clean_line` is the one way a title,
name, tag or slug source is cleaned. Markdown is parsed by markdown-it-py (raw
HTML off) and the result is sanitised again by nh3, so hostile input can never
produce script, event handlers or ``javascript:`` links. Transcripts are
parsed by webvtt-py; a malformed one raises :class:`TranscriptError` with a
Dutch message for editors.
"""

from __future__ import annotations

import html
import io
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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

#: Kept only between two visible non-ASCII characters, where it joins an emoji sequence.
ZERO_WIDTH_JOINER = "\u200d"


def _is_invisible(char: str) -> bool:
    """Format characters (bidi controls, zero-width space, soft hyphen, BOM…) and
    control characters, except the ZWJ and the line breaks and tabs that become spaces."""
    category = unicodedata.category(char)
    if category == "Cf":
        return char != ZERO_WIDTH_JOINER
    return category == "Cc" and not char.isspace()


def _joins(before: str, after: str) -> bool:
    return all(
        char and not char.isascii() and not char.isspace() and char != ZERO_WIDTH_JOINER
        for char in (before, after)
    )


def normalize_line(value: str) -> str:
    """``value`` as one clean line, not shortened (see :func:`clean_line`)."""
    # NFC first, so that a character that normalises to ASCII (the Kelvin sign)
    # is judged as ASCII when deciding about a joiner next to it.
    chars = [c for c in unicodedata.normalize("NFC", value) if not _is_invisible(c)]
    padded = ["", *chars, ""]
    kept = [
        char
        for before, char, after in zip(padded, chars, padded[2:], strict=False)
        if char != ZERO_WIDTH_JOINER or _joins(before, after)
    ]
    # Removing a character between a letter and its accent can make them composable.
    return unicodedata.normalize("NFC", " ".join("".join(kept).split()))


def cut_at_word(text: str, max_length: int, separator: str = " ") -> str:
    """``text`` cut to at most ``max_length`` characters at the last ``separator``.

    A first word longer than the limit is cut hard; no ellipsis is added and
    separators at the cut end are dropped. ``separator`` is one character
    (``"-"`` for slugs).
    """
    if len(text) <= max_length:
        return text
    if max_length <= 0:
        return ""
    # Include the character just past the limit: a separator there ends a whole word.
    cut = text.rfind(separator, 0, max_length + 1)
    return (text[:cut] if cut > 0 else text[:max_length]).rstrip(separator)


def clean_line(value: str, max_length: int) -> str:
    """A title, name, tag or slug source as one clean line of at most ``max_length`` characters.

    Removes bidirectional controls, other invisible format characters (zero-width
    space, word joiner, BOM, soft hyphen…) and control characters; keeps U+200D
    ZERO WIDTH JOINER only between two visible non-ASCII characters (emoji).
    Every run of whitespace, line breaks included, becomes one space; the result
    is NFC, stripped, and cut at a word boundary by :func:`cut_at_word`.
    Cleaning a cleaned line changes nothing.
    """
    # A hard cut can end inside an emoji sequence, on a joiner with nothing to join.
    return cut_at_word(normalize_line(value), max_length).rstrip(ZERO_WIDTH_JOINER)


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
    """A stretch of the transcript; ``speaker`` is the voice label as in the source, if any."""

    start: float
    end: float
    text: str
    speaker: str | None = None


#: The longest voice label kept (the persons' ``voice`` column).
VOICE_LENGTH = 120
#: ``Naam: tekst`` at the start of an SRT cue or a pasted paragraph: one to four
#: words starting with a capital, then a colon and a space. A longer lead-in is text.
_NAME_PREFIX = re.compile(r"^(?P<name>[A-ZÀ-Þ][\w'’.-]*(?: [\w'’.-]+){0,3}): (?P<text>\S.*)$", re.S)


def clean_voice(value: str) -> str:
    """A voice label as one line without the characters that end a WebVTT voice span."""
    return clean_line(re.sub(r"[<>&]", " ", value), VOICE_LENGTH)


def split_speaker(text: str) -> tuple[str | None, str]:
    """``("Sanne", "Ik was tien.")`` from ``"Sanne: Ik was tien."``; else ``(None, text)``."""
    match = _NAME_PREFIX.match(text)
    if match is None:
        return None, text
    return clean_voice(match.group("name")) or None, match.group("text")


def continue_speakers(cues: list[Cue]) -> list[Cue]:
    """Cues without a speaker get the speaker of the cue before them (if any)."""
    last: str | None = None
    result = []
    for cue in cues:
        last = cue.speaker or last
        result.append(cue if cue.speaker == last else Cue(cue.start, cue.end, cue.text, last))
    return result


def voices(cues: list[Cue]) -> list[str]:
    """The distinct speakers of ``cues``, in order of first appearance."""
    return list(dict.fromkeys(cue.speaker for cue in cues if cue.speaker))


#: The character references of WebVTT cue text; webvtt-py strips tags but leaves these.
_VTT_ENTITIES: dict[str, str] = {
    "&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": "\u00a0", "&lrm;": "\u200e",
    "&rlm;": "\u200f",
}  # fmt: skip
_VTT_ENTITY = re.compile("|".join(map(re.escape, _VTT_ENTITIES)))
#: The line terminators of WebVTT and SRT (U+2028 and the like stay inside a line).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _unescape_vtt(text: str) -> str:
    return _VTT_ENTITY.sub(lambda match: _VTT_ENTITIES[match.group()], text)


def _escape_vtt(text: str) -> str:
    # A bare "<" starts a cue tag (and its text is lost), a bare "&" a reference.
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _seconds(timestamp: webvtt.models.Timestamp) -> float:
    return timestamp.in_milliseconds() / 1000


def parse_transcript(source: str, format: str = "vtt") -> list[Cue]:
    """Cues from WebVTT (``format="vtt"``) or SubRip (``"srt"``) text, with their speakers.

    A WebVTT cue's speaker is its voice span (``<v Sanne>`` or ``<v.klas Sanne>``,
    the first one when a cue has several); an SRT cue's is a ``Naam:`` prefix.
    A cue without one continues the last speaker. Raises TranscriptError for
    text that is not a transcript, has no cues, or has a cue that ends before it starts.
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
    cues = [_cue(caption, format) for caption in parsed.captions]
    if not cues:
        raise TranscriptError("Het transcript bevat geen tekstblokken.", "no cues")
    for number, cue in enumerate(cues, start=1):
        if cue.end < cue.start:
            raise TranscriptError(
                f"Tekstblok {number} eindigt voordat het begint.", f"cue {number}: {cue}"
            )
    return continue_speakers(cues)


def _cue(caption: webvtt.Caption, format: str) -> Cue:
    start, end = _seconds(caption.start_time), _seconds(caption.end_time)
    if format == "srt":
        speaker, text = split_speaker(caption.text.strip())
        return Cue(start, end, text.strip(), speaker)
    voice = clean_voice(_unescape_vtt(caption.voice or "")) or None
    return Cue(start, end, _unescape_vtt(caption.text).strip(), voice)


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


def normalize_cue_text(text: str) -> str:
    """A cue's text as it can be written: no blank (or whitespace-only) lines, stripped.

    A blank line ends a cue in WebVTT and SRT, so whatever followed it would
    be lost; the lines are kept, the blank ones dropped.
    """
    return "\n".join(line for line in _LINE_BREAK.split(text) if line.strip()).strip()


def _writable(cues: list[Cue]) -> list[tuple[Cue, str]]:
    """The cues with text, each with its normalised text.

    A cue without text shows nothing (and SRT cannot hold one), so it is left
    out; a text with ``-->`` would read as a timing line and raises TranscriptError.
    """
    written = []
    for number, cue in enumerate(cues, start=1):
        text = normalize_cue_text(cue.text)
        if "-->" in text:
            raise TranscriptError(
                f"Tekstblok {number} bevat de pijl -->; die mag niet in de tekst staan.",
                f"arrow in cue {number}: {text!r}",
            )
        if text:
            written.append((cue, text))
    return written


def cues_to_vtt(cues: list[Cue]) -> str:
    """WebVTT that :func:`parse_transcript` reads back as the same cues.

    Texts pass through :func:`normalize_cue_text` and are escaped (``&``, ``<``);
    cues left without text are left out; a text containing ``-->`` raises
    TranscriptError.
    """
    blocks = [
        f"{_timestamp(c.start, '.')} --> {_timestamp(c.end, '.')}\n"
        f"{_voice_span(c)}{_escape_vtt(text)}"
        for c, text in _writable(cues)
    ]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def _voice_span(cue: Cue) -> str:
    # An open voice span runs to the end of the cue text; no closing tag is needed.
    voice = clean_voice(cue.speaker or "")
    return f"<v {voice}>" if voice else ""


def _srt_speaker(cue: Cue) -> str:
    voice = clean_voice(cue.speaker or "")
    return f"{voice}: " if voice else ""


def cues_to_srt(cues: list[Cue]) -> str:
    """SubRip, with the same normalisation, omission and refusal as :func:`cues_to_vtt`
    (but no escaping: SRT has no character references). A speaker becomes a ``Naam:`` prefix."""
    blocks = [
        f"{number}\n{_timestamp(c.start, ',')} --> {_timestamp(c.end, ',')}\n"
        f"{_srt_speaker(c)}{text}"
        for number, (c, text) in enumerate(_writable(cues), start=1)
    ]
    return "\n\n".join(blocks) + "\n"


#: The version of the Podcasting 2.0 JSON transcript format written.
JSON_TRANSCRIPT_VERSION = "1.0.0"


def cues_to_json(cues: list[Cue]) -> dict[str, Any]:
    """The Podcasting 2.0 JSON transcript (``{"version", "segments": [...]}``).

    Each segment has ``startTime``, ``endTime`` (seconds), ``body`` and, when
    the cue has one, ``speaker``; the same cues as :func:`cues_to_vtt` writes.
    """
    segments = []
    for cue, text in _writable(cues):
        segment: dict[str, Any] = {"startTime": cue.start, "endTime": cue.end, "body": text}
        if cue.speaker:
            segment = {"speaker": cue.speaker, **segment}
        segments.append(segment)
    return {"version": JSON_TRANSCRIPT_VERSION, "segments": segments}


#: Plain text is cut into cues of about this many characters, at sentence ends.
CUE_LENGTH = 300
#: Where a sentence ends: its punctuation and any closing quotes or brackets.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]* ")


def _pieces(paragraph: str) -> list[str]:
    """A paragraph (words separated by single spaces) as pieces of about CUE_LENGTH characters.

    Whole sentences are packed together; a sentence longer than CUE_LENGTH is
    cut between words; a single longer word stays whole.
    """
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(paragraph):
        sentences.append(paragraph[start : match.end() - 1])
        start = match.end()
    sentences.append(paragraph[start:])
    pieces: list[str] = []
    for sentence in sentences:
        for word in sentence.split(" ") if len(sentence) > CUE_LENGTH else [sentence]:
            if pieces and len(pieces[-1]) + 1 + len(word) <= CUE_LENGTH:
                pieces[-1] += " " + word
            else:
                pieces.append(word)
    return pieces


def _paragraphs(text: str) -> list[str]:
    """Paragraphs as running text: words joined by one space.

    A blank line ends a paragraph, and so does a line that starts with a
    speaker (``Naam: …``): a pasted conversation has one turn per line.
    """
    paragraphs: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.split():
            if paragraphs[-1] and split_speaker(line.strip())[0] is not None:
                paragraphs.append([])
            paragraphs[-1].extend(line.split())
        elif paragraphs[-1]:
            paragraphs.append([])
    return [" ".join(words) for words in paragraphs if words]


def _spread(pieces: list[tuple[str, str | None]], duration: float) -> list[Cue]:
    """Contiguous cues from 0 to ``duration``, each as long as its share of the text."""
    total = sum(len(piece) for piece, _ in pieces)
    starts, done = [], 0
    for piece, _ in pieces:
        starts.append(duration * done / total)
        done += len(piece)
    ends = [*starts[1:], float(duration)]
    return [
        Cue(start, end, piece, speaker)
        for start, end, (piece, speaker) in zip(starts, ends, pieces, strict=True)
    ]


def _spoken_pieces(paragraph: str) -> list[tuple[str, str | None]]:
    speaker, text = split_speaker(paragraph)
    return [(piece, speaker) for piece in _pieces(text)]


def plain_text_cues(text: str, duration: float | None) -> list[Cue]:
    """Cues for a transcript pasted as plain text, without times.

    Every paragraph (paragraphs are separated by blank lines, or start with
    a speaker's ``Naam:``) becomes one or more cues of running text; a
    paragraph longer than CUE_LENGTH characters is cut at sentence ends. The
    cues share ``duration`` in proportion to their length: in order, each
    starting where the previous one ends, the first at 0, the last ending at
    ``duration``. Every word of ``text`` is kept, except a speaker's prefix,
    which becomes the cues' speaker (continued by paragraphs without one).

    Raises TranscriptError for empty text, for a missing or non-positive
    duration (the audio gives the times), and for a line containing ``-->``,
    naming that line.
    """
    if not text.strip():
        raise TranscriptError("Het transcript is leeg.", "empty plain text")
    if duration is None or not math.isfinite(duration) or duration <= 0:
        raise TranscriptError(
            "Platte tekst zonder tijden kan pas als de aflevering audio heeft: de tijden "
            "worden over de lengte van de audio verdeeld. Upload eerst de audio, of gebruik "
            "WebVTT of SRT.",
            f"duration {duration!r}",
        )
    for number, line in enumerate(text.splitlines(), start=1):
        if "-->" in line:
            raise TranscriptError(
                f"Regel {number} bevat de pijl -->; in platte tekst kan dat niet. Haal de pijl "
                "weg, of plak een volledig WebVTT- of SRT-bestand.",
                f"arrow in plain text line {number}: {line!r}",
            )
    pieces = [piece for paragraph in _paragraphs(text) for piece in _spoken_pieces(paragraph)]
    return continue_speakers(_spread(pieces, duration))


def transcript_text(cues: list[Cue]) -> str:
    """The transcript as running text (for search and the page's plain version)."""
    return " ".join(cue.text for cue in cues)
