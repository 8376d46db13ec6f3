"""Bar chart geometry: heights in proportion, a rounded scale, labels spaced out."""

from __future__ import annotations

import pytest

from archive.stats import charts


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (480, 500)]
)
def test_scale_rounds_up_to_one_two_or_five(value, ceiling):
    assert charts.nice_ceiling(value) == ceiling


def test_bars_are_in_proportion_and_stand_on_the_baseline():
    chart = charts.bar_chart([("a", 10), ("b", 5), ("c", 0)], "Titel", "Beschrijving")
    full, half, empty = chart.bars
    assert half.height == pytest.approx(full.height / 2)
    assert empty.height == 0
    for bar in chart.bars:
        assert bar.y + bar.height == pytest.approx(chart.baseline)
    assert [label for _, label in chart.ticks] == ["0", "5", "10"]


def test_a_month_gets_a_few_labels_not_thirty():
    points = [(f"{day:02d}-11", day) for day in range(1, 31)]
    chart = charts.bar_chart(points, "t", "d")
    assert len(chart.bars) == 30
    assert 4 <= len(chart.labels) <= 8


def test_no_numbers_draws_an_empty_chart():
    chart = charts.bar_chart([], "t", "d")
    assert chart.bars == []
