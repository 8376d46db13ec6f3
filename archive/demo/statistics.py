"""Example statistics for the demo: a believable month of counts, clearly example data.

``flask load-demo --with-stats`` writes them through :mod:`archive.stats.store`,
the same upserts the counting uses. They are daily counts like real ones; the
editors' home says that this archive holds demo content, so example numbers
are not taken for real ones. Repeatable: a fixed seed, and a second run adds
nothing for days that already have counts.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import exists, select

from ..models import Episode, StatsDaily, Story, db
from ..stats import store

#: App key -> share of downloads (roughly what Dutch podcast hosts report).
APP_SHARES: dict[str, float] = {
    "apple": 0.34,
    "spotify": 0.28,
    "browser": 0.14,
    "pocketcasts": 0.06,
    "antennapod": 0.05,
    "overcast": 0.04,
    "podcastaddict": 0.04,
    "other": 0.05,
}
#: Queries many visitors type; the second list finds nothing in the demo archive.
QUERIES = ["pesten", "vader", "signalen", "hulp", "school", "buren", "moeder", "veilig thuis"]
EMPTY_QUERIES = ["loverboy", "pleegzorg", "meldcode", "scheiding"]


def fill(until: date, days: int = 30, seed: int = 15) -> list[str]:
    """Counts for the ``days`` days up to ``until`` for the public demo items."""
    since = until - timedelta(days=days - 1)
    if db.session.scalar(select(exists().where(StatsDaily.day.between(since, until)))):
        return [f"Statistics: counts for {since} to {until} exist already, nothing added."]
    chance = random.Random(seed)
    episodes = db.session.scalars(select(Episode.id).where(Episode.public_clause())).all()
    stories = db.session.scalars(select(Story.id).where(Story.public_clause())).all()
    counts: dict[tuple[date, str, int, str], int] = {}
    queries: list[tuple[date, str, int, int]] = []
    for offset in range(days):
        day = since + timedelta(days=offset)
        # Quieter weekends, a campaign week in the middle of the month.
        busy = (0.6 if day.weekday() >= 5 else 1.0) * (2.2 if 12 <= offset < 19 else 1.0)
        for rank, episode_id in enumerate(episodes):
            listeners = int(chance.gauss(40 / (rank + 1), 6) * busy)
            for app, share in APP_SHARES.items():
                number = max(0, round(listeners * share * chance.uniform(0.7, 1.3)))
                if number:
                    counts[(day, "download", episode_id, app)] = number
                    views = counts.get((day, "view", episode_id, ""), 0)
                    counts[(day, "view", episode_id, "")] = views + number // 3
        for rank, story_id in enumerate(stories):
            counts[(day, "read", story_id, "")] = max(
                0, int(chance.gauss(60 / (rank + 1), 8) * busy)
            )
        for query in QUERIES + EMPTY_QUERIES:
            typed = max(0, int(chance.gauss(6, 3) * busy))
            if typed:
                queries.append((day, query, typed, typed if query in EMPTY_QUERIES else 0))
    for day, _query, typed, empty in queries:
        counts[(day, "search", 0, "")] = counts.get((day, "search", 0, ""), 0) + typed
        if empty:
            counts[(day, "search_empty", 0, "")] = (
                counts.get((day, "search_empty", 0, ""), 0) + empty
            )
    with db.engine.begin() as connection:
        store.add_counts(connection, counts)
        store.add_query_counts(connection, [(d, q, n, e, n) for d, q, n, e in queries])
    return [f"Statistics: example counts for {since} to {until} (demo data, not real visits)."]
