"""The Host header is trusted only as far as it should be; https is kept (issue 12, point 8).

With ``ARCHIVE_BASE_URL`` only its host is served (Flask's ``TRUSTED_HOSTS``);
without it any well-formed host is, and a malformed one, which would end up
in enclosure URLs, subscribe links and the ``.ics``, is refused with 400.
HSTS is sent once the site is on https. (Secure cookies per request and no
cookie for an anonymous /beheer visit: ``test_cookies.py``.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from archive import create_app, database
from archive.config import from_environment
from archive.errors import ConfigError
from archive.hosts import UNTRUSTED_HOST
from archive.models import db

BASE_URL = "https://verhalen.example.nl"
HSTS = "max-age=31536000; includeSubDomains"
#: Host values no URL may be built from.
MALFORMED = [
    "evil.example;x",
    "",
    " ",
    "evil example",
    "evil.example\r\nX-Injected: 1",
    "evil.example/pad",
    "evil.example:99999",
    "user@evil.example",
    "evil.example:0",
]
URLS = [
    "/",
    "/podcast",
    "/podcast/feed.xml",
    "/verhalen/feed.xml",
    "/campagne/week-2021/week.ics",
    "/zoeken?q=school",
    "/beheer/inloggen",
]


@pytest.fixture
def demo_app(app_config) -> Iterator[callable]:
    """Factory: a demo app with extra settings; disposed of after the test."""
    made: list[Flask] = []

    def make(**settings) -> Flask:
        app = create_app({**app_config, **settings})
        with app.app_context():
            database.upgrade()
            if not made:
                result = app.test_cli_runner().invoke(args=["load-demo"])
                assert result.exit_code == 0, result.output
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def get(app: Flask, url: str, host: str, **kwargs):  # type: ignore[no-untyped-def]
    return app.test_client().get(url, environ_overrides={"HTTP_HOST": host}, **kwargs)


def test_with_a_base_url_only_its_host_is_served(demo_app):
    app = demo_app(BASE_URL=BASE_URL)
    for url in URLS:
        for host in ("verhalen.example.nl", "verhalen.example.nl:8443"):
            assert get(app, url, host).status_code == 200, (host, url)
        for host in ("evil.example", "localhost", "verhalen.example.nl.evil.example", *MALFORMED):
            response = get(app, url, host)
            assert response.status_code == 400, (host, url)
            assert response.mimetype == "text/plain"
            assert response.get_data(as_text=True) == UNTRUSTED_HOST
            assert "Set-Cookie" not in response.headers


def test_the_trusted_hosts_come_from_the_base_url_and_the_extra_list(demo_app, monkeypatch):
    app = demo_app(BASE_URL=BASE_URL + "/archief/", EXTRA_HOSTS=["127.0.0.1", "localhost"])
    assert app.config["TRUSTED_HOSTS"] == ["verhalen.example.nl", "127.0.0.1", "localhost"]
    assert get(app, "/podcast", "127.0.0.1:8000").status_code == 200
    assert get(app, "/podcast", "evil.example").status_code == 400
    monkeypatch.setenv("ARCHIVE_TRUSTED_HOSTS", " 127.0.0.1 , localhost,")
    assert from_environment(Path(app.instance_path))["EXTRA_HOSTS"] == ["127.0.0.1", "localhost"]


def test_without_a_base_url_a_malformed_host_is_refused(demo_app):
    app = demo_app()
    for url in URLS:
        for host in MALFORMED:
            response = get(app, url, host)
            assert response.status_code == 400, (host, url)
            assert response.get_data(as_text=True) == UNTRUSTED_HOST


def test_without_a_base_url_a_well_formed_host_builds_the_urls(demo_app):
    app = demo_app()
    feed = get(app, "/podcast/feed.xml", "podcast.example.org:8080").get_data(as_text=True)
    assert 'url="http://podcast.example.org:8080/media/' in feed
    calendar = get(app, "/campagne/week-2021/week.ics", "[2001:db8::1]:8080")
    assert calendar.status_code == 200
    assert "URL:http://[2001:db8::1]:8080/campagne/week-2021" in calendar.get_data(as_text=True)


@pytest.mark.parametrize(
    "base_url",
    ["verhalen.example.nl", "ftp://verhalen.example.nl", "https://", "https://x.nl/?a=1"],
)
def test_a_base_url_that_is_no_web_address_stops_start_up(app_config, base_url):
    with pytest.raises(ConfigError, match="ARCHIVE_BASE_URL"):
        create_app({**app_config, "BASE_URL": base_url})


def test_hsts_when_the_base_url_is_https(demo_app):
    app = demo_app(BASE_URL=BASE_URL)
    for url in ("/", "/podcast/feed.xml", "/beheer/inloggen"):
        response = get(app, url, "verhalen.example.nl")
        assert response.headers["Strict-Transport-Security"] == HSTS, url


def test_hsts_when_the_request_came_over_https(demo_app):
    app = demo_app()
    response = app.test_client().get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == HSTS


def test_hsts_when_the_proxy_says_https(demo_app):
    app = demo_app(PROXY_FIX=1)
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.9"}
    response = app.test_client().get("/", headers=headers)
    assert response.headers["Strict-Transport-Security"] == HSTS


def test_no_hsts_over_plain_http_without_an_https_base_url(demo_app):
    app = demo_app()
    assert "Strict-Transport-Security" not in app.test_client().get("/").headers
    http_base = demo_app(BASE_URL="http://localhost")
    assert "Strict-Transport-Security" not in http_base.test_client().get("/").headers
