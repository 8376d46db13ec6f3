"""Scores with field lengths read once per segment are Whoosh's BM25F scores, exactly."""

from __future__ import annotations

import pytest
from whoosh import index, scoring

from archive import editorial, search
from archive.models import Story, db
from archive.search.queries import build
from archive.search.scoring import WEIGHTING, field_lengths
from archive.search.syntax import parse

QUERIES = ["kinderen", "juf school", '"slaan sloeg"', "school -daan", "hulp OR angst", "verhaal"]


@pytest.fixture
def generation(app, archive_content, editor):
    app.config["SEARCH_REBUILD_MB"] = 0.05  # several segments
    search.rebuild(procs=2)
    # An edit after the rebuild leaves a deleted document in a segment.
    story = db.session.scalar(db.select(Story).filter_by(slug="verhaal-3"))
    editorial.save("story", story.id, {"body": "Verhaal over de juf, opnieuw."}, editor)
    return index.open_dir(str(search.index_store().current()))


@pytest.mark.parametrize("text", QUERIES)
def test_scores_are_whooshs_bm25f_to_the_bit(generation, text) -> None:
    query = build(parse(text).tree)
    with generation.searcher() as whooshs, generation.searcher(weighting=WEIGHTING) as ours:
        assert len(ours.leaf_searchers()) > 1
        expected = [(hit.docnum, hit.score) for hit in whooshs.search(query, limit=None)]
        got = [(hit.docnum, hit.score) for hit in ours.search(query, limit=None)]
    assert expected and got == expected
    assert isinstance(WEIGHTING, scoring.BM25F)


def test_lengths_are_read_once_per_segment(generation) -> None:
    with generation.searcher(weighting=WEIGHTING) as searcher:
        reader = searcher.leaf_searchers()[0][0].reader()
        lengths = field_lengths(reader, "text")
        assert field_lengths(reader, "text") is lengths
        assert len(lengths) == reader.doc_count_all()
        assert any(lengths)
        assert reader.has_deletions() or any(
            leaf.reader().has_deletions() for leaf, _ in searcher.leaf_searchers()
        )
