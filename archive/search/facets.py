"""Facet counting from bit masks built once per segment.

Whoosh's ``FieldFacet`` opens a fresh column reader for every query (a
variable-length column reader starts by reading the offsets of every
document in the segment), and its collector asks the columns for every
matching document. Here the column readers and, per facet value, the mask
of the documents that have it are kept on the segment reader, which lives
as long as the (per-thread) searcher and is reused by the next searcher when
its segment did not change.
"""

from __future__ import annotations

import weakref
from typing import Any

_CACHE_ATTRIBUTE = "_archive_column_readers"


def column_reader(segment_reader: Any, fieldname: str) -> Any:
    """The segment's column reader for ``fieldname``, opened once."""
    cache = segment_reader.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    if fieldname not in cache:
        cache[fieldname] = segment_reader.column_reader(fieldname, translate=False)
    return cache[fieldname]


# -- counting with bit masks -------------------------------------------------
#
# Counting facets through Whoosh's collector asks every column for every
# matching document: for a word in most documents ("kinderen") that was most
# of the query's time. Here each segment's documents per facet value are read
# once into a bit mask (a Python int, bit n = document n), kept on the segment
# reader like the column readers; a query's matches become one mask, and a
# count is one ``&`` and ``bit_count``.

_MASKS_ATTRIBUTE = "_archive_facet_masks"


def _segment_masks(segment_reader: Any, fieldname: str, is_list: bool) -> dict[str, int]:
    """Facet value -> the segment's documents that have it, as a bit mask."""
    cache = segment_reader.__dict__.setdefault(_MASKS_ATTRIBUTE, {})
    if fieldname in cache:
        return cache[fieldname]
    masks: dict[str, int] = {}
    if segment_reader.has_column(fieldname):
        size = segment_reader.doc_count_all()
        bits: dict[bytes, bytearray] = {}
        column = column_reader(segment_reader, fieldname)
        for docnum in range(size):
            raw = column[docnum]
            for value in raw if is_list else (raw,):
                if value:
                    found = bits.get(value)
                    if found is None:
                        found = bits[value] = bytearray((size + 7) // 8)
                    found[docnum >> 3] |= 1 << (docnum & 7)
        masks = {
            value.decode("utf-8"): int.from_bytes(found, "little") for value, found in bits.items()
        }
    cache[fieldname] = masks
    return masks


#: Searcher -> facet field -> value masks over the whole index (segments shifted into place).
_SEARCHER_MASKS: weakref.WeakKeyDictionary[Any, dict[str, dict[str, int]]] = (
    weakref.WeakKeyDictionary()
)


def value_masks(searcher: Any, fieldname: str, is_list: bool) -> dict[str, int]:
    """Facet value -> the searcher's documents (global numbers) that have it, as a bit mask."""
    per_searcher = _SEARCHER_MASKS.setdefault(searcher, {})
    if fieldname not in per_searcher:
        masks: dict[str, int] = {}
        for segment_searcher, offset in searcher.leaf_searchers():
            segment_reader = segment_searcher.reader()
            for value, mask in _segment_masks(segment_reader, fieldname, is_list).items():
                masks[value] = masks.get(value, 0) | (mask << offset)
        per_searcher[fieldname] = masks
    return per_searcher[fieldname]
