"""Fixtures for the editors' area: accounts, logged-in clients and CSRF tokens."""

from __future__ import annotations

import re

import lxml.html
import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient

from archive.models import Editor, db

PASSWORD = "een-goed-wachtwoord"
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production.

    Flask's test client reuses an app context the test holds (our ``ctx``
    fixture), which would share ``g`` (and so Flask-Login's cached user)
    between requests and between clients.
    """

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture(autouse=True)
def isolated_clients(app) -> None:
    app.test_client_class = IsolatedClient


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token from the form at ``url`` (as a browser would send it back)."""
    page = client.get(url).get_data(as_text=True)
    match = _TOKEN.search(page)
    assert match, f"no CSRF token in the form at {url}"
    return match.group(1)


def post_form(client: FlaskClient, url: str, data: dict, form_url: str | None = None, **kwargs):
    """POST ``data`` with a valid CSRF token taken from ``form_url`` (default: ``url``)."""
    data = {**data, "csrf_token": csrf_token(client, form_url or url)}
    return client.post(url, data=data, **kwargs)


def make_editor(email: str, role: str = "editor", active: bool = True) -> Editor:
    editor = Editor(email=email, display_name=email.split("@")[0], role=role, active=active)
    editor.set_password(PASSWORD)
    db.session.add(editor)
    db.session.commit()
    return editor


def log_in(client: FlaskClient, email: str, password: str = PASSWORD):
    return post_form(client, "/beheer/inloggen", {"email": email, "password": password})


@pytest.fixture
def editor(ctx) -> Editor:
    return make_editor("redacteur@example.org")


@pytest.fixture
def admin(ctx) -> Editor:
    return make_editor("beheerder@example.org", role="admin")


@pytest.fixture
def editor_client(client: FlaskClient, editor: Editor) -> FlaskClient:
    response = log_in(client, editor.email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def admin_client(app, admin: Editor) -> FlaskClient:
    client = app.test_client()
    assert log_in(client, admin.email).status_code == 302
    return client


def form_fields(page: str, field: str = "title") -> dict:
    """What a browser would send for the form on ``page`` that has ``field``, unchanged."""
    for form in lxml.html.fromstring(page).forms:
        if field in form.inputs:
            values: dict = {}
            for name, value in form.form_values():
                values.setdefault(name, value)
            # A browser strips the one line break HTML puts after <textarea>.
            return {k: v.removeprefix("\r\n").removeprefix("\n") for k, v in values.items()}
    raise AssertionError(f"no form with {field!r}")
