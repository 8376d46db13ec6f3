"""Where the index lives on disk: generations, an atomic pointer, safe writers.

``INDEX_DIR`` holds generation directories (``gen-<time>-<random>``), each a
complete Whoosh index, and ``current``, a symlink to the one in use. Readers
follow the link; a rebuild writes a new generation and swaps the link with
one ``rename``, so searches never see a half-built index.

Several processes (gunicorn workers, ``flask`` commands) may write. Whoosh's
own write lock serialises them; a writer waits for it (:data:`WRITE_TIMEOUT`)
instead of failing. Changes made during a rebuild are not lost: each
generation knows how far it followed the change log (see ``follow``), and the
rebuild applies what came after its start before it swaps.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from .analysis import ANALYSIS_VERSION
from .documents import make_schema
from .scoring import WEIGHTING

POINTER = "current"
GENERATION_PREFIX = "gen-"
REBUILD_LOCK = "rebuild.lock"
#: In each generation: the ``ANALYSIS_VERSION`` its terms were made with.
ANALYSIS_FILE = "analysis-version"

#: Seconds a writer waits for another process's write lock before giving up.
WRITE_TIMEOUT = 30.0
WRITE_RETRY_DELAY = 0.02

#: Index directories a thread keeps a searcher open for (tests make many apps).
MAX_OPEN_SEARCHERS = 4


class RebuildRunning(Exception):
    """Another rebuild holds the lock."""


class IndexStore:
    """The index directory of one app (``INDEX_DIR``)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    # -- generations -------------------------------------------------------

    def current(self) -> Path | None:
        try:
            return self.root / os.readlink(self.root / POINTER)
        except (FileNotFoundError, OSError):
            return None

    def new_generation(self) -> Path:
        """An empty index in a fresh generation directory (not yet current)."""
        name = f"{GENERATION_PREFIX}{time.time_ns()}-{secrets.token_hex(3)}"
        path = self.root / name
        path.mkdir(parents=True)
        index.create_in(str(path), make_schema())
        (path / ANALYSIS_FILE).write_text(f"{ANALYSIS_VERSION}\n")
        return path

    def schema_is_current(self, generation: Path) -> bool:
        """Whether ``generation`` has this code's fields and terms (after an upgrade it may not).

        A generation without a version file predates it (version 1).
        """
        fields = set(index.open_dir(str(generation)).schema.names())
        try:
            version = int((generation / ANALYSIS_FILE).read_text())
        except (FileNotFoundError, ValueError):
            version = 1
        return fields == set(make_schema().names()) and version == ANALYSIS_VERSION

    def ensure(self) -> Path:
        """The current generation, creating an empty one the first time."""
        current = self.current()
        if current is not None and current.is_dir():
            return current
        self.root.mkdir(parents=True, exist_ok=True)
        generation = self.new_generation()
        try:
            os.symlink(generation.name, self.root / POINTER)
        except FileExistsError:
            # Another process won the race (or the link is dangling): use the winner,
            # or replace a dangling link.
            shutil.rmtree(generation, ignore_errors=True)
            winner = self.current()
            if winner is not None and winner.is_dir():
                return winner
            generation = self.new_generation()
            self.swap(generation)
        return generation

    def swap(self, generation: Path) -> None:
        """Make ``generation`` current in one atomic rename."""
        temporary = self.root / f".{POINTER}-{secrets.token_hex(4)}"
        os.symlink(generation.name, temporary)
        os.replace(temporary, self.root / POINTER)
        directory = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def prune(self, keep: int = 2) -> None:
        """Remove old generations, keeping the current and the ``keep - 1`` newest others.

        The previous generation stays for readers that opened it just before a swap.
        """
        current = self.current()
        others = sorted(
            (p for p in self.root.glob(f"{GENERATION_PREFIX}*") if p != current),
            key=lambda p: p.name,
            reverse=True,
        )
        for path in others[keep - 1 :]:
            shutil.rmtree(path, ignore_errors=True)

    def generations(self) -> list[Path]:
        return sorted(self.root.glob(f"{GENERATION_PREFIX}*"))

    # -- writing -----------------------------------------------------------

    @contextlib.contextmanager
    def writer(self, generation: Path, **options: Any) -> Iterator[IndexWriter]:
        """A writer on ``generation`` that waits for the write lock; commits on success."""
        ix = index.open_dir(str(generation))
        options.setdefault("timeout", WRITE_TIMEOUT)
        options.setdefault("delay", WRITE_RETRY_DELAY)
        writer = ix.writer(**options)
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def replace(self, generation: Path, item: str, documents: list[dict[str, Any]]) -> None:
        """Delete every document of ``item`` in ``generation``, then add ``documents``."""
        with self.writer(generation) as writer:
            writer.delete_by_term("item", item)
            for document in documents:
                writer.add_document(**document)

    def write_item(self, item: str, documents: list[dict[str, Any]]) -> None:
        """Bring ``item`` up to date in the current index."""
        self.replace(self.ensure(), item, documents)

    # -- rebuild lock ------------------------------------------------------

    @contextlib.contextmanager
    def rebuilding(self) -> Iterator[None]:
        """Hold the rebuild lock (one rebuild at a time per index directory)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / REBUILD_LOCK).open("a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise RebuildRunning(str(self.root)) from None
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    # -- reading -----------------------------------------------------------

    def searcher(self) -> Searcher:
        """An up-to-date searcher on the current generation (cached per thread)."""
        return _searchers.get(self)


class _SearcherCache(threading.local):
    """One open searcher per thread and index directory, refreshed when stale."""

    def __init__(self) -> None:
        self.open: dict[Path, tuple[Path, Searcher]] = {}

    def get(self, store: IndexStore) -> Searcher:
        generation = store.ensure()
        cached = self.open.pop(store.root, None)
        if cached is not None and cached[0] == generation and cached[1].up_to_date():
            searcher = cached[1]
        else:
            if cached is not None:
                cached[1].close()
            searcher = index.open_dir(str(generation)).searcher(weighting=WEIGHTING)
        self.open[store.root] = (generation, searcher)
        while len(self.open) > MAX_OPEN_SEARCHERS:
            oldest = next(iter(self.open))
            self.open.pop(oldest)[1].close()
        return searcher

    def close_all(self) -> None:
        for _, searcher in self.open.values():
            searcher.close()
        self.open.clear()


_searchers = _SearcherCache()
