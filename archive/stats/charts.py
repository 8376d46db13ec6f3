"""Bar charts as plain geometry: a template draws them as SVG (no script, no outside service).

:func:`bar_chart` takes values and returns the rectangles, the axis' ticks
and the labels to show; the template adds a ``<title>`` and ``<desc>`` for
screen readers, and the page puts the same numbers in a table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 640
HEIGHT = 200
#: Room for the axis labels left and below the plot.
LEFT = 40
BOTTOM = 24
TOP = 8


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclass
class Chart:
    title: str
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    #: (y, label) of the horizontal grid lines.
    ticks: list[tuple[float, str]] = field(default_factory=list)
    #: (x, label) under the plot, a few only.
    labels: list[tuple[float, str]] = field(default_factory=list)
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten that is at least ``value`` (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def bar_chart(
    points: list[tuple[str, int]], title: str, description: str, label_every: int | None = None
) -> Chart:
    """A chart of ``points`` (label, value), in order; a few labels spaced along the bottom."""
    chart = Chart(title=title, description=description)
    top = nice_ceiling(max((value for _, value in points), default=0))
    plot_height = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(1, len(points))
    every = label_every or max(1, len(points) // 6)
    for n, (label, value) in enumerate(points):
        height = plot_height * value / top
        x = LEFT + n * slot
        chart.bars.append(
            Bar(
                round(x + slot * 0.1, 2),
                round(chart.baseline - height, 2),
                round(max(slot * 0.8, 0.5), 2),
                round(height, 2),
                label,
                value,
            )
        )
        if n % every == 0:
            chart.labels.append((round(x + slot / 2, 2), label))
    # Whole numbers only: 0, half and the top (a top of 1 has no half).
    marks = (0, top // 2, top) if top >= 2 else (0, top)
    chart.ticks = [
        (round(chart.baseline - plot_height * mark / top, 2), str(mark)) for mark in marks
    ]
    return chart
