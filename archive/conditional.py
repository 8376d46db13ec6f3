"""Conditional and range requests, decided in the order of RFC 9110, section 13.2.2.

Pure: the request's method and headers and the representation's validators
in, a :class:`Decision` out (200, 206, 304, 412 or 416); the delivery views
turn it into a response. Werkzeug parses the header values; the order and
the rules are here, because Werkzeug's ``make_conditional`` answers a
matching ``If-None-Match`` with a range 206, a failed ``If-Match`` with the
whole body, and several ranges or an unknown unit with 416.

Ranges: only ``bytes``, one range, for GET. A ``Range`` in another unit, or
with several ranges (no ``multipart/byteranges`` here), is ignored and the
whole representation is sent, as RFC 9110 section 14.2 allows; a malformed
or unsatisfiable byte range is a 416.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from werkzeug.http import parse_date, parse_etags, parse_range_header, unquote_etag

#: Methods whose failed "not modified" precondition is a 304 rather than a 412.
SAFE_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class Validators:
    """What the server knows of the representation it is about to send."""

    etag: str | None = None  # the opaque tag without quotes
    weak: bool = False
    last_modified: datetime | None = None
    length: int | None = None  # in bytes; None: ranges are not offered

    def modified_at(self) -> datetime | None:
        """Last-Modified as HTTP carries it: UTC, whole seconds."""
        if self.last_modified is None:
            return None
        moment = self.last_modified.replace(microsecond=0)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Decision:
    """The status to answer with; for 206 the byte range ``[start, stop)`` to send."""

    status: int
    byte_range: tuple[int, int] | None = None


FULL = Decision(200)


def _strong_match(value: str, validators: Validators) -> bool:
    tags = parse_etags(value)
    if tags.star_tag:
        return True  # the representation exists
    return validators.etag is not None and not validators.weak and tags.is_strong(validators.etag)


def _if_match(value: str, validators: Validators, method: str) -> bool:
    return _strong_match(value, validators)


def _if_unmodified_since(value: str, validators: Validators, method: str) -> bool:
    date, modified = parse_date(value), validators.modified_at()
    return date is None or modified is None or modified <= date


def _if_none_match(value: str, validators: Validators, method: str) -> bool:
    tags = parse_etags(value)
    if tags.star_tag:
        return False
    return validators.etag is None or not tags.contains_weak(validators.etag)


def _if_modified_since(value: str, validators: Validators, method: str) -> bool:
    date, modified = parse_date(value), validators.modified_at()
    if method not in SAFE_METHODS or date is None or modified is None:
        return True  # ignored (RFC 9110, 13.1.3)
    return modified > date


Check = Callable[[str, Validators, str], bool]

#: The preconditions in evaluation order: header, the header whose presence
#: makes it ignored, its check (True: carry on), the status when it fails.
PRECONDITIONS: tuple[tuple[str, str | None, Check, int], ...] = (
    ("If-Match", None, _if_match, 412),
    ("If-Unmodified-Since", "If-Match", _if_unmodified_since, 412),
    ("If-None-Match", None, _if_none_match, 304),
    ("If-Modified-Since", "If-None-Match", _if_modified_since, 304),
)


def evaluate(method: str, headers: Mapping[str, str], validators: Validators) -> Decision:
    """How to answer a ``method`` request with ``headers`` for this representation."""
    method = method.upper()
    for header, unless, check, status in PRECONDITIONS:
        value = headers.get(header)
        if not value or (unless and headers.get(unless)):
            continue
        if not check(value, validators, method):
            return Decision(status if method in SAFE_METHODS else 412)
    return _byte_range(method, headers, validators)


def _if_range_holds(value: str, validators: Validators) -> bool:
    """If-Range: a strong entity tag that matches, or exactly the Last-Modified date."""
    value = value.strip()
    if value.startswith("W/"):
        return False
    if value.startswith('"'):
        tag, _ = unquote_etag(value)
        return validators.etag is not None and not validators.weak and tag == validators.etag
    date = parse_date(value)
    return date is not None and date == validators.modified_at()


def _byte_range(method: str, headers: Mapping[str, str], validators: Validators) -> Decision:
    value = headers.get("Range")
    if method != "GET" or not value or not validators.length:
        return FULL
    if_range = headers.get("If-Range")
    if if_range and not _if_range_holds(if_range, validators):
        return FULL
    unit, equals, ranges = value.partition("=")
    if equals and (unit.strip().lower() != "bytes" or "," in ranges):
        return FULL  # another unit, or several ranges: ignored (RFC 9110, 14.2)
    parsed = parse_range_header(value)
    span = parsed.range_for_length(validators.length) if parsed else None
    return Decision(416) if span is None else Decision(206, span)
