"""Fetching over http(s) for the feed import: timeouts, at most 5 redirects, a size limit.

Only ``http`` and ``https`` are fetched, also after a redirect. Bodies are
streamed: audio goes to the media store's staging (which enforces the upload
limit while it reads), small documents (feeds, images, transcripts) are read
up to :data:`SMALL_LIMIT`.
"""

from __future__ import annotations

import contextlib
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.client import HTTPResponse
from typing import Any
from urllib.parse import urlsplit

#: Seconds to wait for a connection or for the next bytes.
TIMEOUT_SECONDS = 30
MAX_REDIRECTS = 5
#: The largest feed, image, chapters or transcript document read.
SMALL_LIMIT = 20 * 1024 * 1024
SCHEMES = ("http", "https")
USER_AGENT = "archive-feed-import/1 (+https://www.weektegenkindermishandeling.nl)"


class FetchError(Exception):
    """A download that failed; the message says why (Dutch)."""


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urlsplit(newurl).scheme not in SCHEMES:
            fp.close()
            raise FetchError(f"doorverwezen naar een adres dat geen http(s) is: {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_Redirects())


def check_url(url: str) -> str:
    if urlsplit(url).scheme not in SCHEMES or not urlsplit(url).netloc:
        raise FetchError(f"geen http(s)-adres: {url!r}")
    return url


@contextlib.contextmanager
def open_url(url: str) -> Iterator[HTTPResponse]:
    """The response for ``url``, to read as a stream; FetchError for every failure."""
    request = urllib.request.Request(check_url(url), headers={"User-Agent": USER_AGENT})
    try:
        response: Any = _opener.open(request, timeout=TIMEOUT_SECONDS)
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the connection
        if 300 <= exc.code < 400:
            raise FetchError(f"meer dan {MAX_REDIRECTS} doorverwijzingen: {url}") from None
        raise FetchError(f"de server antwoordde {exc.code} op {url}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"{url} is niet te downloaden ({reason})") from None
    with response:
        yield response


def read_url(url: str, limit: int = SMALL_LIMIT) -> bytes:
    """The whole body of ``url`` (a feed, an image, chapters), at most ``limit`` bytes."""
    with open_url(url) as response:
        try:
            data = response.read(limit + 1)
        except OSError as exc:
            raise FetchError(f"{url} is niet te downloaden ({exc})") from None
    if len(data) > limit:
        raise FetchError(f"{url} is groter dan {limit // (1024 * 1024)} MB")
    return data
