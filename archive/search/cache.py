"""Answers to repeated searches, kept exactly as long as they cannot change.

In a campaign week visitors search for a few dozen things over and over. An
answer (hits, facets, suggestion, messages) is kept per searcher: the store
opens a new searcher whenever the index changed, which is whenever the change
log's position it has applied moved, so a save or a withdrawal starts afresh.
An answer is also only reused before the next scheduled item's moment, so it
never shows an item before its time and never misses one after it. The
number of answers kept per searcher is bounded (``ARCHIVE_SEARCH_CACHE_ENTRIES``,
least recently used first out); 0 turns the cache off.

The cache holds any value per owner: :func:`~.querying.query` keeps answers
per searcher, and the search page keeps their renderings (see
``views/search.py``). Values are returned as they were put: a caller that
changes them copies them first.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

#: Answers kept per searcher by default: about 10 KB each (10 hits with excerpts).
DEFAULT_ENTRIES = 1000


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0


class ResultCache:
    """Values per owner (a searcher, an app), each valid from its moment until ``valid_until``."""

    def __init__(self, entries: int = DEFAULT_ENTRIES) -> None:
        self.entries = entries
        self.stats = CacheStats()
        self._lock = threading.Lock()
        self._kept: weakref.WeakKeyDictionary[Any, OrderedDict[Hashable, tuple]] = (
            weakref.WeakKeyDictionary()
        )

    def get(self, owner: Any, key: Hashable, moment: datetime) -> Any | None:
        """The value kept for ``key``, if it still holds at ``moment``."""
        if self.entries <= 0:
            return None
        with self._lock:
            kept = self._kept.get(owner, {}).get(key)
            if kept is not None:
                value, since, until = kept
                if since <= moment and (until is None or moment < until):
                    self._kept[owner].move_to_end(key)
                    self.stats.hits += 1
                    return value
            self.stats.misses += 1
        return None

    def put(
        self,
        owner: Any,
        key: Hashable,
        value: Any,
        moment: datetime,
        valid_until: datetime | None = None,
    ) -> None:
        """Keep ``value`` for ``key`` from ``moment`` until ``valid_until`` (None: no end)."""
        if self.entries <= 0:
            return
        with self._lock:
            kept = self._kept.setdefault(owner, OrderedDict())
            kept[key] = (value, moment, valid_until)
            kept.move_to_end(key)
            while len(kept) > self.entries:
                kept.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return sum(len(kept) for kept in self._kept.values())
