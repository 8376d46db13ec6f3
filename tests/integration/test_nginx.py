"""The deploy/ folder for real: nginx in front of two gunicorn nodes on one database.

nginx runs ``deploy/nginx/archive.conf`` (rendered by ``deploy/nginx/render.py``),
each node runs gunicorn with ``deploy/gunicorn.conf.py`` (two sync workers) and
its own ``flask follow``. One setup serves the whole module; each test uses
its own content or its own URLs, so the order does not matter.
"""

from __future__ import annotations

import gzip
import io
import math
import re
import socket
import struct
import threading
import time
import uuid
import wave
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from conftest import fresh_database, make_config  # tests/conftest.py (on sys.path)
from editor.conftest import PASSWORD, form_fields, make_editor
from flask import Flask
from live import Browser
from serving import Node, app_node, download_counter, error_log, free_port, nginx, render_site
from sqlalchemy import select
from stats.conftest import ANTENNAPOD, APPLE, count, stored_text

from archive import create_app, database, editorial, stats
from archive.audio import FORMATS
from archive.models import Episode, StatsProgress, db
from archive.stats.store import salt_for, visitor_hash

from .conftest import require_nginx

EDITOR = "redacteur@example.org"
#: How long a change may take to reach the other node (a failure, not a target).
PATIENCE = 30.0
#: The slow upload: 5 MB at 120 kB/s, sent in pieces ten times a second.
UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_RATE = 120 * 1024
#: The slow-loris senders: each a few bytes a second into a login form.
SLOW_SENDERS = 8
SLOW_SECONDS = 6.0


@dataclass
class Site:
    base: str
    one: Node
    two: Node
    app: Flask
    prefix: Path
    home: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    require_nginx()
    folder = tmp_path_factory.mktemp("site")
    with ExitStack() as stack:
        url = stack.enter_context(fresh_database(folder))
        config = make_config(folder, url)
        app = create_app(config)
        stack.callback(lambda: _dispose(app))
        with app.app_context():
            database.upgrade()
            make_editor(EDITOR)
        result = app.test_cli_runner().invoke(args=["load-demo"])
        assert result.exit_code == 0, result.output
        nodes = []
        for name in ("one", "two"):
            index = folder / f"index-{name}"
            index.mkdir()
            # A home of their own, to see what gunicorn would leave there.
            home = folder / "home"
            home.mkdir(exist_ok=True)
            nodes.append(stack.enter_context(app_node(config, index, HOME=str(home))))
        prefix = folder / "nginx"
        counter = stack.enter_context(
            download_counter(config, nodes[0].index, ARCHIVE_STATS_FLUSH_SECONDS="0")
        )
        port = free_port()
        upstreams = [f"127.0.0.1:{node.port}" for node in nodes]
        site = render_site(upstreams, port, prefix, config["MEDIA_DIR"], counter)
        base = stack.enter_context(nginx(prefix, site))
        yield Site(base, nodes[0], nodes[1], app, prefix, folder / "home")
        assert "[alert]" not in error_log(prefix)


def _dispose(app: Flask) -> None:
    with app.app_context():
        db.engine.dispose()


def public_episode(site: Site, slug: str) -> Episode:
    with site.app.app_context():
        episode = db.session.scalar(select(Episode).where(Episode.slug == slug))
        assert episode is not None and episode.audio_path
        db.session.expunge(episode)
        return episode


def episode_slugs(site: Site) -> list[str]:
    with site.app.app_context():
        return list(db.session.scalars(select(Episode.slug).order_by(Episode.id)))


def media_bytes(site: Site, episode: Episode) -> bytes:
    return (Path(site.app.config["MEDIA_DIR"]) / episode.audio_path).read_bytes()


# --- media through X-Accel-Redirect ---------------------------------------------------


def test_media_ranges_are_sent_by_nginx_after_the_app_checked_the_episode(site):
    episode = public_episode(site, episode_slugs(site)[0])
    data = media_bytes(site, episode)
    url = f"{site.base}/media/{episode.audio_path}"

    part = requests.get(url, headers={"Range": "bytes=1000-1999"}, timeout=10)
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 1000-1999/{len(data)}"
    assert part.content == data[1000:2000]
    assert part.headers["Content-Type"] == "audio/mpeg"
    assert "immutable" in part.headers["Cache-Control"]  # the app's, kept by nginx
    assert "X-Accel-Redirect" not in part.headers
    # What the app says of its media is said through nginx too: sharing with
    # players on other sites, and the site's own security headers.
    assert part.headers["Access-Control-Allow-Origin"] == "*"
    assert "Content-Range" in part.headers["Access-Control-Expose-Headers"]
    assert part.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert part.headers["X-Content-Type-Options"] == "nosniff"
    assert part.headers["Strict-Transport-Security"].startswith("max-age=")

    tail = requests.get(url, headers={"Range": "bytes=-500"}, timeout=10)
    assert tail.status_code == 206 and tail.content == data[-500:]
    whole = requests.get(url, timeout=10)
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["Accept-Ranges"] == "bytes"
    head = requests.head(url, timeout=10)
    assert head.status_code == 200 and int(head.headers["Content-Length"]) == len(data)
    beyond = requests.get(url, headers={"Range": f"bytes={len(data) + 10}-"}, timeout=10)
    assert beyond.status_code == 416


def test_the_internal_media_location_is_not_reachable_from_outside(site):
    episode = public_episode(site, episode_slugs(site)[0])
    answer = requests.get(f"{site.base}/_media/{episode.audio_path}", timeout=10)
    assert answer.status_code == 404
    assert answer.content != media_bytes(site, episode)


#: How long nginx keeps the app's answer to "is this audio public?" (proxy_cache_valid 1s;
#: nginx counts whole seconds, so an answer lives into the next second at most).
CHECK_KEPT = 2.0


def test_a_withdrawn_episodes_media_is_gone_once_the_check_expires(site):
    episode = public_episode(site, episode_slugs(site)[-1])
    url = f"{site.base}/media/{episode.audio_path}"
    assert requests.get(url, headers={"Range": "bytes=0-99"}, timeout=10).status_code == 206
    with site.app.app_context():
        editorial.withdraw("episode", episode.id, "test", editorial.COMMAND_LINE)
    time.sleep(CHECK_KEPT)
    for _ in range(3):
        gone = requests.get(url, headers={"Range": "bytes=0-99"}, timeout=10)
        assert gone.status_code == 404
        assert gone.text == "Niet gevonden.\n"  # the app's own answer
        assert gone.content != media_bytes(site, episode)[:100]


def test_nginx_asks_the_app_once_for_many_range_requests(site):
    """The public check is cached: a player's ranges do not each reach a node."""
    episode = public_episode(site, episode_slugs(site)[0])
    url = f"{site.base}/media/{episode.audio_path}"
    statuses = [
        requests.get(url, headers={"Range": f"bytes={n}-{n + 9}"}, timeout=10).headers.get(
            "X-Cache-Status"
        )
        for n in range(0, 200, 10)
    ]
    assert "HIT" in statuses


def test_the_media_types_are_the_ones_the_app_gives():
    """archive.conf's types for /media/ against archive/audio's formats, and in practice."""
    conf = (Path(__file__).parents[2] / "deploy" / "nginx" / "archive.conf").read_text()
    block = re.search(r"location \^~ /media/ \{.*?types \{(.*?)\}", conf, re.S)
    assert block is not None
    declared = {}
    for entry in block.group(1).split(";"):
        words = entry.split()
        declared.update({ext: words[0] for ext in words[1:]})
    assert declared == {fmt.extension.lstrip("."): fmt.mime for fmt in FORMATS.values()}


# --- downloads counted from nginx's log -------------------------------------------------


def downloads(site: Site, episode_id: int) -> int:
    with site.app.app_context():
        return count("download", episode_id)


def test_downloads_are_counted_from_nginx_log_and_nothing_raw_is_kept(site):
    episode = public_episode(site, episode_slugs(site)[1])
    url = f"{site.base}/media/{episode.audio_path}"
    size = len(media_bytes(site, episode))
    before = downloads(site, episode.id)
    # Another visitor asks only what is not a download: HEAD, 304, 416.
    looker = {"User-Agent": APPLE}
    etag = requests.head(url, headers=looker, timeout=10).headers["ETag"]
    assert (
        requests.get(url, headers={**looker, "If-None-Match": etag}, timeout=10).status_code == 304
    )
    beyond = {**looker, "Range": f"bytes={size + 10}-"}
    assert requests.get(url, headers=beyond, timeout=10).status_code == 416
    # A player fetches the file in ranges: together the whole file (a minute, or all of it).
    player = {"User-Agent": ANTENNAPOD}
    for start in range(0, size, size // 4 + 1):
        ranged = {**player, "Range": f"bytes={start}-{start + size // 4}"}
        assert requests.get(url, headers=ranged, timeout=10).status_code == 206

    deadline = time.monotonic() + PATIENCE
    while downloads(site, episode.id) == before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert downloads(site, episode.id) == before + 1
    with site.app.app_context():
        # The lines are read in order: the looker's came first and made nothing.
        salt = salt_for(db.session.connection(), stats.today())
        for agent in (APPLE, ANTENNAPOD):
            hashed = visitor_hash(salt, "127.0.0.1", agent)
            rows = db.session.scalars(
                select(StatsProgress).where(StatsProgress.visitor == hashed)
            ).all()
            assert [(row.episode_id, row.counted) for row in rows] == (
                [(episode.id, True)] if agent == ANTENNAPOD else []
            )
        stored = stored_text()
    assert "127.0.0.1" not in stored and "AntennaPod" not in stored
    # nginx's own log keeps neither the address nor the User-Agent either.
    access_log = (site.prefix / "access.log").read_text()
    assert episode.audio_path in access_log
    assert "127.0.0.1" not in access_log and "AntennaPod" not in access_log


# --- slow clients ------------------------------------------------------------------------


def wav_of_size(size: int) -> bytes:
    """A valid mono 16-bit WAV file of about ``size`` bytes: a 440 Hz tone."""
    rate = 44100
    period = [int(8000 * math.sin(2 * math.pi * 441 * n / rate)) for n in range(100)]
    frames = struct.pack(f"<{len(period)}h", *period) * (size // 200)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    return buffer.getvalue()


def multipart(fields: dict[str, str], file_field: str, name: str, data: bytes) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{name}"\r\nContent-Type: audio/wav\r\n\r\n'.encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def send_slowly(connection: socket.socket, data: bytes, rate: int) -> None:
    """Send ``data`` at ``rate`` bytes a second, in ten pieces a second."""
    piece = rate // 10
    started = time.monotonic()
    for number, offset in enumerate(range(0, len(data), piece)):
        connection.sendall(data[offset : offset + piece])
        delay = started + (number + 1) / 10 - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def read_status_and_headers(connection: socket.socket) -> tuple[int, str]:
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(65536)
        if not chunk:
            break
        received += chunk
    head = received.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    return int(head.split()[1]), head


def test_a_slow_5_mb_upload_by_an_editor_succeeds(site):
    editor = Browser(site.base)
    editor.log_in(EDITOR, PASSWORD)
    editor.page("/beheer/afleveringen/nieuw")
    audio = wav_of_size(UPLOAD_BYTES)
    content_type, body = multipart(
        {"csrf_token": editor.token}, "audio", "langzaam-gesprek.wav", audio
    )
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in editor.cookies)
    port = int(site.base.rsplit(":", 1)[1])
    head = (
        "POST /beheer/afleveringen/nieuw HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\nCookie: {cookies}\r\n"
        # Flask-Login's strong session protection ties the session to the agent.
        f"User-Agent: {editor.headers['User-Agent']}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        connection.sendall(head.encode())
        send_slowly(connection, body, UPLOAD_RATE)
        sent = time.monotonic() - started
        status, headers = read_status_and_headers(connection)
    assert sent > 0.9 * len(body) / UPLOAD_RATE  # it really was slow
    assert status == 302, headers
    location = re.search(r"(?im)^location: .*/beheer/afleveringen/(\d+)\r?$", headers)
    assert location, headers
    page = editor.page(f"/beheer/afleveringen/{location.group(1)}")
    assert "langzaam-gesprek.wav" in page  # the history names the uploaded file
    with site.app.app_context():
        episode = db.session.get(Episode, int(location.group(1)))
        assert episode.audio_size == len(audio) and episode.audio_mime == "audio/wav"
        stored = Path(site.app.config["MEDIA_DIR"]) / episode.audio_path
        assert stored.read_bytes() == audio


class SlowLoris(threading.Thread):
    """Sends a login form to nginx a few bytes a second, until stopped."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.stopped = threading.Event()
        self.sent = 0
        self.cut_off = False

    def run(self) -> None:
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as connection:
            connection.sendall(
                b"POST /beheer/inloggen HTTP/1.1\r\nHost: localhost\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: 100000\r\n\r\n"
            )
            while not self.stopped.wait(0.25):
                try:
                    connection.sendall(b"e=a")
                except OSError:
                    self.cut_off = True
                    return
                self.sent += 3


def test_slow_loris_posts_do_not_stop_the_home_page_from_answering(site):
    port = int(site.base.rsplit(":", 1)[1])
    senders = [SlowLoris(port) for _ in range(SLOW_SENDERS)]
    for sender in senders:
        sender.start()
    try:
        time.sleep(1)  # every sender is connected and trickling
        answered = 0
        deadline = time.monotonic() + SLOW_SECONDS
        while time.monotonic() < deadline:
            # A new query string each time: a cache miss, so a worker must answer.
            answer = requests.get(f"{site.base}/", params={"n": answered}, timeout=1)
            assert answer.status_code == 200
            assert answer.headers["X-Cache-Status"] == "MISS"
            answered += 1
            time.sleep(0.2)
    finally:
        for sender in senders:
            sender.stopped.set()
        for sender in senders:
            sender.join(timeout=10)
    assert answered >= 10
    assert not any(sender.cut_off for sender in senders)
    assert all(sender.sent > 20 for sender in senders)


# --- two nodes ------------------------------------------------------------------------


def publish_story(editor: Browser, title: str) -> None:
    form = form_fields(editor.page("/beheer/verhalen/nieuw"))
    form.update(
        title=title,
        author_name="Anoniem",
        body=f"Het verhaal {title}.",
        publication="now",
        save="Opslaan",
    )
    response = editor.submit("/beheer/verhalen/nieuw", form)
    assert response.status_code == 302, response.text[:500]


def eventually(check, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} within {PATIENCE} s")


def test_a_publish_on_node_one_shows_on_node_two_pages_feed_and_search(site):
    editor = Browser(site.one.base)
    editor.log_in(EDITOR, PASSWORD)
    publish_story(editor, "Knooppuntverhaal")
    other = site.two.base

    page = requests.get(f"{other}/verhalen/knooppuntverhaal", timeout=10)
    assert page.status_code == 200 and "Knooppuntverhaal" in page.text
    assert "Knooppuntverhaal" in requests.get(f"{other}/verhalen", timeout=10).text
    assert "Knooppuntverhaal" in requests.get(f"{other}/verhalen/feed.xml", timeout=10).text

    def found() -> bool:
        answer = requests.get(f"{other}/zoeken.json", params={"q": "knooppuntverhaal"}, timeout=10)
        return any(hit["slug"] == "knooppuntverhaal" for hit in answer.json()["hits"])

    eventually(found, "node two's search did not find the story")

    def through_nginx() -> bool:
        return "Knooppuntverhaal" in requests.get(f"{site.base}/verhalen", timeout=10).text

    eventually(through_nginx, "nginx's micro-cache kept the old list")


def test_the_nodes_share_no_gunicorn_control_socket(site):
    # gunicorn 27 would open ~/.gunicorn/gunicorn.ctl for every instance of the user.
    assert requests.get(f"{site.one.base}/hulp", timeout=10).status_code == 200
    assert list(site.home.iterdir()) == []


# --- what nginx adds --------------------------------------------------------------------


def test_a_second_anonymous_get_is_a_micro_cache_hit(site):
    url = f"{site.base}/verhalen?cache=test"
    first = requests.get(url, timeout=10)
    second = requests.get(url, timeout=10)
    assert first.headers["X-Cache-Status"] == "MISS"
    assert second.headers["X-Cache-Status"] == "HIT"
    assert second.text == first.text
    assert "Set-Cookie" not in first.headers and "Set-Cookie" not in second.headers
    feed = f"{site.base}/podcast/feed.xml"
    requests.get(feed, timeout=10)
    assert requests.get(feed, timeout=10).headers["X-Cache-Status"] == "HIT"


def test_beheer_and_requests_with_cookies_are_never_cached(site):
    for _ in range(2):
        answer = requests.get(f"{site.base}/beheer/inloggen", timeout=10)
        assert answer.status_code == 200
        assert "X-Cache-Status" not in answer.headers
    url = f"{site.base}/verhalen?cache=cookie"
    with_cookie = requests.get(url, headers={"Cookie": "session=abc"}, timeout=10)
    assert with_cookie.headers["X-Cache-Status"] == "BYPASS"
    # The editor's answer was not stored for visitors either.
    assert requests.get(url, timeout=10).headers["X-Cache-Status"] == "MISS"


def test_feed_pages_and_transcripts_are_gzipped(site):
    slug = episode_slugs(site)[0]
    for path in ("/podcast/feed.xml", "/verhalen", f"/podcast/{slug}/transcript.vtt"):
        answer = requests.get(
            f"{site.base}{path}", headers={"Accept-Encoding": "gzip"}, stream=True, timeout=10
        )
        assert answer.status_code == 200, path
        assert answer.headers["Content-Encoding"] == "gzip", path
        assert "Accept-Encoding" in answer.headers["Vary"], path
        assert gzip.decompress(answer.raw.read())


def test_the_micro_cache_keeps_a_gzipped_and_a_plain_copy(site):
    """The key holds whether the client takes gzip; a client that does not never gets it."""
    url = f"{site.base}/podcast/feed.xml?variant={uuid.uuid4().hex}"
    asked = [
        ("gzip, deflate, br", "gzip"),
        ("identity", None),
        ("", None),
        ("gzip;q=0, deflate", None),
        ("deflate, gzip", "gzip"),
    ]
    for accept, encoding in asked:
        answer = requests.get(url, headers={"Accept-Encoding": accept}, stream=True, timeout=10)
        body = answer.raw.read()
        assert answer.headers.get("Content-Encoding") == encoding, accept
        assert (gzip.decompress(body) if encoding else body).startswith(b"<?xml"), accept
        assert "Accept-Encoding" in answer.headers["Vary"]
    # Two copies: a spelling not seen before is still served from the cache (a copy
    # that has passed its second is served once more while it is renewed).
    from_cache = {"HIT", "STALE", "UPDATING"}
    again = requests.get(url, headers={"Accept-Encoding": "gzip"}, timeout=10)
    plain = requests.get(url, headers={"Accept-Encoding": "br"}, stream=True, timeout=10)
    assert again.headers["X-Cache-Status"] in from_cache
    assert plain.headers["X-Cache-Status"] in from_cache
    assert "Content-Encoding" not in plain.headers


def test_nginx_hides_its_version_and_asks_for_https(site):
    answer = requests.get(f"{site.base}/hulp", timeout=10)
    assert answer.headers["Server"] == "nginx"
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    static = requests.get(f"{site.base}/static/site/site.css", timeout=10)
    assert static.status_code == 200
    assert static.headers["X-Content-Type-Options"] == "nosniff"
    assert static.headers["Strict-Transport-Security"].startswith("max-age=31536000")
