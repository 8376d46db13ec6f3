"""Sessions end on the server's word: a copied cookie stops working, and sessions expire."""

from __future__ import annotations

import time

import pytest
from flask.testing import FlaskClient

from archive.auth import ABSOLUTE_LIFETIME, IDLE_TIMEOUT, LOGIN_AT, SEEN_AT
from archive.models import Editor, db

from .conftest import PASSWORD, log_in, make_editor, post_form


def copy_of(app, client: FlaskClient) -> FlaskClient:  # type: ignore[no-untyped-def]
    """A second browser with a copy of ``client``'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def opens_dashboard(client: FlaskClient) -> bool:
    return client.get("/beheer/").status_code == 200


def end_by_logout(app, editor: Editor, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    post_form(client, "/beheer/uitloggen", {}, form_url="/beheer/")


def end_by_password_change(app, editor: Editor, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    new = "een-nieuw-wachtwoord"
    response = post_form(
        client, "/beheer/wachtwoord", {"current": PASSWORD, "new": new, "repeat": new}
    )
    assert response.status_code == 302
    assert opens_dashboard(client), "the browser that changed it stays logged in"


def _admin_saves(app, editor: Editor, **changes) -> None:  # type: ignore[no-untyped-def]
    admin = make_editor("beheerder@example.org", role="admin")
    admin_client = app.test_client()
    assert log_in(admin_client, admin.email).status_code == 302
    values = {"email": editor.email, "display_name": editor.display_name, "role": editor.role}
    values.update({"active": "y"}, **changes)
    values = {name: value for name, value in values.items() if value is not None}
    url = f"/beheer/redacteuren/{editor.id}"
    assert post_form(admin_client, url, values).status_code == 302


def end_by_deactivation(app, editor: Editor, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    _admin_saves(app, editor, active=None)


def end_by_role_change(app, editor: Editor, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    _admin_saves(app, editor, role="admin")


@pytest.mark.parametrize(
    "end",
    [end_by_logout, end_by_password_change, end_by_deactivation, end_by_role_change],
    ids=["logout", "password change", "deactivation", "role change"],
)
def test_a_copied_cookie_stops_opening_beheer(app, editor_client, editor, end):
    thief = copy_of(app, editor_client)
    assert opens_dashboard(thief)
    end(app, editor, editor_client)
    response = thief.get("/beheer/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/beheer/inloggen")


def _shift(client: FlaskClient, **seconds_ago: int) -> None:
    """Write the session's own timestamps as if they were ``seconds_ago``."""
    with client.session_transaction() as session:
        for key, ago in seconds_ago.items():
            session[key] = int(time.time()) - ago


def test_a_session_ends_after_two_idle_hours(editor_client):
    _shift(editor_client, seen_at=IDLE_TIMEOUT + 1)
    assert editor_client.get("/beheer/").status_code == 302


def test_using_a_session_keeps_it_alive(editor_client):
    _shift(editor_client, seen_at=IDLE_TIMEOUT - 60)
    assert opens_dashboard(editor_client)
    with editor_client.session_transaction() as session:
        assert time.time() - session[SEEN_AT] < 5


def test_a_session_ends_twelve_hours_after_login_however_busy(editor_client):
    _shift(editor_client, login_at=ABSOLUTE_LIFETIME + 1, seen_at=60)
    assert editor_client.get("/beheer/").status_code == 302


def test_an_ended_session_leaves_no_session_behind(editor_client):
    _shift(editor_client, seen_at=IDLE_TIMEOUT + 1)
    editor_client.get("/beheer/")
    with editor_client.session_transaction() as session:
        assert LOGIN_AT not in session and "_user_id" not in session


def test_login_sets_no_remember_me_cookie(client, editor):
    response = log_in(client, editor.email)
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert not any(cookie.startswith("remember_token=") for cookie in cookies)


def test_a_session_without_token_or_login_time_is_refused(app, client, editor):
    """Sessions from before the session token (``_user_id`` = the id alone) are over."""
    with client.session_transaction() as session:
        session["_user_id"] = str(editor.id)
        session[LOGIN_AT] = session[SEEN_AT] = int(time.time())
    assert client.get("/beheer/").status_code == 302
    with client.session_transaction() as session:
        session["_user_id"] = editor.get_id()  # the right token, but no login time
    assert client.get("/beheer/").status_code == 302


def test_a_password_change_through_the_command_line_ends_sessions(app, editor_client, editor):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-editor", editor.email], env={"ARCHIVE_EDITOR_PASSWORD": "nog-een-wachtwoord"}
    )
    assert result.exit_code == 0, result.output
    assert editor_client.get("/beheer/").status_code == 302
    db.session.expire_all()
