"""The app served for real by gunicorn (several worker processes) on a free local port.

For tests that need real parallel requests: processes, not threads, as in
production. The server reads the test's database, media and index through
the same ``ARCHIVE_*`` variables a deployment sets.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(config: dict, workers: int = 4) -> Iterator[str]:
    """Run gunicorn on ``config``'s database, media and index; yields the base URL."""
    port = free_port()
    env = {
        **os.environ,
        "ARCHIVE_DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "ARCHIVE_MEDIA_DIR": config["MEDIA_DIR"],
        "ARCHIVE_INDEX_DIR": config["INDEX_DIR"],
        "ARCHIVE_SECRET_KEY": config["SECRET_KEY"],
    }
    command = [
        str(GUNICORN),
        "--workers", str(workers),
        "--bind", f"127.0.0.1:{port}",
        "--no-control-socket",
        "--log-level", "warning",
        "archive:create_app()",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base, server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with {server.returncode}")
        try:
            requests.get(f"{base}/hulp", timeout=10)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer within 30 s")


class Browser(requests.Session):
    """A logged-in editor: cookies, and the CSRF token of the session."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.token = ""

    def page(self, path: str) -> str:
        response = self.get(self.base + path, timeout=30)
        response.raise_for_status()
        match = _TOKEN.search(response.text)
        if match:
            self.token = match.group(1)
        return response.text

    def submit(self, path: str, data: dict, files: dict | None = None) -> requests.Response:
        return self.post(
            self.base + path,
            data={**data, "csrf_token": self.token},
            files=files,
            allow_redirects=False,
            timeout=60,
        )

    def log_in(self, email: str, password: str) -> None:
        self.page("/beheer/inloggen")
        response = self.submit("/beheer/inloggen", {"email": email, "password": password})
        assert response.status_code == 302, response.text[:500]
