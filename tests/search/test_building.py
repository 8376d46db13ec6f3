"""A rebuild writes the index Whoosh's own writer would, from any number of processes.

``building`` replaces Whoosh's posting pool, its way of writing postings and
its process model for speed. These tests hold it to the result of Whoosh's
general writer on the same documents: every term, posting (weight and
positions), field length, column value and stored field, per document.
"""

from __future__ import annotations

import os
import signal
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from whoosh import index
from whoosh.idsets import BitSet
from whoosh.query import DateRange

from archive import editorial, search
from archive.models import Episode, Story, db
from archive.search import building
from archive.search.documents import documents_for, make_schema

from .conftest import slugs


def _standard(store: search.IndexStore) -> Path:
    """A generation written by Whoosh's own writer, item by item (the reference)."""
    generation = store.new_generation()
    with store.writer(generation) as writer:
        for model in (Story, Episode):
            for item in db.session.scalars(db.select(model).where(model.published_clause())):
                for document in documents_for(item):
                    writer.add_document(**document)
    return generation


def _contents(generation: Path) -> dict[str, Any]:
    """What a search can read from ``generation``, by document key rather than number."""
    schema = make_schema()
    ix = index.open_dir(str(generation))
    with ix.reader() as reader:
        keys = {docnum: fields["key"] for docnum, fields in reader.iter_docs()}
        postings: dict[tuple[str, bytes], set] = {}
        infos: dict[tuple[str, bytes], tuple] = {}
        for fieldname, text in reader.all_terms():
            found = set()
            matcher = reader.postings(fieldname, text)
            while matcher.is_active():
                found.add((keys[matcher.id()], matcher.weight(), matcher.value()))
                matcher.next()
            postings[(fieldname, text)] = found
            # What scoring reads without the postings (BM25 bounds, block skipping).
            info = reader.term_info(fieldname, text)
            infos[(fieldname, text)] = (
                round(info.weight(), 3),  # summed per segment: float rounding differs
                info.doc_frequency(),
                info.min_length(),
                info.max_length(),
                info.max_weight(),
            )
        # A segment without a field answers 0 for its length, one with it None.
        lengths = {
            (keys[docnum], name): reader.doc_field_length(docnum, name) or 0
            for docnum in keys
            for name in schema.scorable_names()
        }
        columns = {
            (keys[docnum], name): reader.column_reader(name, translate=False)[docnum]
            for name in schema.names()
            if reader.has_column(name)
            for docnum in keys
        }
        stored = {keys[docnum]: fields for docnum, fields in reader.iter_docs()}
        return {
            "postings": postings,
            "infos": infos,
            "lengths": lengths,
            "columns": columns,
            "stored": stored,
            "segments": len(ix._segments()),
        }


@pytest.mark.parametrize(
    ("procs", "limit_mb"), [(1, building.LIMIT_MB), (2, building.LIMIT_MB), (2, 0.05)]
)
def test_a_build_holds_what_whoosh_itself_writes(archive_content, procs, limit_mb) -> None:
    store = search.index_store()
    expected = _contents(_standard(store))
    generation = store.new_generation()
    built = building.build(generation, procs=procs, limit_mb=limit_mb)
    got = _contents(generation)

    # The scheduled story is indexed (search shows it from its moment); the draft is not.
    assert built.items == {"story": 41, "episode": 4}
    assert built.documents == len(expected["stored"])
    assert (
        "story:" + str(db.session.scalar(db.select(Story.id).filter_by(slug="concept")))
        not in (got["stored"])
    )
    for part in ("postings", "infos", "lengths", "columns", "stored"):
        assert got[part] == expected[part], part
    if limit_mb < 1:  # the memory limit makes every worker write several segments
        assert got["segments"] > procs
    else:
        assert got["segments"] == procs


def test_a_rebuild_in_processes_finds_words_phrases_and_moments(archive_content) -> None:
    search.rebuild(procs=2)
    assert len(slugs(search.query(search.index_store(), "verhaal 7", page_size=50))) >= 1
    phrase = search.query(search.index_store(), '"kinderen school juf"', page_size=60)
    assert "aflevering-0" in slugs(phrase)
    results = search.query(search.index_store(), "vertrouwenspersoon", filters={"kind": "episode"})
    assert len(results.hits) == 4
    assert all(hit.start is not None for hit in results.hits)  # the moment it is said
    assert "concept" not in slugs(search.query(search.index_store(), "geheim"))


def _fail_on(slug: str, failure: Any) -> Any:
    def documents(item: Story | Episode) -> list[dict[str, Any]]:
        if item.slug == slug:
            failure()
        return documents_for(item)

    return documents


def _raise() -> None:
    raise ValueError("een kapot verhaal")


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize(
    ("procs", "failure", "error", "message"),
    [
        (1, _raise, ValueError, "een kapot verhaal"),
        (2, _raise, building.IndexingFailed, "een kapot verhaal"),
        (2, _killed, building.IndexingFailed, "exit code -9"),
    ],
    ids=["in-process", "worker-raises", "worker-killed"],
)
def test_a_failed_rebuild_leaves_the_index_as_it_was(
    archive_content, monkeypatch, procs, failure, error, message
) -> None:
    search.rebuild()
    store = search.index_store()
    before, generations = store.current(), store.generations()
    monkeypatch.setattr(building, "documents_for", _fail_on("verhaal-30", failure))

    with pytest.raises(error, match=message):
        search.rebuild(procs=procs)

    assert store.current() == before
    assert store.generations() == generations  # the half-built one is gone
    assert slugs(search.query(store, "verhaal 30"))[:1] == ["verhaal-30"]
    monkeypatch.undo()
    assert search.rebuild(procs=procs).stories == 41  # the rebuild lock was let go


def test_the_memory_setting_decides_how_many_segments_are_written(app, archive_content) -> None:
    generation = search.rebuild().generation
    assert len(index.open_dir(str(generation))._segments()) == 1
    app.config["SEARCH_REBUILD_MB"] = 0.05
    generation = search.rebuild().generation
    assert len(index.open_dir(str(generation))._segments()) > 1
    assert slugs(search.query(search.index_store(), "verhaal 30"))[:1] == ["verhaal-30"]


@pytest.mark.parametrize("text", ["kinderen", "juf school", '"slaan sloeg"', "gesprek -verhaal"])
def test_facet_counts_over_several_segments_are_whooshs_own(app, archive_content, text) -> None:
    from whoosh import sorting

    from archive.search.documents import FACET_FIELDS, LIST_FACETS
    from archive.search.queries import build
    from archive.search.syntax import parse

    for number, story in enumerate(db.session.scalars(db.select(Story)).all()):
        story.perspective = ("parent", "child", "professional")[number % 3]
        story.tags = editorial.tags_named([f"thema-{number % 4}", f"extra-{number % 2}"])
    db.session.commit()
    app.config["SEARCH_REBUILD_MB"] = 0.05  # several segments, so masks are shifted into place
    search.rebuild(procs=2)
    store = search.index_store()
    got = search.query(store, text)
    assert got.total > 0

    searcher = store.searcher()
    public = searcher.docs_for_query(
        DateRange("published", None, datetime.now(UTC).replace(tzinfo=None))
    )
    facets = {
        name: sorting.FieldFacet(name, allow_overlap=name in LIST_FACETS, maptype=sorting.Count)
        for name in FACET_FIELDS
    }
    expected = searcher.search(
        build(parse(text).tree),
        limit=None,
        filter=BitSet(public, size=searcher.doc_count_all()),
        groupedby=facets,
    )
    assert got.total == len(expected)
    for name in FACET_FIELDS:
        counts = {
            (key.decode() if isinstance(key, bytes) else key): count
            for key, count in expected.groups(name).items()
            if key
        }
        assert {value.key: value.count for value in got.facets[name]} == counts, name
    assert got.facets["kind"]
