"""Delivery to podcast apps: byte ranges, HEAD, 304, bad input, chapters, transcripts, artwork."""

from __future__ import annotations

import gzip
import io
import json
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import select

from archive import create_app, database
from archive.models import Episode, Show, Story, db, utcnow
from archive.text import parse_transcript

FEED_URL = "/podcast/feed.xml"


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
    """The newest public demo episode (real MP3, transcript and chapters)."""
    query = select(Episode).where(Episode.public_clause()).order_by(Episode.published_at.desc())
    return db.session.scalars(query.limit(1)).one()


@pytest.fixture
def audio(app, episode) -> bytes:
    return (Path(app.config["MEDIA_DIR"]) / episode.audio_path).read_bytes()


def media_url(episode: Episode) -> str:
    return f"/media/{episode.audio_path}"


# Byte ranges: header -> (status, Content-Range template, slice of the file).
RANGE_CASES = [
    (None, 200, None, slice(None)),
    ("bytes=0-1", 206, "bytes 0-1/{size}", slice(0, 2)),
    ("bytes=100-", 206, "bytes 100-{last}/{size}", slice(100, None)),
    ("bytes=-500", 206, "bytes {tail}-{last}/{size}", slice(-500, None)),
    ("bytes=0-0", 206, "bytes 0-0/{size}", slice(0, 1)),
    ("bytes=10-99999999", 206, "bytes 10-{last}/{size}", slice(10, None)),
    ("bytes=99999999-", 416, "bytes */{size}", None),
    ("bytes={size}-", 416, "bytes */{size}", None),
    ("bytes=0-1,5-6", 200, None, slice(None)),  # several ranges: ignored (RFC 9110, 14.2)
    ("items=0-5", 200, None, slice(None)),  # an unknown unit: ignored
    ("bytes=5-1", 416, "bytes */{size}", None),
    ("bytes=abc", 416, "bytes */{size}", None),
    ("bytes=-0", 416, "bytes */{size}", None),
    ("rubbish", 416, "bytes */{size}", None),
]


@pytest.mark.parametrize(("header", "status", "content_range", "part"), RANGE_CASES)
def test_audio_byte_ranges(client, episode, audio, header, status, content_range, part):
    size = len(audio)
    values = {"size": size, "last": size - 1, "tail": size - 500}
    headers = {"Range": header.format(**values)} if header else {}
    response = client.get(media_url(episode), headers=headers)
    assert response.status_code == status
    expected_range = content_range.format(**values) if content_range else None
    assert response.headers.get("Content-Range") == expected_range
    if part is not None:
        assert response.data == audio[part]
        assert response.headers["Content-Length"] == str(len(audio[part]))
        assert response.headers["Content-Type"] == "audio/mpeg"
        assert response.headers["Accept-Ranges"] == "bytes"
        assert response.headers["ETag"]
    else:
        assert response.mimetype == "text/plain"


def test_audio_head_gives_the_headers_without_the_body(client, episode, audio):
    head = client.head(media_url(episode))
    get = client.get(media_url(episode))
    assert head.status_code == 200 and head.data == b""
    for name in ("Content-Type", "Content-Length", "ETag", "Accept-Ranges", "Last-Modified"):
        assert head.headers[name] == get.headers[name]
    assert head.headers["Content-Length"] == str(len(audio))


def test_audio_has_long_lived_cache_headers(client, episode):
    cache = client.get(media_url(episode)).cache_control
    assert cache.public and cache.immutable
    assert cache.max_age >= 30 * 24 * 3600


@pytest.mark.parametrize("validator", ["If-None-Match", "If-Modified-Since"])
def test_audio_answers_304_to_a_matching_validator(client, episode, validator):
    first = client.get(media_url(episode))
    source = "ETag" if validator == "If-None-Match" else "Last-Modified"
    again = client.get(media_url(episode), headers={validator: first.headers[source]})
    assert again.status_code == 304
    assert again.data == b""


def test_range_for_an_old_version_gives_the_whole_file(client, episode, audio):
    response = client.get(media_url(episode), headers={"Range": "bytes=0-1", "If-Range": '"old"'})
    assert response.status_code == 200
    assert response.data == audio


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_audio_of_an_episode_that_is_not_public_is_not_served(app, client, episode, state):
    if state == "draft":
        episode.withdraw("test")
    else:
        episode.publish(utcnow() + timedelta(days=1))
    db.session.commit()
    assert (Path(app.config["MEDIA_DIR"]) / episode.audio_path).is_file()
    assert client.get(media_url(episode)).status_code == 404
    assert client.head(media_url(episode)).status_code == 404
    assert client.get(f"/podcast/{episode.slug}/chapters.json").status_code == 404
    assert client.get(f"/podcast/{episode.slug}/transcript.vtt").status_code == 404


SECRET = b"secret outside the media directory"


@pytest.fixture
def secrets_around_media(app, tmp_path) -> None:
    """A file beside the media directory and an unreferenced one inside it."""
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (Path(app.config["MEDIA_DIR"]) / "los-bestand.mp3").write_bytes(SECRET)
    (Path(app.config["MEDIA_DIR"]) / ".upload-abc").write_bytes(SECRET)


TRAVERSALS = [
    "/media/../secret.txt",
    "/media/..%2Fsecret.txt",
    "/media/%2e%2e/secret.txt",
    "/media/%2e%2e%2fsecret.txt",
    "/media/..%5Csecret.txt",
    "/media/....//secret.txt",
    "/media/%2Fetc%2Fpasswd",
    "/media//etc/passwd",
    "/media/los-bestand.mp3",
    "/media/.upload-abc",
    "/media/bestaat-niet.mp3",
    "/media/archive.sqlite",
    "/media/../archive.sqlite",
    "/afbeeldingen/../secret.txt",
    "/afbeeldingen/..%2Fsecret.jpg",
    "/afbeeldingen/los-bestand.mp3",
    "/afbeeldingen/bestaat-niet.jpg",
    "/podcast/..%2F..%2Fsecret/chapters.json",
]


@pytest.mark.parametrize("url", TRAVERSALS)
def test_path_traversal_and_unknown_files_are_refused(client, demo, secrets_around_media, url):
    response = client.get(url)
    assert response.status_code in {308, 400, 404}
    if response.status_code == 308:
        # Werkzeug merges double slashes; the target is refused in turn.
        response = client.get(response.headers["Location"])
        assert response.status_code == 404
    assert SECRET not in response.data
    assert b"root:" not in response.data


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(header=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40))
def test_any_range_header_gives_200_206_or_416(client, episode, header):
    response = client.get(media_url(episode), headers={"Range": header})
    assert response.status_code in {200, 206, 416}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(min_size=1, max_size=40).filter(lambda n: "?" not in n and "#" not in n))
def test_any_media_name_that_is_not_a_public_file_is_refused(client, episode, name):
    response = client.get("/media/" + name)
    if name == episode.audio_path:
        assert response.status_code == 200
    else:
        assert response.status_code in {308, 400, 404}


def test_x_accel_redirect_hands_audio_to_nginx(app_config):
    app = create_app({**app_config, "X_ACCEL_REDIRECT": "/_media/"})
    with app.app_context():
        database.upgrade()
        assert app.test_cli_runner().invoke(args=["load-demo"]).exit_code == 0
        public = db.session.scalars(select(Episode).where(Episode.public_clause())).first()
        app.test_client_class = BufferedClient
        client = app.test_client()
        response = client.get(media_url(public))
        assert response.status_code == 200
        assert response.headers["X-Accel-Redirect"] == f"/_media/{public.audio_path}"
        assert response.headers["Content-Type"] == "audio/mpeg"
        assert response.data == b""
        assert response.cache_control.immutable
        public.withdraw("test")
        db.session.commit()
        withdrawn = client.get(media_url(public))
        assert withdrawn.status_code == 404
        assert "X-Accel-Redirect" not in withdrawn.headers
        db.engine.dispose()


def test_nginx_is_told_whether_a_media_file_is_public(client, episode, secrets_around_media):
    """``auth_request`` in deploy/nginx/archive.conf: 204 with the audio's headers, else 403."""
    public = client.get(f"/_intern/media/{episode.audio_path}")
    assert public.status_code == 204 and public.data == b""
    assert public.cache_control.public and public.cache_control.immutable
    assert public.cache_control.max_age == 365 * 24 * 3600
    assert public.headers["Access-Control-Allow-Origin"] == "*"
    assert public.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert public.headers["X-Content-Type-Options"] == "nosniff"
    for name in ("los-bestand.mp3", "../secret.txt", ".hidden", "a/b.mp3", "%00.mp3"):
        assert client.get(f"/_intern/media/{name}").status_code in {403, 404}, name
    episode.withdraw("test")
    db.session.commit()
    assert client.get(f"/_intern/media/{episode.audio_path}").status_code == 403


# Feeds: conditional GET and compression.


def test_feed_has_validators_and_short_public_caching(client, demo):
    response = client.get(FEED_URL)
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert response.cache_control.public
    assert 0 < response.cache_control.max_age <= 3600


# (request headers built from the first response) -> expected status
FEED_CONDITIONS = [
    (lambda first: {"If-None-Match": first.headers["ETag"]}, 304),
    (lambda first: {"If-None-Match": '"iets-anders"'}, 200),
    (lambda first: {"If-Modified-Since": first.headers["Last-Modified"]}, 304),
    (lambda first: {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}, 200),
    (
        lambda first: {
            "If-None-Match": '"iets-anders"',
            "If-Modified-Since": first.headers["Last-Modified"],
        },
        200,
    ),
]


@pytest.mark.parametrize(("conditions", "status"), FEED_CONDITIONS)
@pytest.mark.parametrize("url", [FEED_URL, "/verhalen/feed.xml"])
def test_feeds_answer_conditional_requests(client, demo, url, conditions, status):
    first = client.get(url)
    response = client.get(url, headers=conditions(first))
    assert response.status_code == status
    if status == 304:
        assert response.data == b""
        assert response.headers["ETag"] == first.headers["ETag"]
    else:
        assert response.data == first.data


def test_feed_etag_changes_when_an_episode_changes(client, demo, episode):
    first = client.get(FEED_URL)
    episode.title = "Een nieuwe titel"
    db.session.commit()
    response = client.get(FEED_URL, headers={"If-None-Match": first.headers["ETag"]})
    assert response.status_code == 200
    assert "Een nieuwe titel" in response.get_data(as_text=True)


def test_feed_is_gzipped_for_clients_that_accept_it(client, demo):
    plain = client.get(FEED_URL)
    zipped = client.get(FEED_URL, headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    again = client.get(
        FEED_URL, headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]}
    )
    assert again.status_code == 304
    refused = client.get(FEED_URL, headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers
    assert refused.data == plain.data


def test_feed_head_has_no_body(client, demo):
    response = client.head(FEED_URL)
    assert response.status_code == 200 and response.data == b""
    assert response.headers["ETag"] == client.get(FEED_URL).headers["ETag"]


# Chapters, transcripts, artwork.


def test_chapters_are_podcasting_2_json(client, episode):
    response = client.get(f"/podcast/{episode.slug}/chapters.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json+chapters"
    data = json.loads(response.data)
    assert data["version"].startswith("1.")
    expected = sorted(episode.chapters, key=lambda c: c["start"])
    assert [c["title"] for c in data["chapters"]] == [c["title"] for c in expected]
    assert [c["startTime"] for c in data["chapters"]] == [round(c["start"], 3) for c in expected]
    assert data["title"] == episode.title


def test_episode_without_chapters_has_no_chapters_file(client, episode):
    episode.chapters = []
    db.session.commit()
    assert client.get(f"/podcast/{episode.slug}/chapters.json").status_code == 404


def test_transcript_as_webvtt_and_srt_has_the_same_cues(client, episode):
    vtt = client.get(f"/podcast/{episode.slug}/transcript.vtt")
    srt = client.get(f"/podcast/{episode.slug}/transcript.srt")
    assert vtt.status_code == srt.status_code == 200
    assert vtt.headers["Content-Type"] == "text/vtt; charset=utf-8"
    assert srt.headers["Content-Type"] == "application/x-subrip; charset=utf-8"
    expected = parse_transcript(episode.transcript_vtt, "vtt")
    assert parse_transcript(vtt.get_data(as_text=True), "vtt") == expected
    assert parse_transcript(srt.get_data(as_text=True), "srt") == expected
    assert srt.get_data(as_text=True).startswith("1\n00:00:")


@pytest.mark.parametrize("suffix", ["txt", "xml", "JSON", "vtt.exe"])
def test_unknown_transcript_formats_are_not_found(client, episode, suffix):
    assert client.get(f"/podcast/{episode.slug}/transcript.{suffix}").status_code == 404


def test_episode_without_transcript_has_no_transcript_files(client, episode):
    episode.transcript_vtt = None
    db.session.commit()
    for fmt in ("vtt", "srt"):
        assert client.get(f"/podcast/{episode.slug}/transcript.{fmt}").status_code == 404


def test_broken_transcript_is_not_found_rather_than_an_error(client, episode):
    episode.transcript_vtt = "geen ondertitels"
    db.session.commit()
    for fmt in ("vtt", "srt"):
        assert client.get(f"/podcast/{episode.slug}/transcript.{fmt}").status_code == 404


def test_show_artwork_is_a_square_jpeg_directories_accept(client, demo):
    show = db.session.scalars(select(Show)).one()
    url = f"/afbeeldingen/{show.artwork_path}"
    assert url.endswith((".jpg", ".png"))
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(response.data))
    assert image.format == "JPEG"
    assert image.width == image.height and 1400 <= image.width <= 3000
    assert client.head(url).headers["Content-Length"] == str(len(response.data))
    partial = client.get(url, headers={"Range": "bytes=0-1"})
    assert partial.status_code == 206 and partial.data == b"\xff\xd8"


def test_episode_artwork_is_served_only_while_the_episode_is_public(app, client, episode):
    name = f"episode-{episode.id}-cover.png"
    buffer = io.BytesIO()
    Image.new("RGB", (1400, 1400), "white").save(buffer, "PNG")
    (Path(app.config["MEDIA_DIR"]) / name).write_bytes(buffer.getvalue())
    episode.artwork_path = name
    db.session.commit()
    response = client.get(f"/afbeeldingen/{name}")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert f"/afbeeldingen/{name}" in client.get(FEED_URL).get_data(as_text=True)
    episode.withdraw("test")
    db.session.commit()
    assert client.get(f"/afbeeldingen/{name}").status_code == 404


# The stories' feed.


def test_stories_feed_lists_public_stories_for_feed_readers(client, demo):
    response = client.get("/verhalen/feed.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    parsed = feedparser.parse(response.data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    query = select(Story).where(Story.public_clause()).order_by(Story.published_at.desc())
    public = list(db.session.scalars(query))
    assert [entry.title for entry in parsed.entries] == [story.title for story in public]
    assert [entry.link for entry in parsed.entries] == [
        f"http://localhost/verhalen/{story.slug}" for story in public
    ]
    drafts = db.session.scalars(select(Story).where(~Story.public_clause())).all()
    assert drafts, "the demo has a draft story"
    titles = {entry.title for entry in parsed.entries}
    assert not titles & {story.title for story in drafts}
    assert "<p>" in parsed.entries[0].content[0].value


def test_stories_feed_shows_a_scheduled_story_when_its_time_comes(client, make_story):
    story = make_story("later", state="scheduled", title="Later verhaal")
    assert "Later verhaal" not in client.get("/verhalen/feed.xml").get_data(as_text=True)
    story.published_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert "Later verhaal" in client.get("/verhalen/feed.xml").get_data(as_text=True)


def test_errors_are_short_dutch_plain_text(client, demo):
    response = client.get("/media/bestaat-niet.mp3")
    assert response.status_code == 404
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True).strip() == "Niet gevonden."


def test_cached_feed_is_rebuilt_when_another_worker_changes_the_data(app_config, client, episode):
    before = client.get(FEED_URL)  # now cached by this app (one worker)
    other_worker = create_app(app_config)
    with other_worker.app_context():
        db.session.get(Episode, episode.id).title = "Gewijzigd door een andere worker"
        db.session.commit()
        db.engine.dispose()
    db.session.expire_all()
    after = client.get(FEED_URL)
    assert "Gewijzigd door een andere worker" in after.get_data(as_text=True)
    assert after.headers["ETag"] != before.headers["ETag"]
