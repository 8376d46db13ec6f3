"""Calendars (RFC 5545) for campaign weeks and agenda events, built with ``icalendar``.

Timed events are written in Europe/Amsterdam with its ``VTIMEZONE``; all-day
events as ``VALUE=DATE`` with an exclusive ``DTEND``. ``UID``s never change,
``SEQUENCE`` is the item's version (it grows with every change) and a
cancelled event stays in the calendar as ``STATUS:CANCELLED``, so calendar
apps update or strike it instead of keeping a stale copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import icalendar

from ...localtime import LOCAL_ZONE

PRODID = "-//Week tegen Kindermishandeling//Verhalen en podcasts//NL"


@dataclass(frozen=True)
class CalendarItem:
    uid: str
    summary: str
    stamp: datetime
    #: A ``date`` pair for all-day items (end exclusive), else aware datetimes.
    start: date | datetime
    end: date | datetime
    sequence: int = 0
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False


def component(item: CalendarItem) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", item.uid)
    event.add("dtstamp", item.stamp)
    for name, value in (("dtstart", item.start), ("dtend", item.end)):
        if isinstance(value, datetime):
            value = value.astimezone(LOCAL_ZONE)
        event.add(name, value)
    event.add("sequence", item.sequence)
    event.add("summary", item.summary)
    if item.description:
        event.add("description", item.description)
    if item.location:
        event.add("location", item.location)
    if item.url:
        event.add("url", item.url)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    return event


def calendar(items: Iterable[CalendarItem], name: str = "") -> bytes:
    """A whole calendar: one ``VEVENT`` per item, the time zones they use."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", str(LOCAL_ZONE))
    for item in items:
        cal.add_component(component(item))
    cal.add_missing_timezones()
    return cal.to_ical()
