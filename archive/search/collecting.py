"""Collectors for one query pass: the matches as a bit mask, the top hits with their terms.

A results page needs every match (the total and the facet counts, see
``facets``) but the matched terms (for highlighting) only of the hits shown.
Whoosh's ``TermsCollector`` walks the matcher tree for every match and its
``UnlimitedCollector`` keeps and sorts them all; for a word in most documents
that was a third of the query's time.

**Exact words first.** An item that has a visitor's word as written ranks
above items with only another form of it (``sloeg`` above ``geslagen``). The
``spell`` field holds each item's words unstemmed; an item in a word's
postings there gets a bonus larger than anything the word's own query can
score (:func:`exact_bonus`: BM25 caps a term at idf x (k1 + 1), whatever its
frequency). Added in the collector, not as one more term in the query: that
was a third more work for every match of a common word.
"""

from __future__ import annotations

from heapq import heappush, heapreplace
from typing import Any

from whoosh import collectors
from whoosh.query import Query, Term

from .documents import SPELL_FIELD

#: How far above the most the word's own query can score an exact match lands.
EXACT_MARGIN = 1.1

#: (global document numbers, the score they get on top).
Bonus = tuple[set[int], float]


def exact_bonus(searcher: Any, word: str, query: Query) -> Bonus | None:
    """The items of ``searcher`` that have ``word`` as written, and their bonus.

    The bonus is more than ``query`` (the word's query: its terms in every
    field, compound alternatives) can score for any document.
    """
    docs = set(searcher.docs_for_query(Term(SPELL_FIELD, word)))
    if not docs:
        return None
    k1 = getattr(searcher.weighting, "K1", 1.2)
    most = sum(searcher.idf(name, text) for name, text in set(query.iter_all_terms()))
    return docs, EXACT_MARGIN * (k1 + 1) * most


class MatchMask(collectors.WrappingCollector):
    """Passes every match on to its child and records it in a bit mask (see :meth:`mask`)."""

    def __init__(self, child: collectors.Collector, size: int) -> None:
        super().__init__(child)
        self._bits = bytearray((size + 7) // 8)

    def collect(self, sub_docnum: int) -> Any:
        docnum = self.offset + sub_docnum
        self._bits[docnum >> 3] |= 1 << (docnum & 7)
        return self.child.collect(sub_docnum)

    def mask(self) -> int:
        return int.from_bytes(self._bits, "little")


class TopMatches(collectors.TopCollector):
    """The best ``limit`` matches by score, each with the terms it matched.

    Every match is scored (no block skipping: a :class:`MatchMask` around it
    must see them all), plus the ``bonuses`` of the sets it is in. A
    document's matched terms are read when it enters the top and forgotten
    when it drops out, so the results highlight like those of Whoosh's
    ``TermsCollector``. The order is Whoosh's: score, then
    document number.
    """

    def __init__(self, limit: int, bonuses: list[Bonus] | None = None) -> None:
        super().__init__(limit=limit, usequality=False)
        self.bonuses = bonuses or []

    def prepare(self, top_searcher: Any, q: Any, context: Any) -> None:
        # Term matchers must stay on the current document to tell what it matched.
        super().prepare(top_searcher, q, context.set(needs_current=True))
        self.docterms: dict[int, list[tuple[str, bytes]]] = {}

    def set_subsearcher(self, subsearcher: Any, offset: int) -> None:
        super().set_subsearcher(subsearcher, offset)
        self._term_matchers = list(self.matcher.term_matchers())

    def _collect(self, global_docnum: int, score: float) -> float:
        for docs, extra in self.bonuses:
            if global_docnum in docs:
                score += extra
        items = self.items
        self.total += 1
        if len(items) < self.limit:
            heappush(items, (score, -global_docnum))
        elif score > items[0][0]:
            dropped = heapreplace(items, (score, -global_docnum))
            self.docterms.pop(-dropped[1], None)
        else:
            return 0
        sub_docnum = global_docnum - self.offset
        self.docterms[global_docnum] = [
            matcher.term()
            for matcher in self._term_matchers
            if matcher.is_active() and matcher.id() == sub_docnum
        ]
        return -score

    def results(self) -> Any:
        found = super().results()
        termdocs: dict[tuple[str, bytes], set[int]] = {}
        for docnum, terms in self.docterms.items():
            for term in terms:
                termdocs.setdefault(term, set()).add(docnum)
        found.docterms = self.docterms
        found.termdocs = termdocs
        return found
