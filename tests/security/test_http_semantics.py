"""HTTP as RFC 9110 says (issue 12, point 10): ranges, preconditions, 405 for machines.

Several ranges or an unknown unit are ignored (the whole file, 200), not
refused with 416; a current cached copy is a 304 even with a Range; a failed
If-Match is a 412 without a body; a 405 on a feed or audio is plain Dutch
text with ``Allow``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from archive.models import Episode, db

FEEDS = ["/podcast/feed.xml", "/verhalen/feed.xml"]


class BufferedClient(FlaskClient):
    """Reads every response whole and closes it, as a WSGI server does (no open files)."""

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app) -> FlaskClient:
    app.test_client_class = BufferedClient
    return app.test_client()


@pytest.fixture
def episode(demo) -> Episode:
    query = select(Episode).where(Episode.public_clause()).order_by(Episode.published_at.desc())
    return db.session.scalars(query.limit(1)).one()


@pytest.fixture
def audio(app, episode) -> bytes:
    return (Path(app.config["MEDIA_DIR"]) / episode.audio_path).read_bytes()


@pytest.fixture
def machine_urls(episode) -> list[str]:
    """Audio, artwork, a feed, chapters and a transcript of the demo."""
    artwork = episode.show.artwork_path
    return [
        f"/media/{episode.audio_path}",
        f"/afbeeldingen/{artwork}",
        "/podcast/feed.xml",
        f"/podcast/{episode.slug}/chapters.json",
        f"/podcast/{episode.slug}/transcript.vtt",
    ]


@pytest.mark.parametrize("header", ["bytes=0-1,5-9", "bytes=5-9,0-1", "bytes=0-0,-1"])
def test_several_ranges_give_the_whole_file(client, episode, audio, header):
    response = client.get(f"/media/{episode.audio_path}", headers={"Range": header})
    assert response.status_code == 200
    assert response.data == audio
    assert "Content-Range" not in response.headers


@pytest.mark.parametrize("header", ["items=0-5", "seconds=0-10", "none=0-1"])
def test_a_range_in_an_unknown_unit_is_ignored(client, episode, audio, header):
    response = client.get(f"/media/{episode.audio_path}", headers={"Range": header})
    assert response.status_code == 200
    assert response.data == audio
    assert response.headers["Accept-Ranges"] == "bytes"


def test_a_current_copy_is_not_modified_even_when_a_range_is_asked(client, episode):
    url = f"/media/{episode.audio_path}"
    etag = client.get(url).headers["ETag"]
    response = client.get(url, headers={"If-None-Match": etag, "Range": "bytes=0-1"})
    assert response.status_code == 304
    assert response.data == b"" and "Content-Range" not in response.headers
    assert response.headers["ETag"] == etag


def test_a_range_of_the_current_version_is_still_served(client, episode, audio):
    url = f"/media/{episode.audio_path}"
    etag = client.get(url).headers["ETag"]
    response = client.get(url, headers={"If-Range": etag, "Range": "bytes=2-5"})
    assert response.status_code == 206
    assert response.data == audio[2:6]
    assert response.headers["Content-Range"] == f"bytes 2-5/{len(audio)}"


@pytest.mark.parametrize("value", ["garbage", '"iets-anders"', 'W/"zwak"'])
def test_a_failed_if_match_is_412_without_a_body(client, machine_urls, value):
    for url in machine_urls:
        response = client.get(url, headers={"If-Match": value})
        assert response.status_code == 412, url
        assert response.data == b"", url
        assert response.headers.get("Content-Length") in (None, "0"), url


def test_a_matching_if_match_gets_the_representation(client, machine_urls):
    for url in machine_urls:
        first = client.get(url)
        response = client.get(url, headers={"If-Match": first.headers["ETag"]})
        assert response.status_code == 200, url
        assert response.data == first.data, url


def test_a_past_if_unmodified_since_is_412(client, episode):
    response = client.get(
        f"/media/{episode.audio_path}",
        headers={"If-Unmodified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"},
    )
    assert response.status_code == 412 and response.data == b""


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_405_on_feeds_and_audio_is_plain_dutch_text_with_allow(client, machine_urls, method):
    for url in [*machine_urls, *FEEDS]:
        response = client.open(url, method=method)
        assert response.status_code == 405, url
        assert response.mimetype == "text/plain", url
        assert response.get_data(as_text=True) == "Deze methode is hier niet toegestaan.\n"
        assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_405_on_a_page_is_not_plain_text(client, demo):
    response = client.post("/verhalen")
    assert response.status_code == 405
    assert response.mimetype == "text/html"
