"""Statistics: daily counts only, plus the day's salt and the day's dedupe state.

Nothing here holds an address or a User-Agent. ``StatsSalt``,
``StatsProgress`` and ``StatsSearcher`` hold today's salt and today's salted
visitor hashes; :func:`archive.stats.store.purge_before` deletes them once the
day is over, so no hash outlives its day.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

#: What a daily count counts. Keys are stored; labels are shown (Dutch).
METRICS: dict[str, str] = {
    "download": "Downloads",
    "view": "Bekeken afleveringspagina's",
    "read": "Gelezen verhalen",
    "search": "Zoekopdrachten",
    "search_empty": "Zoekopdrachten zonder resultaat",
}


class StatsDaily(Base):
    """How often ``metric`` happened on ``day`` for one item (0: none) and app ("" : none)."""

    __tablename__ = "stats_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    metric: Mapped[str] = mapped_column(String(16), primary_key=True)
    item_id: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    app: Mapped[str] = mapped_column(String(32), primary_key=True, default="")
    count: Mapped[int] = mapped_column(Integer, default=0)


class StatsQuery(Base):
    """A normalised search query's daily count and how many different visitors typed it."""

    __tablename__ = "stats_queries"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    query: Mapped[str] = mapped_column(String(100), primary_key=True)
    searches: Mapped[int] = mapped_column(Integer, default=0)
    empty: Mapped[int] = mapped_column(Integer, default=0)
    visitors: Mapped[int] = mapped_column(Integer, default=0)


#: Tables that hold the day's salt and salted pseudonyms: emptied with the day,
#: never copied into a backup (archive/backup/snapshot.py).
DAY_ONLY_TABLES: tuple[str, ...] = ("stats_salts", "stats_progress", "stats_searchers")


class StatsSalt(Base):
    """The day's random salt (only today's row exists)."""

    __tablename__ = "stats_salts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    salt: Mapped[str] = mapped_column(String(64))


class StatsProgress(Base):
    """Today's byte ranges one salted visitor fetched of one episode, until it counts."""

    __tablename__ = "stats_progress"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    visitor: Mapped[str] = mapped_column(String(32), primary_key=True)
    episode_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Merged ranges as ``start-stop,start-stop`` (stop exclusive).
    ranges: Mapped[str] = mapped_column(Text, default="")
    counted: Mapped[bool] = mapped_column(Boolean, default=False)


class StatsSearcher(Base):
    """Today's salted visitors per query: for k-anonymity, deleted with the day's salt."""

    __tablename__ = "stats_searchers"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    query: Mapped[str] = mapped_column(String(100), primary_key=True)
    visitor: Mapped[str] = mapped_column(String(32), primary_key=True)
