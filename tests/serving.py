"""The campaign-week setup on this machine: nginx in front of two app nodes on one database.

Each node is gunicorn with ``deploy/gunicorn.conf.py`` (its own port and index
directory) plus its own ``flask follow`` process; nginx runs
``deploy/nginx/archive.conf`` as rendered by ``deploy/nginx/render.py``, as any
user, with everything (pid file, error log, temp files, micro-cache) under one
temporary prefix. Used by ``tests/integration`` and ``benchmarks/cluster.py``.
"""

from __future__ import annotations

import getpass
import grp
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
FLASK = Path(sys.executable).with_name("flask")
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
NGINX_RENDER = ROOT / "deploy" / "nginx" / "render.py"
#: Where the app hands media to nginx (``ARCHIVE_X_ACCEL_REDIRECT``).
ACCEL_PREFIX = "/_media/"
MIME_TYPES = Path("/etc/nginx/mime.types")

#: The main nginx.conf around the rendered site: everything under the prefix.
NGINX_MAIN = """\
daemon off;
{user}
worker_processes {worker_processes};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include {mime_types};
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
{extra}
    include {prefix}/archive.conf;
}}
"""


def nginx_binary() -> str | None:
    """The nginx program, or None when it is not installed."""
    return shutil.which("nginx") or next(
        (str(p) for p in (Path("/usr/sbin/nginx"),) if p.exists()), None
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, seconds: float = 60) -> None:
    """Wait until ``port`` answers HTTP on ``/hulp`` (any status), or fail with ``what``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
                connection.sendall(b"GET /hulp HTTP/1.0\r\nHost: localhost\r\n\r\n")
                if connection.recv(12).startswith(b"HTTP/1."):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer within {seconds:.0f} s")


def node_environment(config: Mapping, index: Path, **extra: str) -> dict[str, str]:
    """The ``ARCHIVE_*`` settings of an app node on ``config``'s database and media."""
    return {
        **os.environ,
        "FLASK_APP": "archive",
        "ARCHIVE_DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "ARCHIVE_MEDIA_DIR": str(config["MEDIA_DIR"]),
        "ARCHIVE_INDEX_DIR": str(index),
        "ARCHIVE_SECRET_KEY": config["SECRET_KEY"],
        "ARCHIVE_X_ACCEL_REDIRECT": ACCEL_PREFIX,
        "ARCHIVE_PROXY_FIX": "1",
        "ARCHIVE_FOLLOW_POLL_SECONDS": "1",
        **extra,
    }


@dataclass
class Node:
    """One app node: its gunicorn address and its own index directory."""

    base: str
    port: int
    index: Path


@contextmanager
def app_node(
    config: Mapping,
    index: Path,
    workers: int = 2,
    output: IO[str] | None = None,
    **extra: str,
) -> Iterator[Node]:
    """gunicorn (``deploy/gunicorn.conf.py``) and a ``flask follow`` on ``index``.

    Their output goes to ``output`` when given (else to this process's);
    ``extra`` adds environment variables.
    """
    port = free_port()
    env = node_environment(
        config, index, ARCHIVE_BIND=f"127.0.0.1:{port}", ARCHIVE_WORKERS=str(workers), **extra
    )
    command = [str(GUNICORN), "--config", str(GUNICORN_CONF), "archive:create_app()"]
    with ExitStack() as stack:
        server = stack.enter_context(_running(command, env, output))
        stack.enter_context(_running([str(FLASK), "follow"], env, output))
        wait_for_port(port, server, f"gunicorn on port {port}")
        yield Node(f"http://127.0.0.1:{port}", port, index)


@contextmanager
def _running(
    command: list[str], env: dict[str, str], output: IO[str] | None = None
) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def download_counter(
    config: Mapping, index: Path, output: IO[str] | None = None, **extra: str
) -> Iterator[str]:
    """``flask count-downloads`` on a free loopback UDP port; yields its address for nginx."""
    port = free_udp_port()
    address = f"127.0.0.1:{port}"
    env = node_environment(config, index, **extra)
    command = [str(FLASK), "count-downloads", "--listen", address]
    with _running(command, env, output) as process:
        deadline = time.monotonic() + 60
        while not udp_bound(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"flask count-downloads did not bind {address}")
            time.sleep(0.1)
        yield address


def udp_bound(port: int) -> bool:
    """True once a socket on this machine is bound to UDP ``port`` (read from /proc)."""
    suffix = f":{port:04X}"
    for table in (Path("/proc/net/udp"), Path("/proc/net/udp6")):
        if table.exists():
            lines = table.read_text().splitlines()[1:]
            if any(line.split()[1].endswith(suffix) for line in lines):
                return True
    return False


def render_site(upstreams: list[str], listen: int, prefix: Path, media: str, stats_log: str) -> str:
    """``deploy/nginx/archive.conf`` rendered by ``render.py`` for this prefix."""
    env = {
        **os.environ,
        "ARCHIVE_UPSTREAMS": ",".join(upstreams),
        "ARCHIVE_LISTEN": f"127.0.0.1:{listen}",
        "ARCHIVE_SERVER_NAME": "localhost",
        "ARCHIVE_MEDIA_DIR": media,
        "ARCHIVE_X_ACCEL_REDIRECT": ACCEL_PREFIX,
        "ARCHIVE_NGINX_CACHE_DIR": str(prefix / "cache"),
        "ARCHIVE_ACCESS_LOG": str(prefix / "access.log"),
        # Where nginx sends its media log lines (download_counter's address).
        "ARCHIVE_STATS_LOG": stats_log,
    }
    result = subprocess.run(
        [sys.executable, str(NGINX_RENDER)], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


def _user_line() -> str:
    # As root, nginx's workers would otherwise run as "nobody" and could not read
    # the test's private temp folders; as anyone else the directive is ignored.
    if os.geteuid() != 0:
        return ""
    return f"user {getpass.getuser()} {grp.getgrgid(os.getegid()).gr_name};"


@contextmanager
def nginx(
    prefix: Path, site: str, extra: str = "", worker_processes: int | str = 1
) -> Iterator[str]:
    """Run nginx with ``site`` (a rendered archive.conf) under ``prefix``; yields its base URL.

    ``site`` must listen on 127.0.0.1 and a port given to :func:`render_site`.
    """
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed")
    prefix.mkdir(parents=True, exist_ok=True)
    (prefix / "archive.conf").write_text(site)
    main = NGINX_MAIN.format(
        user=_user_line(),
        worker_processes=worker_processes,
        prefix=prefix,
        mime_types=MIME_TYPES,
        extra=extra,
    )
    (prefix / "nginx.conf").write_text(main)
    command = [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", "stderr"]
    checked = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t: {checked.stderr}")
    port = _listen_port(site)
    with _running(command, dict(os.environ)) as process:
        wait_for_port(port, process, f"nginx on port {port}")
        yield f"http://127.0.0.1:{port}"


def _listen_port(site: str) -> int:
    for line in site.splitlines():
        words = line.split()
        if words[:1] == ["listen"]:
            return int(words[1].rstrip(";").rsplit(":", 1)[-1])
    raise ValueError("the site has no listen line")


def error_log(prefix: Path) -> str:
    log = prefix / "error.log"
    return log.read_text() if log.exists() else ""
