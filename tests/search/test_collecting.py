"""One pass finds every match (a bit mask) and the best ones with the terms they matched.

``TopMatches`` stands in for Whoosh's ``TermsCollector`` around an
``UnlimitedCollector``; these tests hold it to their result on an index of
several segments: the same documents in the same order with the same
scores, and the same matched terms (which highlighting uses).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from whoosh import collectors
from whoosh.idsets import BitSet
from whoosh.query import DateRange

from archive import search
from archive.search.collecting import MatchMask, TopMatches
from archive.search.excerpts import MarkFormatter, text_excerpt
from archive.search.queries import build
from archive.search.syntax import parse

from .conftest import WORDS

QUERIES = ["kinderen", "juf school", '"slaan sloeg"', "school -daan", "hulp OR angst"]


@pytest.fixture
def searcher(app, archive_content):
    app.config["SEARCH_REBUILD_MB"] = 0.05  # several segments: offsets matter
    search.rebuild(procs=2)
    searcher = search.index_store().searcher()
    assert len(searcher.leaf_searchers()) > 1
    return searcher


def _public(searcher) -> BitSet:
    now = datetime.now(UTC).replace(tzinfo=None)
    return BitSet(searcher.docs_for_query(DateRange("published", None, now)))


def _whoosh(searcher, text: str):
    found = collectors.TermsCollector(collectors.UnlimitedCollector())
    searcher.search_with_collector(
        build(parse(text).tree), collectors.FilterCollector(found, _public(searcher))
    )
    return found.results()


def _ours(searcher, text: str, limit: int):
    top = TopMatches(limit)
    mask = MatchMask(top, searcher.doc_count_all())
    searcher.search_with_collector(
        build(parse(text).tree), collectors.FilterCollector(mask, _public(searcher))
    )
    return top.results(), mask.mask()


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("limit", [1, 10, 25])
def test_top_matches_are_whooshs_best_with_their_terms(searcher, text, limit) -> None:
    expected = _whoosh(searcher, text)
    got, mask = _ours(searcher, text, limit)

    assert len(expected) > limit  # the top really leaves matches out
    assert [(hit.docnum, hit.score) for hit in got] == [
        (hit.docnum, hit.score) for hit in expected[:limit]
    ]
    for hit, whooshs in zip(got, expected[:limit], strict=True):
        assert sorted(hit.matched_terms()) == sorted(whooshs.matched_terms())
    assert got.docterms.keys() == {hit.docnum for hit in got}  # dropped ones forgotten
    assert mask.bit_count() == len(expected)
    assert {n for n in range(searcher.doc_count_all()) if mask >> n & 1} == set(expected.docs())


def test_excerpts_of_the_shown_hits_are_marked_as_with_whoosh(searcher) -> None:
    text = " ".join(WORDS * 3)
    expected = _whoosh(searcher, "juf school")
    got, _ = _ours(searcher, "juf school", 10)
    for results in (expected, got):
        results.formatter = MarkFormatter()
    for hit, whooshs in zip(got, expected[:10], strict=True):
        excerpt = text_excerpt(hit, text)
        assert excerpt == text_excerpt(whooshs, text)
        assert "<mark>juf</mark>" in excerpt and "<mark>school</mark>" in excerpt


def test_each_top_hit_keeps_only_the_terms_it_matched(app, make_story) -> None:
    for number in range(30):
        words = [word for k, word in enumerate(("juf", "school", "huisarts")) if number % (k + 2)]
        make_story(f"verhaal-{number}", body=" ".join(["gesprek", *words] * (number % 5 + 1)))
    app.config["SEARCH_REBUILD_MB"] = 0.02
    search.rebuild()
    searcher = search.index_store().searcher()
    expected = _whoosh(searcher, "juf OR school OR huisarts")
    got, _ = _ours(searcher, "juf OR school OR huisarts", 12)

    assert len(expected) > 12
    shown = [sorted(hit.matched_terms()) for hit in got]
    assert shown == [sorted(hit.matched_terms()) for hit in expected[:12]]
    assert len({tuple(terms) for terms in shown}) > 1  # the hits differ in what they matched
