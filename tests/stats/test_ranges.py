"""The one-minute rule's arithmetic: merged byte ranges and the threshold."""

from __future__ import annotations

import pytest

from archive.stats import ranges

MERGE_CASES = [
    ([], []),
    ([(0, 10)], [(0, 10)]),
    ([(0, 10), (10, 20)], [(0, 20)]),
    ([(0, 10), (5, 8)], [(0, 10)]),
    ([(20, 30), (0, 10)], [(0, 10), (20, 30)]),
    ([(0, 10), (0, 10), (0, 10)], [(0, 10)]),
    ([(5, 5)], []),
]


@pytest.mark.parametrize(("pieces", "merged"), MERGE_CASES)
def test_merge_joins_overlapping_and_touching_ranges(pieces, merged):
    assert ranges.merge(pieces) == merged


def test_the_same_range_twice_covers_it_once():
    assert ranges.covered([(0, 1000), (0, 1000), (500, 1000)]) == 1000


def test_many_pieces_are_kept_within_bounds_and_never_lose_bytes():
    pieces = [(n * 10, n * 10 + 5) for n in range(200)]
    merged = ranges.merge(pieces)
    assert len(merged) <= ranges.MAX_PIECES
    assert ranges.covered(merged) >= ranges.covered(pieces)


THRESHOLD_CASES = [
    # size, duration, bytes needed
    (6_000_000, 600.0, 600_000),  # a minute of ten
    (200_000, 40.0, 200_000),  # shorter than a minute: the whole file
    (5_000_000, None, ranges.FALLBACK_BYTES),  # unknown duration
    (100, None, 100),
    (1, 0.0, 1),
]


@pytest.mark.parametrize(("size", "duration", "needed"), THRESHOLD_CASES)
def test_threshold_is_a_minute_or_the_whole_file(size, duration, needed):
    assert ranges.threshold(size, duration) == needed


def test_stored_form_round_trips():
    pieces = [(0, 10), (20, 300)]
    assert ranges.loads(ranges.dumps(pieces)) == pieces
    assert ranges.loads("") == []
