"""The campaign week as .ics: valid iCalendar, checked by a real parser."""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar
import pytest

from archive.views.public import ical


def test_campaign_week_downloads_as_a_valid_all_day_event(client, demo):
    response = client.get("/campagne/week-2021/week.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert 'filename="week-2021.ics"' in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(raw)
    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == "campagne-week-2021@localhost"
    assert isinstance(event.decoded("DTSTAMP"), datetime)
    assert event.decoded("DTSTART") == date(2021, 11, 15)
    assert event.decoded("DTEND") == date(2021, 11, 22)  # exclusive: the 21st is included
    assert str(event["SUMMARY"]) == "Week tegen Kindermishandeling 2021"
    assert str(event["LOCATION"]) == "Landelijk"
    assert "… dichterbij dan je denkt" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == "http://localhost/campagne/week-2021"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a,b", "a\\,b"),
        ("a;b", "a\\;b"),
        ("a\\b", "a\\\\b"),
        ("regel\nregel", "regel\\nregel"),
        ("… dichterbij", "… dichterbij"),
    ],
)
def test_text_values_are_escaped(text, escaped):
    assert ical.escape_text(text) == escaped


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    line = "DESCRIPTION:" + "één " * 60
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line


def test_special_characters_survive_a_round_trip():
    body = ical.week_event(
        uid="x@example.org",
        summary="Week; met, tekens\\ en\nregels",
        starts_on=date(2030, 1, 1),
        ends_on=date(2030, 1, 1),
        stamp=datetime(2030, 1, 1, tzinfo=UTC),
        description="é" * 200,
    )
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Week; met, tekens\\ en\nregels"
    assert str(event["DESCRIPTION"]) == "é" * 200
    assert event.decoded("DTEND") == date(2030, 1, 2)
