"""Cookies: none for visitors, none for an anonymous visit to /beheer, Secure over https."""

from __future__ import annotations

import pytest

from archive import create_app
from archive.models import db
from archive.views.editor import PUBLIC_ENDPOINTS

from .conftest import log_in

PUBLIC_PAGES = ["/", "/verhalen", "/podcast", "/hulp", "/zoeken?q=school", "/podcast/feed.xml"]


def editor_urls(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Every (method, URL) of the editors' area except the login steps, ids filled with 1."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("editor.") or rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<int:{name}>", "1")
        found += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


def test_an_anonymous_visit_to_any_beheer_page_sets_no_cookie(app, client, ctx):
    urls = editor_urls(app)
    assert len(urls) >= 20
    for method, url in urls:
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert "Set-Cookie" not in response.headers, (method, url)


def test_the_login_page_says_why_the_visitor_was_sent_there(client, ctx):
    response = client.get("/beheer/verhalen")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Log in om deze pagina te zien." in page


def test_logging_out_removes_the_session_cookie(editor_client):
    token_page = editor_client.get("/beheer/").get_data(as_text=True)
    token = token_page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = editor_client.post("/beheer/uitloggen", data={"csrf_token": token})
    assert response.status_code == 302
    assert not editor_client.get_cookie("session")
    assert "Je bent uitgelogd." in editor_client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def _session_cookie(response) -> str:  # type: ignore[no-untyped-def]
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))


def test_session_cookie_is_secure_over_https(client, editor):
    response = client.get("/beheer/inloggen", base_url="https://localhost")
    assert "Secure" in _session_cookie(response)


def test_session_cookie_is_secure_behind_a_proxy_that_says_https(app_config, ctx):
    app = create_app({**app_config, "PROXY_FIX": 1})
    response = app.test_client().get(
        "/beheer/inloggen", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.9"}
    )
    assert "Secure" in _session_cookie(response)
    with app.app_context():
        db.engine.dispose()


def test_session_cookie_is_not_secure_over_plain_http_without_https_base_url(client, editor):
    response = log_in(client, editor.email)
    cookie = _session_cookie(response)
    assert "Secure" not in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_visitors_get_no_cookies(client, demo, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert "Set-Cookie" not in response.headers
