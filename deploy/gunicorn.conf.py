"""gunicorn settings for one app node behind nginx (deploy/nginx/archive.conf).

    gunicorn --config deploy/gunicorn.conf.py 'archive:create_app()'

Read from the environment (the same file systemd and the tests use):

    ARCHIVE_BIND                  where to listen (default 127.0.0.1:8000)
    ARCHIVE_WORKERS               worker processes (default 2 x cores + 1)
    ARCHIVE_FORWARDED_ALLOW_IPS   addresses whose X-Forwarded-* headers count
                                  (default 127.0.0.1,::1: nginx on this machine)

Why sync workers: nginx reads every request body whole before it opens a
connection here (``proxy_request_buffering on``) and reads every response
whole into its buffers or a temp file (``proxy_buffering on``). A worker
therefore only ever talks to nginx over a fast local connection: an upload
at 120 kB/s or a slow-loris sender costs nginx a few kB of memory, never a
worker, and a phone on a bad line reading a page costs no worker either. Async
workers (gevent, eventlet) would only pay off without that buffering, and
would make every database call a possible point of contention. Without nginx
in front, sync workers are exactly what a slow client can tie up: do not
expose this port.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


bind = [_env("ARCHIVE_BIND", "127.0.0.1:8000")]
workers = int(_env("ARCHIVE_WORKERS", str(2 * multiprocessing.cpu_count() + 1)))
worker_class = "sync"

# A request reaches a worker complete (nginx buffered it), so the worker's time
# is the app's own work: probing, hashing and fsyncing a large upload takes
# seconds, not minutes. 120 s leaves room for a 2 GB file on a slow disk and
# still recycles a worker that hangs. nginx's proxy_read_timeout is longer.
timeout = 120
graceful_timeout = 30
# nginx opens a new connection per request to sync workers (they cannot keep
# one alive while serving another), so keep-alive here would only hold a worker.
keepalive = 0

# Trust X-Forwarded-Proto (https) only from nginx; the app's ProxyFix
# (ARCHIVE_PROXY_FIX=1) reads the same headers for URLs and Secure cookies.
forwarded_allow_ips = _env("ARCHIVE_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Recent gunicorn (27 here) opens a control socket at one fixed path in the
# user's home (~/.gunicorn/gunicorn.ctl), shared by every instance of that
# user: two nodes on one machine would answer each other's commands. Nothing
# here uses it. (Older gunicorn ignores the unknown setting.)
control_socket_disable = True

# Workers' heartbeat files: in memory, not on a disk that may stall under load.
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"

# No access log: visitors' addresses are not stored (nginx logs without them).
accesslog = None
errorlog = "-"
loglevel = "info"
proc_name = "archive"
