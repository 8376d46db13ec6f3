"""BM25F as Whoosh scores it, with each segment's field lengths read once.

Whoosh's BM25F scorer asks the reader for a document's field length at every
posting it scores (a column read and a byte decoded, through four calls).
For a word in most documents that was about a tenth of a query. Here each
segment's field lengths are read once into an array kept on the segment
reader (like ``facets``' masks, reused by the next searcher while the
segment lives), and a posting's score is Whoosh's own formula on a lookup:
the same numbers, bit for bit (``tests/search/test_scoring.py``).
"""

from __future__ import annotations

from array import array
from typing import Any

from whoosh import scoring

_LENGTHS_ATTRIBUTE = "_archive_field_lengths"


def field_lengths(reader: Any, fieldname: str) -> array:
    """Per document of ``reader``'s segment: its length in ``fieldname``, as Whoosh reads it."""
    cache = reader.__dict__.setdefault(_LENGTHS_ATTRIBUTE, {})
    found = cache.get(fieldname)
    if found is None:
        length = reader.doc_field_length
        # Deleted documents have no length (None) and are never scored: 0 stands in.
        found = cache[fieldname] = array(
            "d", (length(docnum, fieldname, 1) or 0 for docnum in range(reader.doc_count_all()))
        )
    return found


class SegmentBM25FScorer(scoring.BM25FScorer):
    """Whoosh's BM25F scorer, reading field lengths from :func:`field_lengths`."""

    def __init__(self, searcher: Any, fieldname: str, text: Any, b: float, k1: float, qf: int = 1):
        super().__init__(searcher, fieldname, text, b, k1, qf=qf)
        self._lengths = field_lengths(searcher.reader(), fieldname)

    def score(self, matcher: Any) -> float:
        tf = matcher.weight()
        fl = self._lengths[matcher.id()]
        k1, b = self.K1, self.B
        # scoring.bm25(idf, tf, fl, avgfl, B, K1), written out: the same float operations.
        return self.idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / self.avgfl)))


class SegmentBM25F(scoring.BM25F):
    """BM25F (Whoosh's parameters and results) with :class:`SegmentBM25FScorer`."""

    def scorer(self, searcher: Any, fieldname: str, text: Any, qf: int = 1) -> Any:
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf=qf)  # Whoosh's weight scorer
        b = self._field_B.get(fieldname, self.B)
        return SegmentBM25FScorer(searcher, fieldname, text, b, self.K1, qf=qf)


#: What every searcher of the store scores with.
WEIGHTING = SegmentBM25F()
