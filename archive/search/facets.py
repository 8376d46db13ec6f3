"""Facet counting that reuses each segment's column readers.

Whoosh's ``FieldFacet`` opens a fresh column reader for every query, and a
variable-length column reader starts by reading the offsets of every
document in the segment (transcript passages included): at 100,000 documents
that was most of a query's time. The readers here are kept on the segment
reader, which lives as long as the (per-thread, per-generation) searcher.
"""

from __future__ import annotations

from typing import Any

from whoosh import sorting

_CACHE_ATTRIBUTE = "_archive_column_readers"


def column_reader(segment_reader: Any, fieldname: str) -> Any:
    """The segment's column reader for ``fieldname``, opened once."""
    cache = segment_reader.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    if fieldname not in cache:
        cache[fieldname] = segment_reader.column_reader(fieldname, translate=False)
    return cache[fieldname]


class _ColumnCategorizer(sorting.ColumnCategorizer):
    def set_searcher(self, segment_searcher: Any, docoffset: int) -> None:
        self._creader = column_reader(segment_searcher.reader(), self._fieldname)


class _ListColumnCategorizer(sorting.OverlappingCategorizer):
    """For list columns (tags): a document counts once for each of its values."""

    def set_searcher(self, segment_searcher: Any, docoffset: int) -> None:
        self._segment_searcher = segment_searcher
        self._creader = column_reader(segment_searcher.reader(), self._fieldname)


class ColumnFacet(sorting.FieldFacet):
    """A ``FieldFacet`` on a field with a column (a list column when ``allow_overlap``)."""

    def categorizer(self, global_searcher: Any) -> sorting.Categorizer:
        # A segment written without any value of the field has no column: Whoosh's own way.
        if not global_searcher.reader().has_column(self.fieldname):
            return super().categorizer(global_searcher)
        if self.allow_overlap:
            return _ListColumnCategorizer(global_searcher, self.fieldname)
        return _ColumnCategorizer(global_searcher, self.fieldname)
