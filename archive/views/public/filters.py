"""Template filters and globals for the visitors' site: Dutch dates and durations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.dates import format_date

from ...localtime import LOCAL_ZONE
from ...text import clock
from . import bp

LOCALE = "nl_NL"

#: Who to call, shown in the help block on every page and on /hulp.
HELPLINES: list[dict[str, str]] = [
    {
        "name": "Veilig Thuis",
        "number": "0800-2000",
        "tel": "08002000",
        "when": "gratis, dag en nacht, ook anoniem",
    },
    {
        "name": "De Kindertelefoon",
        "number": "0800-0432",
        "tel": "08000432",
        "when": "voor kinderen en jongeren van 8 tot 18, elke dag 11:00–21:00, ook chat",
    },
]

#: Where the quick exit goes: a neutral page (the weather), opened without a referrer.
QUICK_EXIT_URL = "https://nos.nl/weer"


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_ZONE).date()
    return value


@bp.app_template_filter("datum")
def datum(value: date | datetime | None) -> str:
    """A Dutch date, e.g. ``15 november 2021``."""
    if value is None:
        return ""
    return format_date(_as_date(value), "d MMMM y", locale=LOCALE)


@bp.app_template_filter("iso_datum")
def iso_datum(value: date | datetime | None) -> str:
    """The machine-readable date for ``<time datetime>``."""
    return "" if value is None else _as_date(value).isoformat()


def _parts(seconds: float) -> tuple[int, int, int]:
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return hours, minutes, secs


@bp.app_template_filter("tijdcode")
def tijdcode(seconds: float | None) -> str:
    """A position in audio as ``m:ss`` or ``u:mm:ss`` (truncated, as players show it)."""
    return clock(seconds or 0)


@bp.app_template_filter("duur")
def duur(seconds: float | None) -> str:
    """A duration in words, e.g. ``1 uur en 4 minuten`` or ``3 minuten en 12 seconden``."""
    if not seconds:
        return "onbekend"
    hours, minutes, secs = _parts(seconds)
    words = []
    if hours:
        words.append(f"{hours} uur")
    if minutes:
        words.append(f"{minutes} {'minuut' if minutes == 1 else 'minuten'}")
    if secs and not hours:
        words.append(f"{secs} {'seconde' if secs == 1 else 'seconden'}")
    return " en ".join(words) or "0 seconden"


@bp.app_template_filter("iso_duur")
def iso_duur(seconds: float | None) -> str:
    """An ISO 8601 duration for ``<time datetime>``, e.g. ``PT3M12S``."""
    hours, minutes, secs = _parts(seconds or 0)
    return f"PT{hours}H{minutes}M{secs}S"


@bp.app_template_filter("seconden")
def seconden(value: Any) -> int:
    """Whole seconds, for ``#t=`` links."""
    try:
        return max(0, int(float(value)))
    except (TypeError, ValueError):
        return 0


@bp.app_context_processor
def site_globals() -> dict[str, Any]:
    return {"helplines": HELPLINES, "quick_exit_url": QUICK_EXIT_URL}
