"""Downloads counted from nginx's log lines (``flask count-downloads``).

The lines are written as nginx writes them with deploy/nginx/archive.conf's
``archive_stats`` format (tests/integration/test_nginx.py has real nginx
send them); here they go through a real unix datagram socket into the real
recorder and database, over a unix socket and over the loopback's UDP.
"""

from __future__ import annotations

import json
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from serving import free_udp_port, udp_bound
from sqlalchemy import select

from archive import create_app, stats
from archive.models import Episode, StatsProgress, db
from archive.stats import proxylog
from archive.stats.proxylog import Line, parse, pieces
from archive.stats.recorder import Visit
from archive.stats.store import salt_for, visitor_hash

from .conftest import ANTENNAPOD, APPLE, count, stored_text

ADDRESS = "192.0.2.44"


def nginx_line(
    uri: str,
    status: int = 200,
    sent: int = 0,
    range: str = "",
    method: str = "GET",
    address: str = ADDRESS,
    agent: str = ANTENNAPOD,
) -> bytes:
    """One datagram as nginx's syslog sends it (``nohostname``, tag ``archive``)."""
    fields = {
        "method": method,
        "uri": uri,
        "status": status,
        "sent": sent,
        "range": range,
        "addr": address,
        "agent": agent,
    }
    return b"<190>Nov 20 11:00:00 archive: " + json.dumps(fields).encode()


# --- lines --------------------------------------------------------------------------


def test_a_line_is_read_from_the_datagram():
    line = parse(nginx_line("/media/3-ab%20c.mp3", 206, 100, "bytes=0-99", agent='a "b" é'))
    assert line == Line("GET", "3-ab c.mp3", 206, 100, "bytes=0-99", ADDRESS, 'a "b" é')
    assert line.visit == Visit("GET", ADDRESS, 'a "b" é')


@pytest.mark.parametrize(
    "datagram",
    [
        b"",
        b"<190>Nov 20 11:00:00 archive: not json",
        b'<190>Nov 20 11:00:00 archive: {"method":"GET","uri":"/media/x.mp3","status":200,',
        nginx_line("/static/site.css"),
        nginx_line("/media/"),
        nginx_line("/media/a/b.mp3"),
        b'<190>x: {"method":"GET","uri":"/media/x.mp3","status":"x","sent":1}',
        b'<190>x: {"uri":"/media/x.mp3","status":200,"sent":1}',
        b"<190>x: [1, 2]",
    ],
    ids=[
        "empty",
        "not-json",
        "cut-off",
        "not-media",
        "no-name",
        "a-folder",
        "status-not-a-number",
        "no-method",
        "not-an-object",
    ],
)
def test_what_is_not_a_media_line_is_left_alone(datagram):
    assert parse(datagram) is None


SIZE = 10_000

#: (status, sent, Range header, method) -> the pieces counted of a SIZE-byte file.
PIECE_CASES = {
    "whole-file": ((200, SIZE, "", "GET"), [(0, SIZE)]),
    "whole-file-left-early": ((200, 2500, "", "GET"), [(0, 2500)]),
    "one-range": ((206, 1000, "bytes=1000-1999", "GET"), [(1000, 2000)]),
    "one-range-left-early": ((206, 10, "bytes=1000-1999", "GET"), [(1000, 1010)]),
    "open-range": ((206, 9000, "bytes=1000-", "GET"), [(1000, SIZE)]),
    "suffix-range": ((206, 500, "bytes=-500", "GET"), [(SIZE - 500, SIZE)]),
    "several-ranges": ((206, 400, "bytes=0-99,-100", "GET"), [(0, 100), (SIZE - 100, SIZE)]),
    "head": ((200, 0, "", "HEAD"), []),
    "not-modified": ((304, 0, "", "GET"), []),
    "range-not-satisfiable": ((416, 0, f"bytes={SIZE + 1}-", "GET"), []),
    "not-found": ((404, 15, "", "GET"), []),
    "nothing-sent": ((200, 0, "", "GET"), []),
    "bad-range-header": ((206, 10, "bytes=x", "GET"), []),
}


@pytest.mark.parametrize("case", PIECE_CASES.values(), ids=PIECE_CASES.keys())
def test_the_bytes_counted_are_the_bytes_nginx_sent(case):
    (status, sent, range_header, method), expected = case
    line = Line(method, "1-a.mp3", status, sent, range_header, ADDRESS, ANTENNAPOD)
    assert pieces(line, SIZE) == expected


# --- through a socket ----------------------------------------------------------------


@pytest.fixture
def socket_path() -> Iterator[Path]:
    # A short folder: a unix socket's path is limited to about 100 bytes.
    folder = Path(tempfile.mkdtemp(prefix="stats-", dir="/tmp"))
    yield folder / "stats.sock"
    shutil.rmtree(folder)


class Listener:
    """``proxylog.listen`` in a thread, as ``flask count-downloads`` runs it."""

    def __init__(self, app: Flask, address: str) -> None:
        self.address = address
        self.stop = threading.Event()
        self.result: list[proxylog.Counter] = []
        self.thread = threading.Thread(
            target=lambda: self.result.append(proxylog.listen(app, address, self.stop, wake=0.05))
        )
        self.thread.start()
        while not self._accepting():
            assert self.thread.is_alive(), "the listener stopped before it opened its socket"
            self.stop.wait(0.01)

    def _where(self) -> tuple[int, str | tuple[str, int]]:
        if self.address.startswith("unix:"):
            return socket.AF_UNIX, self.address[len("unix:") :]
        host, _, port = self.address.rpartition(":")
        return socket.AF_INET, (host, int(port))

    def _accepting(self) -> bool:
        """True once the listener's socket is bound (a stale unix socket refuses datagrams)."""
        family, where = self._where()
        if family != socket.AF_UNIX:
            return udp_bound(where[1])
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect(where)
            except OSError:
                return False
        return True

    def send(self, *datagrams: bytes) -> None:
        family, where = self._where()
        with socket.socket(family, socket.SOCK_DGRAM) as sender:
            for datagram in datagrams:
                sender.sendto(datagram, where)

    def close(self) -> proxylog.Counter:
        self.stop.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive()
        return self.result[0]


@pytest.fixture(params=["unix", "udp"])
def listener(request, app: Flask, demo, socket_path: Path) -> Iterator[Listener]:
    address = f"unix:{socket_path}" if request.param == "unix" else f"127.0.0.1:{free_udp_port()}"
    running = Listener(app, address)
    yield running
    if not running.stop.is_set():
        running.close()


def test_ranges_that_add_up_to_a_minute_count_one_download(listener, episode, audio):
    uri = f"/media/{episode.audio_path}"
    half = len(audio) // 2
    listener.send(
        nginx_line(uri, 206, 2, "bytes=0-1"),  # a player's probe
        nginx_line(uri, 206, half, f"bytes=0-{half - 1}"),
        nginx_line(uri, 206, len(audio) - half, f"bytes={half}-"),
        nginx_line(uri, 200, len(audio)),  # again, the same visitor: still one
    )
    counter = listener.close()
    assert (counter.lines, counter.counted, counter.ignored) == (4, 4, 0)
    assert count("download", episode.id) == 1
    assert count("download", episode.id, "antennapod") == 1


def test_what_is_not_a_download_counts_nothing(listener, episode, audio):
    uri = f"/media/{episode.audio_path}"
    listener.send(
        nginx_line(uri, 200, 0, method="HEAD"),
        nginx_line(uri, 304),
        nginx_line(uri, 416, 0, f"bytes={len(audio) + 5}-"),
        nginx_line(uri, 200, len(audio), agent="Googlebot/2.1 (+http://www.google.com/bot.html)"),
        nginx_line(uri, 200, len(audio) // 10),  # left after a tenth: not a minute here
        nginx_line("/media/not-an-episode.mp3", 200, 1000),
        b"garbage",
    )
    counter = listener.close()
    assert counter.lines == 7 and counter.ignored == 2
    assert count("download") == 0


def test_each_visitor_counts_and_nothing_raw_is_stored(app, listener, episode, audio):
    uri = f"/media/{episode.audio_path}"
    listener.send(
        nginx_line(uri, 200, len(audio), address="192.0.2.45"),
        nginx_line(uri, 200, len(audio), address="192.0.2.46"),
        nginx_line(uri, 200, len(audio), address="192.0.2.45", agent=APPLE),
        nginx_line(uri, 206, 100, "bytes=0-99", address="192.0.2.47"),  # not yet a download
    )
    listener.close()
    assert count("download", episode.id) == 3
    stored = stored_text()
    for raw in ("192.0.2.4", "AntennaPod", "AppleCoreMedia"):
        assert raw not in stored
    # The unfinished visitor is kept as the day's salted hash, with its bytes.
    salt = salt_for(db.session.connection(), stats.today())
    hashed = visitor_hash(salt, "192.0.2.47", ANTENNAPOD)
    progress = db.session.scalar(select(StatsProgress).where(StatsProgress.visitor == hashed))
    assert progress is not None and progress.ranges == "0-100" and not progress.counted


def test_a_stale_socket_is_replaced_and_removed_at_the_end(app, demo, socket_path, episode):
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    stale.bind(str(socket_path))
    stale.close()  # a killed listener leaves its socket file behind
    running = Listener(app, f"unix:{socket_path}")
    try:
        running.send(nginx_line(f"/media/{episode.audio_path}", 200, episode.audio_size))
    finally:
        counter = running.close()
    assert counter.counted == 1
    assert not socket_path.exists()
    assert count("download", episode.id) == 1


def test_an_unknown_name_is_read_once_and_a_404_not_at_all(app, listener, episode):
    listener.send(*[nginx_line("/media/9999-unknown.mp3", 200, 10)] * 5)
    listener.send(*[nginx_line(f"/media/{n}-probe.mp3", 404, 15) for n in range(5)])
    counter = listener.close()
    assert counter.ignored == 5
    assert list(counter.names._found) == ["9999-unknown.mp3"]


def test_a_busy_socket_keeps_counting_while_the_buffer_is_written(app_config, demo, socket_path):
    """With a small batch the writer runs in the background, many times, while lines keep coming."""
    busy = create_app({**app_config, "STATS_BATCH": 7, "STATS_FLUSH_SECONDS": 0})
    with busy.app_context():
        episodes = list(
            db.session.scalars(select(Episode).where(Episode.public_clause()).order_by(Episode.id))
        )
    lines = [
        nginx_line(f"/media/{e.audio_path}", 200, e.audio_size, address=f"198.51.100.{n}")
        for n in range(60)
        for e in episodes
    ]
    running = Listener(busy, f"unix:{socket_path}")
    try:
        running.send(*lines)
    finally:
        counter = running.close()
    assert counter.counted == len(lines)
    with busy.app_context():
        assert count("download") == len(lines)
