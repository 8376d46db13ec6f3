"""Dutch local time for people, UTC for the database."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

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
