"""A real browser against the app served for real.

The app runs in a thread (Werkzeug's ``make_server`` on 127.0.0.1, a random
port) on a temporary database, media and index, with the demo content loaded
through the ``load-demo`` command. Playwright drives Debian's chromium (never
``playwright install``). Every request the browser makes is recorded; anything
not for 127.0.0.1 is answered locally (the quick exit's neutral site) or
aborted, and counted as a leak.

Without /usr/bin/chromium or node_modules/axe-core the tests skip; with
``CI=true`` they fail instead, so CI cannot pass without running them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import fresh_database, make_config  # tests/conftest.py (on sys.path)
from flask import Flask
from werkzeug.serving import make_server

from archive import create_app, database
from archive.models import db

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]
#: The quick exit's neutral site, answered by a local stub (no request leaves).
NEUTRAL_HOST = "nos.nl"
#: A made-up site a visitor "came from", to check where Back goes after the exit.
EARLIER_HOST = "vorige-site.example"
STUB_PAGE = "<!doctype html><html lang='nl'><title>Stub</title><h1>Neutrale pagina</h1></html>"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    missing = [str(p) for p in (CHROMIUM, AXE) if not p.exists()]
    for item in items:
        if "tests/browser" not in str(item.path).replace(os.sep, "/"):
            continue
        item.add_marker(pytest.mark.browser)
        if missing and os.environ.get("CI") != "true":
            item.add_marker(pytest.mark.skip(reason=f"missing: {', '.join(missing)}"))


def _require_tools() -> None:
    missing = [str(p) for p in (CHROMIUM, AXE) if not p.exists()]
    if missing:
        pytest.fail(f"browser tests need {', '.join(missing)} (CI=true)")


def _demo_app(folder: Path, url: str) -> Flask:
    """A new app on ``folder`` and database ``url`` with the demo content from ``load-demo``."""
    app = create_app(make_config(folder, url))
    with app.app_context():
        database.upgrade()
    result = app.test_cli_runner().invoke(args=["load-demo"])
    assert result.exit_code == 0, result.output
    return app


def _buffered(app: Flask):  # type: ignore[no-untyped-def]
    """The app with each response body read (and its file closed) before it is sent.

    When the browser drops a connection mid-response (it does: media, icons),
    Werkzeug's development server can fail before it closes the response, and
    the open file then ends as a ResourceWarning, an error under our warning
    rules. Production servers (gunicorn) close properly; this only makes the
    test server deterministic.
    """

    def wsgi(environ, start_response):  # type: ignore[no-untyped-def]
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@contextmanager
def _in_thread(server: HTTPServer) -> Iterator[str]:
    """Run ``server`` in a daemon thread; yields its base URL, then stops and closes it."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@contextmanager
def _serving(app: Flask) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 (a random port) in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True)
    try:
        with _in_thread(server) as url:
            yield url
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with the demo content, served on 127.0.0.1; yields its base URL.

    Shared by the tests that only read; a test that changes content uses ``live_app``.
    """
    _require_tools()
    folder = tmp_path_factory.mktemp("live")
    with fresh_database(folder) as database_url, _serving(_demo_app(folder, database_url)) as url:
        yield url


@pytest.fixture
def live_app(tmp_path: Path, fresh_database_url: str) -> Iterator[tuple[Flask, str]]:
    """A demo app of the test's own, served on 127.0.0.1: ``(app, base URL)``."""
    _require_tools()
    app = _demo_app(tmp_path, fresh_database_url)
    with _serving(app) as url:
        yield app, url


@contextmanager
def other_origin(pages: dict[str, str]) -> Iterator[str]:
    """A second HTTP server on 127.0.0.1 (its own port, so another origin).

    It answers each path in ``pages`` with that HTML, any other path with an empty page.
    """

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path, "<!doctype html><title>Leeg</title>").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    with _in_thread(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require_tools()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Traffic:
    """What the browser asked for: local requests, stubbed ones and leaks."""

    local: list[str] = field(default_factory=list)
    stubbed: list[dict] = field(default_factory=list)
    leaked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def _guard(context, traffic: Traffic) -> None:
    def handle(route, request) -> None:
        host = urlsplit(request.url).hostname
        if host == "127.0.0.1":
            traffic.local.append(request.url)
            route.continue_()
        elif host in (NEUTRAL_HOST, EARLIER_HOST) and request.resource_type == "document":
            traffic.stubbed.append({"url": request.url, "headers": request.headers})
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=STUB_PAGE)
        else:
            traffic.leaked.append(request.url)
            route.abort()

    context.route("**/*", handle)


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


def new_page(browser, traffic: Traffic, **options):
    context = browser.new_context(locale="nl-NL", **options)
    _guard(context, traffic)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            traffic.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: traffic.console_errors.append(str(error)))
    return page


@pytest.fixture
def page(browser, traffic: Traffic) -> Iterator[object]:
    """A fresh page; after the test, no request may have left 127.0.0.1 and no error logged."""
    page = new_page(browser, traffic, viewport={"width": 1280, "height": 900})
    yield page
    page.context.close()
    assert traffic.leaked == [], f"requests to other hosts: {traffic.leaked}"
    assert traffic.console_errors == [], f"console errors: {traffic.console_errors}"
