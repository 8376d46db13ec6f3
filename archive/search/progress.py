"""Progress of a rebuild for people: items done, documents per second, time left.

On a terminal one line is redrawn in place (a bar); elsewhere (logs, cron,
``systemd``) a plain line is written every :data:`PLAIN_EVERY_SECONDS` and at
the end, so a log shows the pace without thousands of redraws.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

#: Seconds between lines when the output is not a terminal.
PLAIN_EVERY_SECONDS = 10.0
#: Seconds between redraws on a terminal.
TTY_EVERY_SECONDS = 0.2
BAR_WIDTH = 24


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


class RebuildProgress:
    """Call with (items done, documents done) as the rebuild goes; :meth:`close` at the end."""

    def __init__(
        self,
        total_items: int,
        stream: TextIO,
        tty: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total_items
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.clock = clock
        self.started = clock()
        self.shown_at: float | None = None
        self.items = 0
        self.documents = 0

    def __call__(self, items: int, documents: int) -> None:
        self.items, self.documents = items, documents
        now = self.clock()
        every = TTY_EVERY_SECONDS if self.tty else PLAIN_EVERY_SECONDS
        if self.shown_at is None or now - self.shown_at >= every:
            self._show(now)

    def close(self) -> None:
        self._show(self.clock())
        if self.tty:
            self.stream.write("\n")
        self.stream.flush()

    def line(self, now: float) -> str:
        """``1200/11000 items (11%), 4100 documents, 820 documents/s, time left 0:58``."""
        elapsed = max(now - self.started, 1e-9)
        rate = self.documents / elapsed
        share = self.items / self.total if self.total else 1.0
        left = elapsed * (1 - share) / share if share else None
        text = (
            f"{self.items}/{self.total} items ({share:.0%}), {self.documents} documents, "
            f"{rate:.0f} documents/s, time left {_duration(left) if left is not None else '?'}"
        )
        if not self.tty:
            return text
        filled = round(BAR_WIDTH * share)
        return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {text}"

    def _show(self, now: float) -> None:
        self.shown_at = now
        if self.tty:
            self.stream.write("\r" + self.line(now) + "\x1b[K")
        else:
            self.stream.write(self.line(now) + "\n")
        self.stream.flush()
