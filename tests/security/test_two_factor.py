"""Two-factor sign-in: set-up with a QR code and recovery codes, the second step, switching off."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from editor.conftest import IsolatedClient
from sqlalchemy import select

from archive import create_app, database
from archive.models import AuditEvent, Editor, RecoveryCode, db
from archive.twofactor import RECOVERY_CODE_COUNT

from .conftest import PASSWORD, log_in, make_editor, post_form

PAGE = "/beheer/tweestapsverificatie"
CODE_STEP = "/beheer/inloggen/code"
_SECRET = re.compile(r'<code id="totp-secret">([A-Z2-7 ]+)</code>')
_RECOVERY = re.compile(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>")


def set_up(client) -> tuple[pyotp.TOTP, list[str]]:  # type: ignore[no-untyped-def]
    """Switch the second factor on as an editor would; returns their app and recovery codes."""
    assert post_form(client, f"{PAGE}/instellen", {}, form_url=PAGE).status_code == 302
    page = client.get(PAGE).get_data(as_text=True)
    totp = pyotp.TOTP(_SECRET.search(page).group(1).replace(" ", ""))
    response = post_form(client, f"{PAGE}/bevestigen", {"code": totp.now()}, form_url=PAGE)
    assert response.status_code == 200, response.get_data(as_text=True)
    return totp, _RECOVERY.findall(response.get_data(as_text=True))


def fresh_code(totp: pyotp.TOTP) -> str:
    """A code the server accepts that set-up has not used: the next step's (clock drift)."""
    return totp.at(time.time() + totp.interval)


@pytest.fixture
def two_factor_editor(app, editor, editor_client):  # type: ignore[no-untyped-def]
    totp, codes = set_up(editor_client)
    return editor, totp, codes


def second_step(client, code: str):  # type: ignore[no-untyped-def]
    return post_form(client, CODE_STEP, {"code": code})


def test_setup_page_shows_the_qr_code_inline_and_the_secret_as_text(editor_client):
    post_form(editor_client, f"{PAGE}/instellen", {}, form_url=PAGE)
    response = editor_client.get(PAGE)
    page = response.get_data(as_text=True)
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "<path" in svg and "style=" not in svg and "<script" not in svg
    assert "http" not in svg.replace("http://www.w3.org", "")
    assert _SECRET.search(page)
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy


def test_confirming_shows_ten_recovery_codes_once_and_stores_only_hashes(editor_client, editor):
    _, codes = set_up(editor_client)
    assert len(set(codes)) == RECOVERY_CODE_COUNT == 10
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert not any(code in hashed for code in codes for hashed in stored)
    assert not any(code in editor_client.get(PAGE).get_data(as_text=True) for code in codes)


def test_a_wrong_first_code_does_not_switch_it_on(editor_client, editor):
    post_form(editor_client, f"{PAGE}/instellen", {}, form_url=PAGE)
    response = post_form(editor_client, f"{PAGE}/bevestigen", {"code": "000000"}, form_url=PAGE)
    assert response.status_code == 422 and "De code klopt niet" in response.get_data(as_text=True)
    db.session.refresh(editor)
    assert not editor.has_two_factor


def test_login_asks_for_the_code_after_the_password(app, two_factor_editor):
    editor, totp, _ = two_factor_editor
    client = app.test_client()
    response = log_in(client, editor.email)
    assert response.headers["Location"] == CODE_STEP
    assert client.get("/beheer/").status_code == 302  # not logged in yet
    assert second_step(client, "123456").status_code == 401
    assert second_step(client, fresh_code(totp)).status_code == 302
    assert client.get("/beheer/").status_code == 200


def test_a_totp_code_works_once(app, two_factor_editor):
    editor, totp, _ = two_factor_editor
    first, second = app.test_client(), app.test_client()
    code = fresh_code(totp)
    log_in(first, editor.email)
    log_in(second, editor.email)
    assert second_step(first, code).status_code == 302
    assert second_step(second, code).status_code == 401


def test_a_recovery_code_works_once(app, two_factor_editor):
    editor, _, codes = two_factor_editor
    client = app.test_client()
    log_in(client, editor.email)
    assert second_step(client, codes[0].upper().replace("-", " ")).status_code == 302
    other = app.test_client()
    log_in(other, editor.email)
    response = second_step(other, codes[0])
    assert response.status_code == 401 and "De code klopt niet." in response.get_data(as_text=True)
    assert len(db.session.scalars(select(RecoveryCode)).all()) == 9


def test_the_second_step_is_throttled(app, two_factor_editor):
    editor, _, _ = two_factor_editor
    client = app.test_client()
    log_in(client, editor.email)
    answers = [second_step(client, "000000").status_code for _ in range(6)]
    assert answers == [401] * 5 + [429]


def test_the_second_step_expires_without_a_password(app, two_factor_editor):
    client = app.test_client()
    response = client.get(CODE_STEP)
    assert response.status_code == 302 and "/beheer/inloggen" in response.headers["Location"]


def test_switching_off_needs_the_password_and_a_current_code(app, two_factor_editor):
    editor, totp, codes = two_factor_editor
    client = app.test_client()
    log_in(client, editor.email)
    assert second_step(client, codes[0]).status_code == 302
    wrong = post_form(
        client, f"{PAGE}/uitzetten", {"password": "fout", "code": totp.now()}, form_url=PAGE
    )
    assert wrong.status_code == 422
    no_code = post_form(
        client, f"{PAGE}/uitzetten", {"password": PASSWORD, "code": "000000"}, form_url=PAGE
    )
    assert no_code.status_code == 422
    db.session.refresh(editor)
    assert editor.has_two_factor
    off = post_form(
        client, f"{PAGE}/uitzetten", {"password": PASSWORD, "code": fresh_code(totp)}, PAGE
    )
    assert off.status_code == 302
    db.session.refresh(editor)
    assert not editor.has_two_factor and editor.recovery_codes == []
    assert log_in(app.test_client(), editor.email).headers["Location"] == "/beheer/"


def test_switching_on_ends_the_editors_other_sessions(app, editor, editor_client):
    other = app.test_client()
    log_in(other, editor.email)
    set_up(editor_client)
    assert other.get("/beheer/").status_code == 302
    assert editor_client.get("/beheer/").status_code == 200


def test_every_change_is_in_the_history(app, two_factor_editor):
    editor, _, codes = two_factor_editor
    client = app.test_client()
    log_in(client, editor.email)
    second_step(client, codes[1])
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.item_kind == "editor").order_by(AuditEvent.id)
    ).all()
    assert actions[-2:] == ["two_factor_enabled", "recovery_code_used"]


@pytest.fixture
def strict_app(app_config):  # type: ignore[no-untyped-def]
    app = create_app({**app_config, "REQUIRE_2FA": True})
    with app.app_context():
        database.upgrade()
        yield app
        db.engine.dispose()


def test_required_2fa_sends_an_admin_to_the_setup_page_until_done(strict_app):
    strict_app.test_client_class = IsolatedClient
    admin = make_editor("beheerder@example.org", role="admin")
    client = strict_app.test_client()
    assert log_in(client, admin.email).status_code == 302
    for url in ("/beheer/", "/beheer/verhalen", "/beheer/redacteuren", "/beheer/wachtwoord"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"] == PAGE, url
    set_up(client)
    assert client.get("/beheer/redacteuren").status_code == 200
    refused = post_form(client, f"{PAGE}/uitzetten", {"password": PASSWORD, "code": "1"}, PAGE)
    assert "Voor beheerders is tweestapsverificatie verplicht." in refused.get_data(as_text=True)


def test_required_2fa_leaves_editors_free(strict_app):
    strict_app.test_client_class = IsolatedClient
    editor = make_editor("redacteur@example.org")
    client = strict_app.test_client()
    log_in(client, editor.email)
    assert client.get("/beheer/").status_code == 200


def test_an_admin_can_switch_off_a_lost_phones_second_factor(app, two_factor_editor, admin):
    editor, _, _ = two_factor_editor
    admin_client = app.test_client()
    log_in(admin_client, admin.email)
    data = {
        "email": editor.email,
        "display_name": editor.display_name,
        "role": "editor",
        "active": "y",
        "two_factor_off": "y",
    }
    assert post_form(admin_client, f"/beheer/redacteuren/{editor.id}", data).status_code == 302
    db.session.refresh(editor)
    assert not editor.has_two_factor
    assert db.session.scalar(select(Editor.totp_secret).where(Editor.id == editor.id)) is None
