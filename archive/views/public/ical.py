"""A campaign week as an iCalendar file (RFC 5545), written by hand.

One all-day event: ``DTSTART;VALUE=DATE`` on the first day and ``DTEND`` on
the day after the last (DTEND is exclusive). Lines end in CRLF and are folded
at 75 octets without splitting a UTF-8 character; text values are escaped.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

PRODID = "-//Week tegen Kindermishandeling//Verhalen en podcasts//NL"

#: RFC 5545 3.3.11: characters that must be escaped in TEXT values (backslash first).
_TEXT_ESCAPES: list[tuple[str, str]] = [
    ("\\", "\\\\"),
    (";", "\\;"),
    (",", "\\,"),
    ("\r\n", "\\n"),
    ("\n", "\\n"),
    ("\r", "\\n"),
]


def escape_text(value: str) -> str:
    for raw, escaped in _TEXT_ESCAPES:
        value = value.replace(raw, escaped)
    return value


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets (continuations start with a space)."""
    chunks: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append(current)
            current, size, limit = "", 0, 74  # the leading space counts
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def week_event(
    *,
    uid: str,
    summary: str,
    starts_on: date,
    ends_on: date,
    stamp: datetime,
    description: str = "",
    location: str = "",
    url: str = "",
) -> str:
    """A calendar with one all-day event from ``starts_on`` to ``ends_on`` (both inclusive)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_stamp(stamp)}",
        f"DTSTART;VALUE=DATE:{_date(starts_on)}",
        f"DTEND;VALUE=DATE:{_date(ends_on + timedelta(days=1))}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if url:
        lines.append(f"URL:{url}")
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
