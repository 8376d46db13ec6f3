"""Calendars: the campaign week, each event and the agenda feed, read by a real parser.

``icalendar`` builds them too, so the raw text is checked as well: CRLF line
ends, folding at 75 octets, ``VALUE=DATE`` for all-day events and a
``VTIMEZONE`` for the Dutch times.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from archive import editorial
from archive.models import Event, db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def parse(raw: bytes) -> icalendar.Calendar:
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(raw)
    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar
    return calendar


def events_by_summary(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_campaign_week_downloads_as_a_valid_all_day_event(client, demo):
    response = client.get("/campagne/week-2021/week.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert 'filename="week-2021.ics"' in response.headers["Content-Disposition"]
    raw = response.get_data()
    (event,) = parse(raw).walk("VEVENT")
    assert event["UID"] == "campagne-week-2021@localhost"
    assert isinstance(event.decoded("DTSTAMP"), datetime)
    assert b"DTSTART;VALUE=DATE:20211115\r\n" in raw
    assert event.decoded("DTSTART") == date(2021, 11, 15)
    assert event.decoded("DTEND") == date(2021, 11, 22)  # exclusive: the 21st is included
    assert str(event["SUMMARY"]) == "Week tegen Kindermishandeling 2021"
    assert str(event["LOCATION"]) == "Landelijk"
    assert "… dichterbij dan je denkt" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == "http://localhost/campagne/week-2021"


def test_timed_events_carry_dutch_time_with_its_time_zone(client, demo):
    raw = client.get("/agenda/webinar-signalen-in-de-klas.ics").get_data()
    calendar = parse(raw)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Amsterdam"
    (event,) = calendar.walk("VEVENT")
    assert b"DTSTART;TZID=Europe/Amsterdam:20211116T193000\r\n" in raw
    assert event.decoded("DTSTART") == datetime(2021, 11, 16, 19, 30, tzinfo=AMSTERDAM)
    assert event.decoded("DTEND").astimezone(UTC) == datetime(2021, 11, 16, 20, tzinfo=UTC)
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Aanmelden: https://example.org/aanmelden" in str(event["DESCRIPTION"])


def test_the_agenda_feed_holds_every_event_and_week_and_keeps_cancelled_ones(client, demo):
    response = client.get("/agenda.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"].startswith("inline")
    calendar = parse(response.get_data())
    assert str(calendar["X-WR-CALNAME"]).startswith("Week tegen Kindermishandeling")
    found = events_by_summary(calendar)
    assert {
        "Week tegen Kindermishandeling 2021",
        "Week tegen Kindermishandeling 2022 (voorbeeld)",
        "Webinar: signalen zien in de klas (voorbeeld)",
        "Lancering van de podcast (voorbeeld)",
        "Gaat niet door: Avond in de bibliotheek (voorbeeld)",
        "Gesprekstafels in het hele land (voorbeeld)",
    } == set(found)
    cancelled = found["Gaat niet door: Avond in de bibliotheek (voorbeeld)"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert "coronamaatregelen" in str(cancelled["DESCRIPTION"])
    # A multi-day all-day event: its last day is included (DTEND is exclusive).
    tables = found["Gesprekstafels in het hele land (voorbeeld)"]
    assert (tables.decoded("DTSTART"), tables.decoded("DTEND")) == (
        date(2022, 11, 14),
        date(2022, 11, 19),
    )
    uids = [str(event["UID"]) for event in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))


def test_uid_stays_and_sequence_grows_when_an_event_changes(client, demo):
    def feed_event(slug: str) -> icalendar.Event:
        (event,) = icalendar.Calendar.from_ical(client.get(f"/agenda/{slug}.ics").get_data()).walk(
            "VEVENT"
        )
        return event

    before = feed_event("lancering-podcast")
    event = db.session.query(Event).filter_by(slug="lancering-podcast").one()
    editorial.save_event(
        event.id, {"title": "Lancering, nu later"}, editorial.COMMAND_LINE, version=event.version
    )
    after = feed_event("lancering-podcast")
    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert str(after["SUMMARY"]) == "Lancering, nu later"
    editorial.cancel_event(event.id, "Verplaatst.", editorial.COMMAND_LINE)
    cancelled = feed_event("lancering-podcast")
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) > int(after["SEQUENCE"])


@pytest.mark.parametrize(
    ("local_start", "utc_start"),
    [
        # Summer time (UTC+2) on the Saturday, winter time (UTC+1) on the Monday.
        (datetime(2021, 10, 30, 20, 0), datetime(2021, 10, 30, 18, 0, tzinfo=UTC)),
        (datetime(2021, 11, 1, 20, 0), datetime(2021, 11, 1, 19, 0, tzinfo=UTC)),
    ],
)
def test_times_hold_across_the_change_to_winter_time(client, ctx, local_start, utc_start):
    start = local_start.replace(tzinfo=AMSTERDAM).astimezone(UTC)
    event = editorial.save_event(
        None,
        {
            "title": "Avond rond de klokwissel",
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "place_kind": "online",
        },
        editorial.COMMAND_LINE,
    )
    raw = client.get(f"/agenda/{event.slug}.ics").get_data()
    (parsed,) = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert parsed.decoded("DTSTART").astimezone(UTC) == utc_start
    assert f"DTSTART;TZID=Europe/Amsterdam:{local_start:%Y%m%dT%H%M%S}".encode() in raw
    # The time zone block has both rules, so any calendar app gets both offsets right.
    (zone,) = icalendar.Calendar.from_ical(raw).walk("VTIMEZONE")
    assert {c.name for c in zone.subcomponents} >= {"STANDARD", "DAYLIGHT"}


def test_special_characters_and_long_text_survive_a_round_trip(client, ctx):
    description = "Regel; met, tekens\\ en\nregels " + "één " * 60
    event = editorial.save_event(
        None,
        {
            "title": "Titel; met, tekens",
            "starts_at": datetime(2030, 1, 1, 9, tzinfo=UTC),
            "ends_at": datetime(2030, 1, 1, 10, tzinfo=UTC),
            "description": description,
        },
        editorial.COMMAND_LINE,
    )
    raw = client.get(f"/agenda/{event.slug}.ics").get_data()
    (parsed,) = parse(raw).walk("VEVENT")
    assert str(parsed["SUMMARY"]) == "Titel; met, tekens"
    assert b"SUMMARY:Titel\\; met\\, tekens" in raw
    assert "één één" in str(parsed["DESCRIPTION"])
