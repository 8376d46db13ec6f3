"""Fixtures for statistics: the demo's episodes with real audio, visitors as (address, User-Agent).

Addresses come from the documentation ranges (RFC 5737); they are only
``REMOTE_ADDR`` values, no traffic goes anywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from editor.conftest import (  # noqa: F401  (fixtures shared with the editors' tests)
    PASSWORD,
    editor,
    editor_client,
    isolated_clients,
    log_in,
    make_editor,
)
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from archive import stats
from archive.models import (
    Episode,
    StatsDaily,
    StatsProgress,
    StatsQuery,
    StatsSalt,
    StatsSearcher,
    db,
)

ANTENNAPOD = "AntennaPod/3.2.0"
APPLE = "AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4 like Mac OS X; nl_nl)"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
#: A fixed moment inside one Dutch day, and the next day.
DAY_ONE = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
DAY_TWO = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


class Visitor:
    """A client with its own address and User-Agent; reads every response whole, as servers do."""

    def __init__(self, client: FlaskClient, address: str, agent: str) -> None:
        self.client = client
        self.headers = {"User-Agent": agent}
        self.environ = {"REMOTE_ADDR": address}

    def get(self, url: str, **headers: str):  # type: ignore[no-untyped-def]
        return self.client.get(
            url, headers={**self.headers, **headers}, environ_base=self.environ, buffered=True
        )

    def head(self, url: str, **headers: str):  # type: ignore[no-untyped-def]
        return self.client.head(
            url, headers={**self.headers, **headers}, environ_base=self.environ, buffered=True
        )


@pytest.fixture
def app_config(app_config: dict) -> dict:
    # Written when the test says so (``flush``), never by the batch on its own.
    return {**app_config, "STATS_BATCH": 100_000, "STATS_FLUSH_SECONDS": 3600, "NOW": DAY_ONE}


@pytest.fixture
def visitor(app: Flask):  # type: ignore[no-untyped-def]
    def make(address: str = "192.0.2.10", agent: str = ANTENNAPOD) -> Visitor:
        return Visitor(app.test_client(), address, agent)

    return make


@pytest.fixture
def episode(demo) -> Episode:
    """A public demo episode (a real MP3 file)."""
    query = select(Episode).where(Episode.public_clause()).order_by(Episode.id)
    return db.session.scalars(query.limit(1)).one()


@pytest.fixture
def audio_url(episode: Episode) -> str:
    return f"/media/{episode.audio_path}"


@pytest.fixture
def audio(app: Flask, episode: Episode) -> bytes:
    return (Path(app.config["MEDIA_DIR"]) / episode.audio_path).read_bytes()


def flush(app: Flask) -> None:
    stats.recorder(app).flush()


def count(metric: str, item_id: int | None = None, app_key: str | None = None) -> int:
    """What the database holds for ``metric`` (all days)."""
    db.session.expire_all()
    query = select(func.coalesce(func.sum(StatsDaily.count), 0)).where(StatsDaily.metric == metric)
    if item_id is not None:
        query = query.where(StatsDaily.item_id == item_id)
    if app_key is not None:
        query = query.where(StatsDaily.app == app_key)
    return int(db.session.scalar(query))


def stored_text() -> str:
    """Every value the statistics tables hold, as one text (to look for what must not be there)."""
    db.session.expire_all()
    tables = (StatsDaily, StatsQuery, StatsSalt, StatsProgress, StatsSearcher)
    rows = [row for table in tables for row in db.session.execute(select(table.__table__))]
    return "\n".join(" ".join(str(value) for value in row) for row in rows)
