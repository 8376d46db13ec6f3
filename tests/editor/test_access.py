"""Who may reach what in /beheer: login for every route, admins only for accounts, CSRF."""

import pytest
from werkzeug.routing import Rule

from archive.models import db
from archive.views.editor import PUBLIC_ENDPOINTS

from .conftest import PASSWORD, csrf_token, log_in, make_editor, post_form


def editor_routes(app) -> list[tuple[str, str]]:
    """Every (method, URL) of the editors' blueprint, with 1 for each id."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("editor.") or rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = _build(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, url))
    return routes


def _build(rule: Rule) -> str:
    return (
        rule.rule.replace("<int:story_id>", "1")
        .replace("<int:episode_id>", "1")
        .replace("<int:editor_id>", "1")
        .replace("<int:event_id>", "1")
        .replace("<int:campaign_id>", "1")
        .replace("<int:person_id>", "1")
    )


def test_the_route_table_is_not_empty(app):
    assert len(editor_routes(app)) >= 20


def test_every_editor_route_redirects_to_login_without_a_session(app, client, ctx):
    for method, url in editor_routes(app):
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url, response.status_code)
        assert response.headers["Location"].startswith("/beheer/inloggen"), (method, url)


@pytest.mark.parametrize(
    "url", ["/beheer/redacteuren", "/beheer/redacteuren/nieuw", "/beheer/redacteuren/1"]
)
def test_an_editor_cannot_reach_admin_pages(editor_client, url):
    assert editor_client.get(url).status_code == 403


def test_an_admin_can_reach_admin_pages(admin_client):
    assert admin_client.get("/beheer/redacteuren").status_code == 200


def test_login_with_wrong_password_is_refused_in_dutch(client, editor):
    response = log_in(client, editor.email, "fout-wachtwoord")
    assert response.status_code == 401
    assert "E-mailadres of wachtwoord klopt niet." in response.get_data(as_text=True)
    assert client.get("/beheer/").status_code == 302


def test_unknown_email_gets_the_same_message(client, ctx):
    response = log_in(client, "niemand@example.org")
    assert response.status_code == 401
    assert "E-mailadres of wachtwoord klopt niet." in response.get_data(as_text=True)


def test_deactivated_editor_cannot_log_in(client, ctx):
    editor = make_editor("oud@example.org", active=False)
    assert log_in(client, editor.email).status_code == 401


def test_login_redirects_only_to_editor_pages(client, editor):
    token = csrf_token(client, "/beheer/inloggen")
    data = {"email": editor.email, "password": PASSWORD, "csrf_token": token}
    evil = client.post("/beheer/inloggen?next=https://kwaad.example/", data=data)
    assert evil.headers["Location"] == "/beheer/"


def test_session_cookie_is_httponly_and_samesite_lax(client, editor):
    response = log_in(client, editor.email)
    cookies = response.headers.getlist("Set-Cookie")
    session = next(cookie for cookie in cookies if cookie.startswith("session="))
    assert "HttpOnly" in session and "SameSite=Lax" in session


def test_session_cookie_is_secure_behind_https(app_config, ctx):
    from archive import create_app

    app = create_app({**app_config, "BASE_URL": "https://verhalen.example.nl"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_login_with_a_nul_character_is_an_ordinary_refusal(client, editor):
    response = log_in(client, editor.email + "\x00")
    assert response.status_code == 401
    assert "klopt niet" in response.get_data(as_text=True)


def test_form_without_csrf_token_gets_400(client, editor):
    response = client.post("/beheer/inloggen", data={"email": editor.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "formulier is verlopen" in response.get_data(as_text=True)


def test_editor_changes_own_password(editor_client, editor):
    response = post_form(
        editor_client,
        "/beheer/wachtwoord",
        {"current": PASSWORD, "new": "nieuw-en-lang-genoeg", "repeat": "nieuw-en-lang-genoeg"},
    )
    assert response.status_code == 302
    db.session.refresh(editor)
    assert editor.check_password("nieuw-en-lang-genoeg")


def test_password_change_needs_the_current_password(editor_client, editor):
    response = post_form(
        editor_client,
        "/beheer/wachtwoord",
        {"current": "fout", "new": "nieuw-en-lang-genoeg", "repeat": "nieuw-en-lang-genoeg"},
    )
    assert response.status_code == 422
    assert "huidige wachtwoord klopt niet" in response.get_data(as_text=True)


def test_admin_adds_deactivates_and_resets_editors(admin_client, app, ctx):
    from archive.models import Editor

    added = post_form(
        admin_client,
        "/beheer/redacteuren/nieuw",
        {
            "email": "nieuw@example.org",
            "display_name": "Nieuw",
            "role": "editor",
            "password": "startwachtwoord",
            "active": "y",
        },
    )
    assert added.status_code == 302
    new = db.session.scalar(db.select(Editor).where(Editor.email == "nieuw@example.org"))
    other = app.test_client()
    assert log_in(other, new.email, "startwachtwoord").status_code == 302

    url = f"/beheer/redacteuren/{new.id}"
    post_form(
        admin_client,
        url,
        {
            "email": new.email,
            "display_name": "Nieuw",
            "role": "editor",
            "password": "gereset-wachtwoord",
        },
    )
    db.session.refresh(new)
    assert not new.active and new.check_password("gereset-wachtwoord")
    assert other.get("/beheer/").status_code == 302  # a deactivated session is over


def test_logout_ends_the_session(editor_client):
    response = post_form(editor_client, "/beheer/uitloggen", {}, form_url="/beheer/")
    assert response.status_code == 302
    assert editor_client.get("/beheer/").status_code == 302
