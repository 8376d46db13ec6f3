"""Dutch local time for people, UTC for the database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

#: Editors and visitors think in Dutch local time; the database stores UTC.
LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")


def to_local(moment: datetime | None) -> datetime | None:
    """An aware moment in Dutch local time (None stays None)."""
    return moment.astimezone(LOCAL_ZONE) if moment else None


def from_local(moment: datetime | None) -> datetime | None:
    """A naive local (Europe/Amsterdam) date-time from a form, as aware UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=LOCAL_ZONE).astimezone(UTC)


def local_label(moment: datetime | None) -> str:
    """``15-11-2021 08:00`` in Dutch local time, or "" for None."""
    local = to_local(moment)
    return f"{local:%d-%m-%Y %H:%M}" if local else ""


def now() -> datetime:
    """Now, as aware UTC; an app's ``NOW`` setting fixes it (tests, a preview of a date).

    Drives the date choices of the home page (which edition) and the agenda
    (coming or past); the publication rule always uses the real clock.
    """
    fixed = current_app.config.get("NOW") if has_app_context() else None
    return fixed.astimezone(UTC) if fixed else datetime.now(UTC)


def today() -> date:
    """Today's date in the Netherlands (see :func:`now`)."""
    return now().astimezone(LOCAL_ZONE).date()


def local_midnight(day: date) -> datetime:
    """The first moment of ``day`` in the Netherlands, as aware UTC."""
    return datetime.combine(day, time(0), tzinfo=LOCAL_ZONE).astimezone(UTC)
