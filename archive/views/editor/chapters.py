"""The editor's chapter text: one chapter a line, ``[uu:]mm:ss Titel | https://optionele-url``.

The time may have milliseconds (``12:34.5``, ``1:02:03.250``). The part after
the last `` | `` is the URL only when it is a web address (``http://`` or
``https://``, no spaces); otherwise it belongs to the title, so ``Intro | deel 1``
is a title. A line ending in `` |`` has no URL: :func:`format_chapters` writes
that where a title would otherwise be read as title and URL. Formatting and
then parsing gives the same chapters, with titles cleaned by ``clean_line``.
"""

from __future__ import annotations

import re

from wtforms.validators import ValidationError

from ...text import clean_line, normalize_line

#: As long as the form allows a title to be.
TITLE_LENGTH = 200

CHAPTER_LINE = re.compile(r"^\s*(?:([0-9]+):)?([0-9]{1,2}):([0-9]{2})(?:\.([0-9]{1,3}))?\s+(.+)$")
#: What an editor means as a URL, but not a web address: refused, not made part of the title.
#: (A scheme or "www." only as one word: "Data: de uitkomst" is a title.)
OTHER_URL = re.compile(r"^(?:www\.|(?:javascript|data|vbscript|file|mailto|tel):)\S*$|://", re.I)
WEB_URL = re.compile(r"^https?://\S+$", re.I)


def _split_url(rest: str) -> tuple[str, str | None]:
    """``Titel | url`` -> (title, url part); the url part is None without `` | ``.

    ``rest`` is a normalised line, so separators are single spaces. A space is
    put in front so that a line with only `` | url`` has an empty title.
    """
    head, bar, tail = (" " + rest).rpartition(" |")
    if not bar or tail[:1] not in ("", " "):
        return rest, None
    return head[1:], tail[1:]


def _read(rest: str) -> tuple[str, str | None] | None:
    """(title, URL or None) as a line's rest reads; None for a URL that is no web address."""
    title, url = _split_url(rest)
    if not url:
        return title, None
    if WEB_URL.match(url):
        return title, url
    if OTHER_URL.search(url):
        return None
    return rest, None


def _start(hours: str | None, minutes: str, seconds: str, millis: str | None) -> float:
    total = (int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)) * 1000
    # One division: the nearest float to the written time, as round(start, 3) gives.
    return (total + int((millis or "0").ljust(3, "0"))) / 1000


def parse_chapters(text: str) -> list[dict]:
    """Lines ``[uu:]mm:ss Titel | https://optionele-url`` -> chapter dicts, sorted by start.

    Each dict has ``start`` (seconds, float), ``title`` (through ``clean_line``,
    at most TITLE_LENGTH characters) and ``url`` (a web address or None).
    Blank lines are skipped. Raises ValidationError, naming the line, for a
    line without a time and title, a time that does not exist, a title that is
    empty after cleaning, and a URL that is not a web address.
    """
    chapters = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = CHAPTER_LINE.match(normalize_line(line))
        if not match:
            raise ValidationError(
                f"Regel {number} is geen hoofdstuk. Schrijf: 12:34 Titel | https://… (URL mag weg)."
            )
        hours, minutes, seconds, millis, rest = match.groups()
        if int(seconds) >= 60 or (hours and int(minutes) >= 60):
            raise ValidationError(f"Regel {number}: de tijd bestaat niet.")
        read = _read(rest)
        if read is None:
            raise ValidationError(f"Regel {number}: de URL moet met https:// beginnen.")
        title, url = clean_line(read[0], TITLE_LENGTH), read[1]
        if not title:
            raise ValidationError(f"Regel {number}: het hoofdstuk heeft geen titel.")
        chapters.append(
            {"start": _start(hours, minutes, seconds, millis), "title": title, "url": url}
        )
    return sorted(chapters, key=lambda chapter: chapter["start"])


def _stamp(start: float) -> str:
    """``mm:ss`` or ``u:mm:ss``, with ``.mmm`` when the start is not a whole second."""
    hours, rest = divmod(max(0, round(start * 1000)), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    stamp = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"
    return f"{stamp}.{millis:03d}" if millis else stamp


def _url_text(url: str | None) -> str:
    # A URL has no spaces; written with one, its tail could read as part of the title.
    return normalize_line(url or "").replace(" ", "%20")


def _line(start: float, title: str, url: str) -> str:
    if url:
        return f"{_stamp(start)} {title} | {url}"
    # Without the closing " |", a title like "Intro | https://…" would read as title and URL.
    marker = "" if _read(title) == (title, None) else " |"
    return f"{_stamp(start)} {title}{marker}"


def format_chapters(chapters: list[dict] | None) -> str:
    """Chapter dicts as the editor's text, sorted by start; :func:`parse_chapters` reads it back.

    Titles pass through ``clean_line(title, TITLE_LENGTH)`` (a line break in a
    title from an audio file's tags becomes a space); a title that is empty
    after cleaning is written as ``Hoofdstuk N`` (N counts from 1 in the sorted
    list). A URL that is not a web address is still written, so the editor sees
    it and the form says which line to correct.
    """
    ordered = sorted(chapters or [], key=lambda chapter: chapter["start"])
    return "\n".join(
        _line(
            chapter["start"],
            clean_line(chapter.get("title") or "", TITLE_LENGTH) or f"Hoofdstuk {number}",
            _url_text(chapter.get("url")),
        )
        for number, chapter in enumerate(ordered, start=1)
    )
