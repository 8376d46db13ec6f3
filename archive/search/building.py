"""Filling a new index generation from the database, fast and in bounded memory.

Whoosh's general writer is made for adding to a live index. A rebuild fills
an empty generation, and three of the general writer's costs are not needed
for that (together they were over half of a rebuild's time):

* it sorts every posting, pickling runs to disk and merging them back once
  its memory is full; here each term's postings are grouped in memory as
  documents are added (:class:`TermPool`), already in document order, so
  only the terms are sorted;
* it reads each posting's field length back from the segment file, one seek
  per posting; here each field's lengths are read once (:class:`_Lengths`);
* with several processes, the parent builds every document and pickles it
  to the workers; here each worker reads its own share of the items from the
  database and builds their documents itself.

When a worker's postings reach :data:`LIMIT_MB` it writes its segment and
starts the next one, so memory stays bounded. Segments are never merged
(that would take about as long as indexing them); the parent writes the
table of contents listing every worker's segments. The flow is the one of
``whoosh.multiproc`` (sub-writers without the lock, the parent commits the
segments), with the same writer internals.
"""

from __future__ import annotations

import multiprocessing
import queue
import traceback
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from whoosh import index
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PostingsWriter, _lenfield
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from ..models import ITEM_MODELS, db
from .analysis import load_language_data
from .documents import documents_for

#: Memory for postings per indexing process (``SEARCH_REBUILD_MB``); a process
#: whose postings reach it writes its segment and starts the next. Fewer,
#: larger segments make searches quicker and the index smaller.
LIMIT_MB = 512
#: Items a worker takes at a time: a story is small, an episode has its passages.
BATCH = {"story": 100, "episode": 5}
#: Seconds the parent waits for a word from a worker before it checks they live.
POLL_SECONDS = 1.0


#: Rough bytes per grouped posting (two array slots, a list slot, the value's
#: object header) and per term (dictionary entry, key tuple, three containers).
POSTING_BYTES = 48
TERM_BYTES = 400
#: Blocks of fewer postings are not compressed.
COMPRESS_FROM = 8

#: Called with (kind, documents) after each item is indexed.
ItemDone = Callable[[str, int], None]


class TermPool:
    """Postings grouped per (field, term) in document order; stands in for Whoosh's pool."""

    def __init__(self) -> None:
        self.terms: dict[tuple[str, bytes], tuple[array, array, list]] = {}
        self.size = 0

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        fieldname, text, docnum, weight, value = item
        key = (fieldname, text)
        postings = self.terms.get(key)
        if postings is None:
            postings = self.terms[key] = (array("I"), array("f"), [])
            self.size += TERM_BYTES + len(text)
        ids, weights, values = postings
        ids.append(docnum)
        weights.append(weight)
        values.append(value or b"")
        self.size += POSTING_BYTES + (len(value) if value else 0)

    def by_field(self) -> Iterator[tuple[str, list[tuple[bytes, tuple[array, array, list]]]]]:
        """(field name, its (term, postings) in term order), in field name order."""
        fields: dict[str, list] = {}
        for (fieldname, text), postings in self.terms.items():
            fields.setdefault(fieldname, []).append((text, postings))
        for fieldname in sorted(fields):
            yield fieldname, sorted(fields[fieldname], key=lambda pair: pair[0])

    def cleanup(self) -> None:
        self.terms.clear()
        self.size = 0


class _PostingsWriter(W3PostingsWriter):
    """Whoosh's postings writer, but small blocks are stored uncompressed.

    Each block says whether it is compressed, so readers need nothing else.
    Compressing a block of a few postings costs a zlib call and saves nothing
    (Whoosh means to skip those too; a bug makes it compress them anyway).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._level = self._compression

    def _write_block(self, last: bool = False) -> None:
        self._compression = self._level if len(self._ids) >= COMPRESS_FROM else 0
        super()._write_block(last)


class _Codec(W3Codec):
    """Whoosh's default codec with :class:`_PostingsWriter`; stored as the default codec."""

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        return _PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def __reduce__(self) -> tuple[type, tuple[int, int, int]]:
        # Segments keep their codec in the table of contents: readers get Whoosh's own.
        return W3Codec, (self._blocklimit, self._compression, self._inlinelimit)


class _SegmentBuilder(SegmentWriter):
    """A writer of one segment of a generation that its parent commits."""

    def __init__(self, ix: Any) -> None:
        super().__init__(ix, _lk=False, codec=_Codec())
        self.pool = TermPool()

    def _flush_segment(self) -> None:
        # Whoosh's version reads each posting's field length from the segment
        # file and checks the order of every posting; the pool is in order, and
        # each field's lengths are read once.
        self.perdocwriter.close()
        documents = self.codec.per_document_reader(self.storage, self.get_segment())
        try:
            write = self.fieldwriter
            for fieldname, terms in self.pool.by_field():
                field_object = self.schema[fieldname]
                lengths = _field_lengths(documents, fieldname)
                write.start_field(fieldname, field_object)
                for text, (ids, weights, values) in terms:
                    write.start_term(text)
                    for docnum, weight, value in zip(ids, weights, values, strict=True):
                        write.add(docnum, weight, value, lengths[docnum] if lengths else 0)
                    write.finish_term()
                write.finish_field()
        finally:
            documents.close()
        self.fieldwriter.close()

    def finish(self) -> Any:
        """Write this segment's files and return the segment (for the table of contents)."""
        segment = self._finalize_segment()
        self._finish()
        return segment

    def _finish(self) -> None:
        # Holds no lock and no searcher; the temporary directory is shared by
        # every writer of the generation, and the parent's writer removes it.
        self.is_closed = True


def _field_lengths(documents: Any, fieldname: str) -> list[int] | None:
    """Each document's length of ``fieldname`` (None: the field keeps no lengths)."""
    name = _lenfield(fieldname)
    if not documents.has_column(name):
        return None
    return [byte_to_length(byte) for byte in documents.column_reader(name, LENGTHS_COLUMN).load()]


@dataclass
class Built:
    """What a build indexed, per kind."""

    items: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ITEM_MODELS, 0))
    documents: int = 0

    def count(self, kind: str, documents: int) -> None:
        self.items[kind] += 1
        self.documents += documents


def _batches(session: Session) -> list[tuple[str, list[int]]]:
    """The ids of every published item, in batches; episodes (the heavy ones) first."""
    batches = []
    for kind in ("episode", "story"):
        model = ITEM_MODELS[kind]
        ids = list(
            session.scalars(select(model.id).where(model.published_clause()).order_by(model.id))
        )
        size = BATCH[kind]
        batches += [(kind, ids[start : start + size]) for start in range(0, len(ids), size)]
    return batches


def _index_share(
    generation: Path,
    batches: Iterable[tuple[str, list[int]]],
    done: ItemDone,
    limit_bytes: int,
) -> list[Any]:
    """Index the items of ``batches`` into new segments of ``generation``; return the segments."""
    ix = index.open_dir(str(generation))
    segments = []
    writer = _SegmentBuilder(ix)
    try:
        with Session(db.engine) as session:
            for kind, ids in batches:
                model = ITEM_MODELS[kind]
                rows = session.scalars(
                    select(model)
                    .where(model.id.in_(ids), model.published_clause())
                    .options(selectinload(model.tags), selectinload(model.campaign))
                    .order_by(model.id)
                )
                for item in rows:
                    documents = documents_for(item)
                    for document in documents:
                        writer.add_document(**document)
                    done(kind, len(documents))
                    if writer.pool.size >= limit_bytes:
                        segments.append(writer.finish())
                        writer = _SegmentBuilder(ix)
                session.expunge_all()
        if writer.docnum:
            segments.append(writer.finish())
        else:
            writer.cancel()
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    return segments


def _worker(
    generation: Path, jobs: Any, results: Any, limit_bytes: int
) -> None:  # pragma: no cover - runs in a child process (coverage sees the parent)
    """A child process: index batches from ``jobs`` until ``None``; report on ``results``."""
    db.engine.dispose(close=False)  # never share the parent's connections

    def batches() -> Iterator[tuple[str, list[int]]]:
        while (job := jobs.get()) is not None:
            yield job

    try:
        segments = _index_share(
            generation, batches(), lambda kind, docs: results.put(("item", kind, docs)), limit_bytes
        )
        results.put(("done", segments))
    except BaseException:
        results.put(("error", traceback.format_exc()))


class IndexingFailed(RuntimeError):
    """An indexing process failed; the new generation is discarded."""


def build(
    generation: Path,
    procs: int = 1,
    on_item: Callable[[Built], None] | None = None,
    limit_mb: float = LIMIT_MB,
) -> Built:
    """Fill the empty ``generation`` with every published item; ``procs`` processes.

    ``on_item`` is called with the running totals after every item. Memory is
    about ``procs`` x ``limit_mb`` for postings, plus each process's documents.
    """
    built = Built()

    def done(kind: str, documents: int) -> None:
        built.count(kind, documents)
        if on_item is not None:
            on_item(built)

    with Session(db.engine) as session:
        batches = _batches(session)
    limit_bytes = round(limit_mb * 1024 * 1024)
    ix = index.open_dir(str(generation))
    writer = ix.writer()  # the lock; its own segment stays empty
    try:
        if procs <= 1:
            segments = _index_share(generation, batches, done, limit_bytes)
        else:
            segments = _in_processes(generation, batches, procs, done, limit_bytes)
        writer._close_segment()
        writer._commit_toc([*writer.segments, *segments])
        writer._finish()
    except BaseException:
        writer.cancel()
        raise
    return built


def _in_processes(
    generation: Path,
    batches: list[tuple[str, list[int]]],
    procs: int,
    done: ItemDone,
    limit_bytes: int,
) -> list[Any]:
    load_language_data()  # once, shared with every worker by the fork
    context = multiprocessing.get_context("fork")
    jobs, results = context.Queue(), context.Queue()
    for batch in batches:
        jobs.put(batch)
    workers = [
        context.Process(target=_worker, args=(generation, jobs, results, limit_bytes), daemon=True)
        for _ in range(procs)
    ]
    for worker in workers:
        jobs.put(None)
        worker.start()
    segments: list[Any] = []
    finished = 0
    try:
        while finished < len(workers):
            try:
                message = results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                message = None
            if message is None:
                # A worker killed (out of memory, a signal) cannot say so itself.
                dead = [w.exitcode for w in workers if w.exitcode]
                if dead:
                    raise IndexingFailed(f"an indexing process died (exit code {dead[0]})")
                continue
            if message[0] == "item":
                done(message[1], message[2])
            elif message[0] == "done":
                segments += message[1]
                finished += 1
            else:
                raise IndexingFailed(f"an indexing process failed:\n{message[1]}")
    finally:
        for worker in workers:
            if worker.is_alive() and finished < len(workers):
                worker.terminate()
            worker.join()
        jobs.close()
        results.close()
    return segments
