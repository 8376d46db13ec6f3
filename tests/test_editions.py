"""Which edition the home page shows on a given day (pure, from a table)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from archive import editions


@dataclass
class Edition:
    name: str
    starts_on: date
    ends_on: date


W2021 = Edition("2021", date(2021, 11, 15), date(2021, 11, 21))
W2022 = Edition("2022", date(2022, 11, 14), date(2022, 11, 20))
ALL = [W2021, W2022]


@pytest.mark.parametrize(
    ("today", "name", "state", "days", "earlier"),
    [
        # During the week (first and last day included): the running edition.
        (date(2021, 11, 15), "2021", "running", 0, []),
        (date(2021, 11, 21), "2021", "running", 0, []),
        (date(2022, 11, 16), "2022", "running", 0, ["2021"]),
        # The day after: the latest one that has started, the older ones as "earlier".
        (date(2021, 11, 22), "2021", "latest", 0, []),
        (date(2022, 11, 21), "2022", "latest", 0, ["2021"]),
        (date(2026, 11, 30), "2022", "latest", 0, ["2021"]),
        # In the weeks before: the coming one, with the days to go.
        (date(2022, 9, 19), "2022", "coming", 56, ["2021"]),
        (date(2022, 11, 13), "2022", "coming", 1, ["2021"]),
        # Longer before: still the latest that has been.
        (date(2022, 9, 18), "2021", "latest", 0, []),
        # Before any edition started: the first one, counting down.
        (date(2021, 1, 1), "2021", "coming", 318, []),
    ],
)
def test_the_home_page_chooses_by_date(today, name, state, days, earlier):
    featured = editions.choose(ALL, today)
    assert featured is not None
    assert (featured.edition.name, featured.state, featured.days_until) == (name, state, days)
    assert [e.name for e in featured.earlier] == earlier


def test_no_editions_means_nothing_featured():
    assert editions.choose([], date(2021, 11, 15)) is None


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (0, "Vandaag begint de week"),
        (1, "Morgen begint de week"),
        (2, "Over 2 dagen begint de week"),
        (13, "Over 13 dagen begint de week"),
        (14, "Over 2 weken begint de week"),
        (23, "Over ruim 3 weken begint de week"),
        (56, "Over 8 weken begint de week"),
    ],
)
def test_the_countdown_is_in_words(days, words):
    assert editions.countdown(days) == words
