"""What a feed shows, and a cheap fingerprint of it for caching and Last-Modified.

The fingerprint comes from one aggregate query (counts and latest times of all
and of public items), so every worker computes the same key from the database
alone: a worker's cached feed is used only while the data it was built from
is unchanged, and a scheduled episode that goes public changes the key at
that moment (the public count and latest ``published_at`` move) without any
write to the database.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select

from ..models import Episode, Show, Story, db, utcnow

#: Built feeds kept per worker (one per show and base URL is plenty).
CACHE_SIZE = 16


@dataclass(frozen=True)
class FeedState:
    """``key`` changes whenever the feed's content may have; ``last_modified`` never lies low."""

    key: tuple[Hashable, ...]
    last_modified: datetime


def _aggregate(model: type[Episode] | type[Story], moment: datetime, *where: Any) -> tuple:
    public = model.public_clause(moment)
    query = select(
        func.count(model.id),
        func.max(model.updated_at),
        func.count(case((public, 1))),
        func.max(case((public, model.published_at))),
    ).where(*where)
    return tuple(db.session.execute(query).one())


def _latest(*moments: datetime | None) -> datetime:
    present = [m for m in moments if m is not None]
    return max(present).replace(microsecond=0)


def podcast_state(show: Show, moment: datetime | None = None) -> FeedState:
    """The show's feed state at ``moment`` (default: now)."""
    moment = moment or utcnow()
    count, updated, public_count, published = _aggregate(
        Episode, moment, Episode.show_id == show.id
    )
    key = ("podcast", show.id, show.updated_at, count, updated, public_count, published)
    return FeedState(key, _latest(show.updated_at, updated, published))


def stories_state(moment: datetime | None = None) -> FeedState:
    moment = moment or utcnow()
    count, updated, public_count, published = _aggregate(Story, moment)
    key = ("stories", count, updated, public_count, published)
    epoch = datetime.fromtimestamp(0, tz=moment.tzinfo)
    return FeedState(key, _latest(epoch, updated, published))


def public_episodes(show: Show, moment: datetime | None = None) -> list[Episode]:
    """The show's public episodes, newest first (ties broken by id for stable bytes)."""
    query = (
        select(Episode)
        .where(Episode.show_id == show.id, Episode.public_clause(moment))
        .order_by(Episode.published_at.desc(), Episode.id.desc())
    )
    return list(db.session.scalars(query))


def public_stories(moment: datetime | None = None) -> list[Story]:
    query = (
        select(Story)
        .where(Story.public_clause(moment))
        .order_by(Story.published_at.desc(), Story.id.desc())
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class BuiltFeed:
    """A feed's bytes, gzipped once, with its strong ETag."""

    body: bytes
    gzipped: bytes
    etag: str
    last_modified: datetime

    @classmethod
    def from_body(cls, body: bytes, last_modified: datetime) -> BuiltFeed:
        # mtime=0: the same feed always compresses to the same bytes.
        return cls(
            body=body,
            gzipped=gzip.compress(body, compresslevel=6, mtime=0),
            etag=hashlib.sha256(body).hexdigest()[:32],
            last_modified=last_modified,
        )


class FeedCache:
    """A small thread-safe LRU of built feeds, keyed by :class:`FeedState` keys."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, BuiltFeed] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, key: Hashable, build: Callable[[], BuiltFeed]) -> BuiltFeed:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        built = build()
        with self._lock:
            self._items[key] = built
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return built

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
