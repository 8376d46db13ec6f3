"""Downloads counted from nginx's log: what nginx really sent, never written down raw.

Behind nginx the audio's bytes never pass through the app (nginx asks the app,
once a second per file, whether an episode is public, then sends the file
itself). nginx writes one JSON line per media request (``log_format
archive_stats`` in deploy/nginx/archive.conf) as a syslog datagram (``access_log
syslog:server=...``) to ``flask count-downloads``, on the loopback's UDP
(default ``127.0.0.1:5140``) or a unix socket (``unix:/path``). Each line
goes straight to :meth:`Recorder.download`, where address and User-Agent
become the day's salted hash: no line is stored, on disk or in the database.
nginx never waits for the listener: a datagram it cannot
deliver is dropped (and so is that count), the audio is sent all the same.

The bytes counted are the bytes nginx sent (``$body_bytes_sent``) from the
start of the range asked for, so a player that stops after a few seconds
counts for what it got. HEAD, 304, 416 and every other status count nothing.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import parse_range_header

from ..models import Episode, db
from . import ranges as byte_ranges
from .recorder import Visit, recorder

log = logging.getLogger(__name__)

#: The media URLs' path, as nginx logs ``$uri`` (decoded).
MEDIA_PREFIX = "/media/"
#: A datagram's largest size read; nginx's syslog lines are far shorter.
DATAGRAM_BYTES = 65536
#: Receive buffer asked of the kernel: bursts of a few thousand lines wait here
#: while the buffer is written (the kernel grants at most ``net.core.rmem_max``).
#: A unix socket also queues at most ``net.unix.max_dgram_qlen`` datagrams (10
#: by the kernel's default, 512 by systemd's): UDP on the loopback is the default.
RECEIVE_BUFFER = 8 * 1024 * 1024
#: Where ``flask count-downloads`` listens unless told otherwise (nginx's syntax).
DEFAULT_ADDRESS = "127.0.0.1:5140"
UNIX_PREFIX = "unix:"
#: The statuses of an answer with a file's bytes (the only lines counted or looked up).
SENT_STATUSES = frozenset({200, 206})
#: Audio names remembered (a name's episode, size and duration never change).
NAMES_KEPT = 4096


@dataclass(frozen=True)
class Line:
    """One media request as nginx logged it."""

    method: str
    name: str
    status: int
    sent: int
    range: str
    address: str
    user_agent: str

    @property
    def visit(self) -> Visit:
        return Visit(self.method, self.address, self.user_agent)

    @property
    def sends_a_file(self) -> bool:
        """A GET answered with a file's bytes (not HEAD, 304, 404, 416, ...)."""
        return self.method == "GET" and self.status in SENT_STATUSES


def parse(datagram: bytes) -> Line | None:
    """The media request in one syslog datagram from nginx, or None if it is not one.

    A datagram is ``<PRI>timestamp tag: {json}``: the JSON object is
    everything from the first ``{``.
    """
    text = datagram.decode("utf-8", errors="replace")
    start = text.find("{")
    if start < 0:
        return None
    try:
        fields: Any = json.loads(text[start:])
        uri = str(fields["uri"])
        line = Line(
            method=str(fields["method"]),
            name=unquote(uri[len(MEDIA_PREFIX) :]),
            status=int(fields["status"]),
            sent=int(fields["sent"]),
            range=str(fields.get("range", "")),
            address=str(fields.get("addr", "")),
            user_agent=str(fields.get("agent", "")),
        )
    except (ValueError, KeyError, TypeError):
        return None
    if not uri.startswith(MEDIA_PREFIX) or not line.name or "/" in line.name:
        return None
    return line


def pieces(line: Line, size: int) -> list[byte_ranges.Range]:
    """The byte ranges ``line`` delivered of a file of ``size`` bytes (none for HEAD, 304, ...)."""
    if not line.sends_a_file or line.sent <= 0 or size <= 0:
        return []
    if line.status == 200:
        return [(0, min(line.sent, size))]
    requested = parse_range_header(line.range)
    if requested is None:
        return []
    if len(requested.ranges) == 1:
        single = requested.range_for_length(size)
        if single is None:
            return []
        # nginx sent the range's bytes from its start; a client that left early got fewer.
        start, stop = single
        return [(start, min(stop, start + line.sent))]
    # Several ranges (one multipart answer): what was asked, each clipped to the file.
    return [piece for piece in (_clipped(r, size) for r in requested.ranges) if piece]


def _clipped(piece: tuple[int, int | None], size: int) -> byte_ranges.Range | None:
    start, stop = piece
    if start < 0:  # the last -start bytes
        return (max(size + start, 0), size)
    return (start, min(stop or size, size)) if start < size else None


@dataclass(frozen=True)
class Audio:
    id: int
    size: int
    duration: float | None


class AudioNames:
    """File name -> the episode whose audio it is (or None), read once per name."""

    def __init__(self, kept: int = NAMES_KEPT) -> None:
        self.kept = kept
        self._found: OrderedDict[str, Audio | None] = OrderedDict()

    def get(self, name: str) -> Audio | None:
        if name in self._found:
            self._found.move_to_end(name)
            return self._found[name]
        row = db.session.execute(
            select(Episode.id, Episode.audio_size, Episode.duration)
            .where(Episode.audio_path == name)
            .limit(1)
        ).first()
        db.session.rollback()  # no transaction held open between lines
        found = None if row is None else Audio(row[0], row[1] or 0, row[2])
        self._found[name] = found
        if len(self._found) > self.kept:
            self._found.popitem(last=False)
        return found


class Counter:
    """Lines in, downloads into the app's :class:`Recorder` (inside an app context)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.names = AudioNames()
        self.lines = 0
        self.counted = 0
        self.ignored = 0

    def take(self, datagram: bytes) -> None:
        """Count one datagram's download, if it is one."""
        self.lines += 1
        line = parse(datagram)
        if line is not None and not line.sends_a_file:
            return  # a media line, but no bytes of a file: nothing to look up
        audio = self._audio(line.name) if line is not None else None
        if line is None or audio is None:
            self.ignored += 1
            return
        found = pieces(line, audio.size)
        for piece in found:
            recorder(self.app).download(audio.id, audio.size, audio.duration, piece, line.visit)
        self.counted += bool(found)

    def _audio(self, name: str) -> Audio | None:
        try:
            return self.names.get(name)
        except SQLAlchemyError:
            log.exception("episode of %r not read; this line is not counted", name)
            db.session.rollback()
            return None

    def write_if_due(self) -> None:
        """The recorder's buffer written when due, by its background writer."""
        found = recorder(self.app)
        if found.due():
            found.flush_soon()


def open_socket(address: str, mode: int = 0o666) -> socket.socket:
    """A datagram socket bound to ``address``: ``host:port`` (UDP) or ``unix:/path``.

    The syntax is nginx's ``syslog:server=``. A unix socket left by a killed
    listener is replaced; ``mode`` lets nginx's workers (another user) write to
    it, so keep its folder closed (systemd's ``RuntimeDirectory``). On UDP,
    listen on the loopback only: the lines carry addresses.
    """
    path = _unix_path(address)
    if path is not None:
        if path.is_socket():
            path.unlink()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        where: Any = str(path)
    else:
        host, _, port = address.rpartition(":")
        host = host.strip("[]") or "127.0.0.1"
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_DGRAM)
        where = (host, int(port))
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
        sock.bind(where)
        if isinstance(where, str):
            os.chmod(where, mode)
    except OSError:
        sock.close()
        raise
    return sock


def _unix_path(address: str) -> Path | None:
    """The socket file of a ``unix:/path`` address (None for ``host:port``)."""
    return Path(address[len(UNIX_PREFIX) :]) if address.startswith(UNIX_PREFIX) else None


def datagrams(sock: socket.socket, stop: threading.Event, wake: float) -> Iterator[bytes | None]:
    """Datagrams as they come; None every ``wake`` seconds without one (time to write).

    Once ``stop`` is set, the datagrams already queued are still read.
    """
    sock.settimeout(wake)
    while not stop.is_set():
        try:
            yield sock.recv(DATAGRAM_BYTES)
        except TimeoutError:
            yield None
    sock.setblocking(False)
    while True:
        try:
            yield sock.recv(DATAGRAM_BYTES)
        except BlockingIOError:
            return


def listen(app: Flask, address: str, stop: threading.Event, wake: float = 1.0) -> Counter:
    """Count downloads from the datagrams at ``address`` until ``stop`` is set; then write them."""
    counter = Counter(app)
    sock = open_socket(address)
    try:
        with app.app_context():
            for datagram in datagrams(sock, stop, wake):
                if datagram is not None:
                    counter.take(datagram)
                counter.write_if_due()
    finally:
        sock.close()
        path = _unix_path(address)
        if path is not None:
            path.unlink(missing_ok=True)
        found = recorder(app)
        found.wait()
        found.flush()
    return counter
