"""RFC 9110 preconditions and ranges, from a table: headers in, decision out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archive.conditional import Decision, Validators, evaluate

MODIFIED = datetime(2024, 5, 1, 12, 0, 0, 500_000, tzinfo=UTC)  # microseconds are not sent
AT = "Wed, 01 May 2024 12:00:00 GMT"
BEFORE = "Tue, 30 Apr 2024 12:00:00 GMT"
AFTER = "Thu, 02 May 2024 12:00:00 GMT"
FILE = Validators(etag="v1", last_modified=MODIFIED, length=100)
FEED = Validators(etag="v1", last_modified=MODIFIED)  # no ranges offered
WEAK = Validators(etag="v1", weak=True, last_modified=MODIFIED, length=100)

OK, NOT_MODIFIED, FAILED, UNSATISFIABLE = Decision(200), Decision(304), Decision(412), Decision(416)

# (method, request headers, representation) -> decision
CASES = [
    ("GET", {}, FILE, OK),
    # If-Match: strong comparison; "*" matches what exists; anything else fails, body or not.
    ("GET", {"If-Match": '"v1"'}, FILE, OK),
    ("GET", {"If-Match": '"v0", "v1"'}, FILE, OK),
    ("GET", {"If-Match": "*"}, FILE, OK),
    ("GET", {"If-Match": "garbage"}, FILE, FAILED),
    ("GET", {"If-Match": '"v0"'}, FILE, FAILED),
    ("GET", {"If-Match": 'W/"v1"'}, FILE, FAILED),
    ("GET", {"If-Match": '"v1"'}, WEAK, FAILED),
    ("GET", {"If-Match": '"v0"', "Range": "bytes=0-9"}, FILE, FAILED),
    # If-Unmodified-Since, only without If-Match; an invalid date is ignored.
    ("GET", {"If-Unmodified-Since": AT}, FILE, OK),
    ("GET", {"If-Unmodified-Since": BEFORE}, FILE, FAILED),
    ("GET", {"If-Unmodified-Since": "gisteren"}, FILE, OK),
    ("GET", {"If-Match": '"v1"', "If-Unmodified-Since": BEFORE}, FILE, OK),
    # If-None-Match: weak comparison; 304 for GET and HEAD, 412 otherwise.
    ("GET", {"If-None-Match": '"v1"'}, FILE, NOT_MODIFIED),
    ("HEAD", {"If-None-Match": 'W/"v1"'}, FILE, NOT_MODIFIED),
    ("GET", {"If-None-Match": '"v1"'}, WEAK, NOT_MODIFIED),
    ("GET", {"If-None-Match": "*"}, FILE, NOT_MODIFIED),
    ("GET", {"If-None-Match": '"v0"'}, FILE, OK),
    ("DELETE", {"If-None-Match": '"v1"'}, FILE, FAILED),
    # ... before any range: a cached copy that is current needs no part of it.
    ("GET", {"If-None-Match": '"v1"', "Range": "bytes=0-9"}, FILE, NOT_MODIFIED),
    ("GET", {"If-Match": '"v1"', "If-None-Match": '"v1"'}, FILE, NOT_MODIFIED),
    # If-Modified-Since, only without If-None-Match and only for GET and HEAD.
    ("GET", {"If-Modified-Since": AT}, FILE, NOT_MODIFIED),
    ("GET", {"If-Modified-Since": AFTER}, FILE, NOT_MODIFIED),
    ("GET", {"If-Modified-Since": BEFORE}, FILE, OK),
    ("GET", {"If-Modified-Since": "kapot"}, FILE, OK),
    ("GET", {"If-None-Match": '"v0"', "If-Modified-Since": AT}, FILE, OK),
    ("POST", {"If-Modified-Since": AT}, FILE, OK),
    ("GET", {"If-Modified-Since": AT, "Range": "bytes=0-9"}, FILE, NOT_MODIFIED),
    # Ranges: one byte range for GET; several or another unit are ignored.
    ("GET", {"Range": "bytes=0-9"}, FILE, Decision(206, (0, 10))),
    ("GET", {"Range": "bytes=90-"}, FILE, Decision(206, (90, 100))),
    ("GET", {"Range": "bytes=-10"}, FILE, Decision(206, (90, 100))),
    ("GET", {"Range": "bytes=95-200"}, FILE, Decision(206, (95, 100))),
    ("GET", {"Range": "BYTES=0-0"}, FILE, Decision(206, (0, 1))),
    ("GET", {"Range": "bytes=0-1,5-9"}, FILE, OK),
    ("GET", {"Range": "bytes=5-9,0-1"}, FILE, OK),
    ("GET", {"Range": "items=0-5"}, FILE, OK),
    ("GET", {"Range": "bytes=100-"}, FILE, UNSATISFIABLE),
    ("GET", {"Range": "bytes=9-5"}, FILE, UNSATISFIABLE),
    ("GET", {"Range": "bytes=-0"}, FILE, UNSATISFIABLE),
    ("GET", {"Range": "bytes=abc"}, FILE, UNSATISFIABLE),
    ("GET", {"Range": "rubbish"}, FILE, UNSATISFIABLE),
    ("HEAD", {"Range": "bytes=0-9"}, FILE, OK),
    ("GET", {"Range": "bytes=0-9"}, FEED, OK),
    ("GET", {"Range": "bytes=0-9"}, Validators(etag="v1", length=0), OK),
    # If-Range: the range only for the same (strong) version; else the whole.
    ("GET", {"Range": "bytes=0-9", "If-Range": '"v1"'}, FILE, Decision(206, (0, 10))),
    ("GET", {"Range": "bytes=0-9", "If-Range": '"v0"'}, FILE, OK),
    ("GET", {"Range": "bytes=0-9", "If-Range": 'W/"v1"'}, FILE, OK),
    ("GET", {"Range": "bytes=0-9", "If-Range": '"v1"'}, WEAK, OK),
    ("GET", {"Range": "bytes=0-9", "If-Range": AT}, FILE, Decision(206, (0, 10))),
    ("GET", {"Range": "bytes=0-9", "If-Range": AFTER}, FILE, OK),
    ("GET", {"Range": "bytes=0-9", "If-Range": "onzin"}, FILE, OK),
    ("GET", {"Range": "bytes=100-", "If-Range": '"v0"'}, FILE, OK),
    ("GET", {"If-Range": '"v0"'}, FILE, OK),
    # Empty header values count as absent.
    ("GET", {"If-Match": "", "If-None-Match": "", "Range": ""}, FILE, OK),
]


@pytest.mark.parametrize(("method", "headers", "validators", "decision"), CASES)
def test_decision_follows_rfc_9110(method, headers, validators, decision):
    assert evaluate(method, headers, validators) == decision
