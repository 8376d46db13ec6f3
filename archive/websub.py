"""Tell a WebSub hub that feeds changed: what ``flask publish-due`` runs (from cron).

Every publication changes a feed at a moment: at once (a change in the change
log) or later (a scheduled ``published_at`` passing, which writes nothing).
The notifier is a change-log follower named ``websub``: its position is the
last change it handled and its ``seen_at`` the moment up to which it has
looked at scheduled publications. Each run collects the feeds that changed
since then, notifies the hub once per feed (``hub.mode=publish``,
``hub.url=<feed>``) with retries and backoff, and only then moves on; a run
that could not reach the hub leaves the position, so the next run tries again.
"""

from __future__ import annotations

import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from .editorial import changelog
from .models import ChangeFollower, Episode, Show, Story, db

log = logging.getLogger(__name__)

FOLLOWER = "websub"
#: Attempts per feed, and the first wait between them (doubled after each failure).
ATTEMPTS = 4
BACKOFF_SECONDS = 0.5
TIMEOUT_SECONDS = 10
#: Changes read per query while collecting.
BATCH = 500
#: A feed: ("show", show id) or ("stories", None).
FeedKey = tuple[str, int | None]
STORIES: FeedKey = ("stories", None)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Due:
    """The feeds to notify, and how far the notifier gets once it has."""

    feeds: set[FeedKey]
    position: int
    moment: datetime


def _episode_feeds(item_id: int) -> set[FeedKey]:
    show_id = db.session.scalar(select(Episode.show_id).where(Episode.id == item_id))
    if show_id is not None:
        return {("show", show_id)}
    return {("show", show) for show in db.session.scalars(select(Show.id))}  # deleted: any


#: Item kind -> the feeds a change of it touches.
FEEDS_OF: dict[str, Callable[[int], set[FeedKey]]] = {
    "episode": _episode_feeds,
    "story": lambda _item_id: {STORIES},
}


def due(now: datetime) -> Due:
    """The feeds changed since the last run: by the change log, and by scheduled moments."""
    row = db.session.get(ChangeFollower, FOLLOWER)
    position = row.position if row else 0
    since = row.seen_at if row else EPOCH
    feeds: set[FeedKey] = set()
    while batch := changelog.since(position, BATCH):
        for entry in batch:
            feeds |= FEEDS_OF.get(entry.item_kind, lambda _item_id: set())(entry.item_id)
        position = batch[-1].id
    window = (Episode.published_at > since, Episode.published_at <= now)
    shows = select(Episode.show_id).where(Episode.published_clause(), *window).distinct()
    feeds |= {("show", show_id) for show_id in db.session.scalars(shows)}
    stories = select(Story.id).where(
        Story.published_clause(), Story.published_at > since, Story.published_at <= now
    )
    if db.session.scalar(stories.limit(1)) is not None:
        feeds.add(STORIES)
    return Due(feeds, position, now)


def done(handled: Due) -> None:
    """Remember that everything in ``handled`` has been notified."""
    changelog.report_position(FOLLOWER, handled.position, handled.moment)


def _post(hub: str, feed_url: str) -> None:
    body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": feed_url}).encode()
    request = urllib.request.Request(hub, data=body, method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        response.read()


def notify(hub: str, feed_url: str, sleep: Callable[[float], None] = time.sleep) -> str | None:
    """Notify ``hub`` that ``feed_url`` changed; None, or why it failed after every attempt."""
    wait = BACKOFF_SECONDS
    problem = None
    for attempt in range(1, ATTEMPTS + 1):
        try:
            _post(hub, feed_url)
            return None
        except urllib.error.HTTPError as exc:
            exc.close()
            problem = f"the hub answered {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            problem = f"the hub cannot be reached ({getattr(exc, 'reason', exc)})"
        log.warning("WebSub %s attempt %d: %s", feed_url, attempt, problem)
        if attempt < ATTEMPTS:
            sleep(wait)
            wait *= 2
    return problem
