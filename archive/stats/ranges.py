"""Byte ranges a visitor fetched, merged: the IAB one-minute rule counts distinct bytes.

Pure functions on ``(start, stop)`` pairs (stop exclusive), and their stored
text form ``start-stop,start-stop``.
"""

from __future__ import annotations

from collections.abc import Iterable

Range = tuple[int, int]

#: How much audio a download needs (IAB Podcast Measurement Guidelines v2.2).
MINIMUM_SECONDS = 60
#: Without a known duration: about a minute at 128 kbit/s.
FALLBACK_BYTES = 960_000
#: At most this many separate pieces are kept; beyond that the closest merge.
MAX_PIECES = 64


def merge(ranges: Iterable[Range]) -> list[Range]:
    """Sorted, non-overlapping ranges covering the same bytes (touching ones joined)."""
    merged: list[Range] = []
    for start, stop in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    while len(merged) > MAX_PIECES:
        gap = min(range(len(merged) - 1), key=lambda i: merged[i + 1][0] - merged[i][1])
        merged[gap : gap + 2] = [(merged[gap][0], merged[gap + 1][1])]
    return merged


def covered(ranges: Iterable[Range]) -> int:
    """How many distinct bytes ``ranges`` cover."""
    return sum(stop - start for start, stop in merge(ranges))


def threshold(size: int, duration: float | None) -> int:
    """Bytes that make a download: one minute of audio, or the whole file when shorter."""
    known = duration is not None and duration > 0
    needed = int(size * MINIMUM_SECONDS / duration) if known else FALLBACK_BYTES
    return max(1, min(size, needed))


def dumps(ranges: Iterable[Range]) -> str:
    return ",".join(f"{start}-{stop}" for start, stop in ranges)


def loads(text: str) -> list[Range]:
    pieces = []
    for piece in filter(None, text.split(",")):
        start, _, stop = piece.partition("-")
        pieces.append((int(start), int(stop)))
    return pieces
