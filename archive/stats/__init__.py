"""Statistics that identify nobody: downloads, reads, page views and searches per day.

- :mod:`.agents`: the listening app from the User-Agent; bots left out.
- :mod:`.ranges`: the IAB one-minute rule on merged byte ranges.
- :mod:`.recorder`: the node's in-memory buffer, written in batches.
- :mod:`.proxylog`: downloads from nginx's log lines (``flask count-downloads``).
- :mod:`.store`: the day's salt, dedupe state and upserted daily counters.
- :mod:`.reports`: the tables editors and ``flask stats`` read.
- :mod:`.charts`: SVG bar charts as plain geometry for a template.
"""

from __future__ import annotations

from .recorder import init_app, normalise_query, recorder, today

__all__ = ["init_app", "normalise_query", "recorder", "today"]
