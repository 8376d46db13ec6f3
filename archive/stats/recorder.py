"""Counting in memory, writing in batches: a visit costs a dict update, not a query.

One :class:`Recorder` per app (``app.extensions``). Views call
:func:`download`, :func:`page_view` and :func:`search`; the buffer is written
in one transaction when it holds ``STATS_BATCH`` events or is
``STATS_FLUSH_SECONDS`` old (checked after each request, written by a
background thread so no visitor waits for it), when the
editors' pages or ``flask stats`` read the numbers, and when the process
exits. The buffer holds salted hashes, never an address or a User-Agent.
"""

from __future__ import annotations

import atexit
import threading
import time
import weakref
from datetime import date
from typing import NamedTuple

from flask import Flask, Response, current_app, request
from sqlalchemy.exc import SQLAlchemyError

from ..localtime import LOCAL_ZONE
from ..localtime import now as local_now
from ..models import db
from . import agents, store
from . import ranges as byte_ranges

EXTENSION = "archive.stats"
#: Longest normalised query kept (longer ones are cut).
QUERY_LENGTH = 100


def init_app(app: Flask) -> None:
    instance = Recorder(app)
    app.extensions[EXTENSION] = instance
    app.after_request(flush_after)
    atexit.register(_write_at_exit, weakref.ref(instance))


def _write_at_exit(reference: weakref.ref[Recorder]) -> None:
    """At exit (a gunicorn worker stopping): let the writer finish, then write the rest."""
    found = reference()
    if found is not None:
        found.wait()
        found.flush()


def recorder(app: Flask | None = None) -> Recorder:
    return (app or current_app).extensions[EXTENSION]


def today() -> date:
    """The statistics day: the Dutch calendar day (the app's ``NOW`` setting moves it)."""
    return local_now().astimezone(LOCAL_ZONE).date()


def normalise_query(text: str) -> str:
    """A query as kept: lower case, single spaces, at most :data:`QUERY_LENGTH` characters."""
    return " ".join(text.lower().split())[:QUERY_LENGTH].strip()


class Visit(NamedTuple):
    """Who asked, as far as counting needs: the method, the address and the User-Agent.

    Held for one call only: the address and the User-Agent are hashed at once
    and never kept.
    """

    method: str
    address: str
    user_agent: str

    @classmethod
    def of_request(cls) -> Visit:
        return cls(request.method, request.remote_addr or "", request.user_agent.string)


class Recorder:
    """The node's buffer of not yet written counts."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.enabled = bool(app.config.get("STATS_ENABLED", True))
        self.batch = int(app.config.get("STATS_BATCH", 200))
        self.flush_seconds = float(app.config.get("STATS_FLUSH_SECONDS", 10))
        self._lock = threading.Lock()
        self._salt: tuple[date, str] | None = None
        self._counts: dict[tuple[date, str, int, str], int] = {}
        self._fetches: dict[tuple[date, str, int, str], list[byte_ranges.Range]] = {}
        self._needed: dict[int, int] = {}
        self._searches: list[tuple[date, str, str, bool]] = []
        self._pending = 0
        self._since = time.monotonic()
        self._writer: threading.Thread | None = None

    # -- what views call -------------------------------------------------------

    def download(
        self,
        episode_id: int,
        size: int,
        duration: float | None,
        piece: byte_ranges.Range,
        visit: Visit | None = None,
    ) -> None:
        """A GET of ``piece`` (start, stop) of an episode's audio (``size`` bytes).

        By the request being answered, or by ``visit`` (a line of nginx's log,
        :mod:`.proxylog`).
        """
        visit = visit or Visit.of_request()
        app = self._app_of(visit)
        if app is None:
            return
        day, visitor = self._visitor(visit)
        with self._lock:
            self._fetches.setdefault((day, visitor, episode_id, app), []).append(piece)
            self._needed[episode_id] = byte_ranges.threshold(size, duration)
            self._pending += 1

    def page_view(self, metric: str, item_id: int) -> None:
        """A page view (``read`` for a story, ``view`` for an episode) by a visitor, not a bot."""
        if self._app_of(Visit.of_request()) is None:
            return
        key = (today(), metric, item_id, "")
        with self._lock:
            self._counts[key] = self._counts.get(key, 0) + 1
            self._pending += 1

    def search(self, text: str, found: int) -> None:
        """A search for ``text`` that found ``found`` results."""
        query = normalise_query(text)
        visit = Visit.of_request()
        if not query or self._app_of(visit) is None:
            return
        day, visitor = self._visitor(visit)
        with self._lock:
            self._searches.append((day, visitor, query, found == 0))
            self._pending += 1

    # -- writing ---------------------------------------------------------------

    def flush(self) -> None:
        """Write what is buffered, in one transaction."""
        with self._lock:
            if not self._pending:
                return
            counts, self._counts = self._counts, {}
            fetches, self._fetches = self._fetches, {}
            needed = dict(self._needed)
            searches, self._searches = self._searches, []
            self._pending = 0
            self._since = time.monotonic()
        with self.app.app_context(), db.engine.begin() as connection:
            store.purge_before(connection, today())
            store.add_counts(connection, counts)
            store.add_fetches(connection, fetches, needed)
            store.add_searches(connection, searches)

    def flush_soon(self) -> None:
        """Write the buffer in a background thread (one at a time)."""
        with self._lock:
            if self._writer is not None and self._writer.is_alive():
                return
            self._writer = threading.Thread(target=self._write, name="stats-writer", daemon=True)
            self._writer.start()

    def wait(self) -> None:
        """Until the background writer, if any, is done."""
        writer = self._writer
        if writer is not None:
            writer.join()

    def _write(self) -> None:
        try:
            self.flush()
        except SQLAlchemyError:
            # Statistics never break delivery: these counts are lost, the log says so.
            self.app.logger.exception("statistics not written")

    def due(self) -> bool:
        """True when the buffer is full enough or old enough to be written."""
        if not self._pending:
            return False
        return self._pending >= self.batch or time.monotonic() - self._since >= self.flush_seconds

    # -- who -------------------------------------------------------------------

    def _app_of(self, visit: Visit) -> str | None:
        """The app asking, or None when this visit does not count (off, HEAD, a bot)."""
        if not self.enabled or visit.method != "GET":
            return None
        return agents.app_of(visit.user_agent)

    def _visitor(self, visit: Visit) -> tuple[date, str]:
        day = today()
        salt = self._salt
        if salt is None or salt[0] != day:
            with self.app.app_context(), db.engine.begin() as connection:
                salt = (day, store.salt_for(connection, day))
            self._salt = salt
        return day, store.visitor_hash(salt[1], visit.address, visit.user_agent)


def flush_after(response: Response) -> Response:
    """An ``after_request`` hook: a due buffer is written beside the response, not before it."""
    found = recorder()
    if found.due():
        found.flush_soon()
    return response
