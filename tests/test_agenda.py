"""The agenda's rules: coming or been (split at midnight in the Netherlands), "when" in words."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from archive import agenda


def entry(title: str, starts_at: datetime, ends_at: datetime, all_day: bool = False):
    return agenda.Entry("event", title.lower(), title, starts_at, ends_at, all_day, "Online")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_all_day_spans_run_from_local_midnight_to_local_midnight():
    # Winter time (UTC+1): 15 November 00:00 local is 14 November 23:00 UTC.
    start, end = agenda.all_day_span(date(2021, 11, 15), date(2021, 11, 21))
    assert (start, end) == (utc(2021, 11, 14, 23), utc(2021, 11, 21, 23))
    # Across the change to winter time (31 October 2021, 03:00 -> 02:00): 25 hours that day.
    start, end = agenda.all_day_span(date(2021, 10, 30), date(2021, 10, 31))
    assert (start, end) == (utc(2021, 10, 29, 22), utc(2021, 10, 31, 23))


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "all_day", "words"),
    [
        (utc(2021, 11, 14, 23), utc(2021, 11, 21, 23), True, "15-11-2021 t/m 21-11-2021"),
        (utc(2021, 11, 14, 23), utc(2021, 11, 15, 23), True, "15-11-2021"),
        (utc(2021, 11, 16, 18, 30), utc(2021, 11, 16, 20), False, "16-11-2021 19:30–21:00"),
        # Summer time (UTC+2) before the change, winter time after it.
        (
            utc(2021, 10, 30, 17),
            utc(2021, 10, 31, 17),
            False,
            "30-10-2021 19:00 t/m 31-10-2021 18:00",
        ),
    ],
)
def test_when_is_said_in_dutch_local_time(starts_at, ends_at, all_day, words):
    assert agenda.when_label(starts_at, ends_at, all_day) == words


def test_an_entry_is_coming_until_midnight_in_the_netherlands_after_it_ends():
    evening = entry("Avond", utc(2021, 11, 16, 18, 30), utc(2021, 11, 16, 20))
    week = entry("Week", utc(2021, 11, 14, 23), utc(2021, 11, 21, 23), all_day=True)
    later = entry("Later", utc(2021, 12, 1, 18), utc(2021, 12, 1, 19))
    coming, been = agenda.split([later, week, evening], date(2021, 11, 16))
    assert [e.title for e in coming] == ["Week", "Avond", "Later"] and been == []
    # The evening ended at 21:00 local; it stays "coming" that day and has been the next.
    coming, been = agenda.split([later, week, evening], date(2021, 11, 17))
    assert [e.title for e in coming] == ["Week", "Later"]
    assert [e.title for e in been] == ["Avond"]
    # The all-day week ends at midnight after its last day, 21 November.
    coming, been = agenda.split([later, week, evening], date(2021, 11, 22))
    assert [e.title for e in coming] == ["Later"]
    assert [e.title for e in been] == ["Avond", "Week"]  # latest start first


def test_the_split_is_at_local_midnight_not_utc_midnight():
    # Ends 23:30 local on 16 November = 22:30 UTC: still that local day.
    late = entry("Laat", utc(2021, 11, 16, 21), utc(2021, 11, 16, 22, 30))
    assert agenda.has_been(late, date(2021, 11, 16)) is False
    assert agenda.has_been(late, date(2021, 11, 17)) is True
