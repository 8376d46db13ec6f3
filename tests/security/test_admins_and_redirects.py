"""The last active admin stays one; after login, ``next=`` only ever leads into /beheer."""

from __future__ import annotations

import threading

import pytest
from live import Browser, serve
from sqlalchemy import select

from archive import editorial
from archive.models import Editor, db

from .conftest import PASSWORD, csrf_token, make_editor, post_form

LAST_ADMIN = "Er moet minstens één actieve beheerder blijven."


def account_form(editor: Editor, **changes) -> dict:  # type: ignore[no-untyped-def]
    values = {
        "email": editor.email,
        "display_name": editor.display_name,
        "role": editor.role,
        "active": "y",
    }
    values.update(changes)
    return {name: value for name, value in values.items() if value is not None}


@pytest.mark.parametrize(
    "changes", [{"role": "editor"}, {"active": None}], ids=["demote", "deactivate"]
)
def test_the_last_active_admin_cannot_step_down(admin_client, admin, changes):
    url = f"/beheer/redacteuren/{admin.id}"
    response = post_form(admin_client, url, account_form(admin, **changes))
    assert response.status_code == 422
    assert LAST_ADMIN in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.role == "admin" and admin.active


def test_an_inactive_admin_does_not_count(admin_client, admin):
    make_editor("slapend@example.org", role="admin", active=False)
    url = f"/beheer/redacteuren/{admin.id}"
    response = post_form(admin_client, url, account_form(admin, role="editor"))
    assert response.status_code == 422 and LAST_ADMIN in response.get_data(as_text=True)


def test_an_admin_may_step_down_while_another_active_admin_remains(admin_client, admin):
    make_editor("tweede@example.org", role="admin")
    url = f"/beheer/redacteuren/{admin.id}"
    assert post_form(admin_client, url, account_form(admin, role="editor")).status_code == 302
    db.session.refresh(admin)
    assert admin.role == "editor"
    assert admin_client.get("/beheer/").status_code == 302  # a role change ends the session


def test_the_writer_itself_refuses_to_remove_the_last_admin(admin):
    with pytest.raises(editorial.EditorialError, match="minstens één actieve beheerder"):
        editorial.save_account(
            admin.id,
            {"email": admin.email, "display_name": "B", "role": "admin", "active": False},
            admin,
        )


def _demote_each_other(base: str, ids: dict[str, int]) -> list[str]:
    """Both admins, logged in, send "make the other an editor" at the same moment.

    Each answer is "saved", "refused" (the rule, inside the transaction) or
    "logged out" (the other's change came first and ended this admin's session).
    """
    first, second = ids
    other = {first: second, second: first}
    browsers = {email: Browser(base) for email in ids}
    for email, browser in browsers.items():
        browser.log_in(email, PASSWORD)
        browser.page(f"/beheer/redacteuren/{ids[other[email]]}")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def demote(email: str) -> None:
        target = other[email]
        data = {"email": target, "display_name": target, "role": "editor", "active": "y"}
        barrier.wait(timeout=30)
        response = browsers[email].submit(f"/beheer/redacteuren/{ids[target]}", data)
        location = response.headers.get("Location", "")
        outcomes.append(
            "saved"
            if location.endswith("/beheer/redacteuren")
            else "refused"
            if response.status_code == 422 and LAST_ADMIN in response.text
            else "logged out"
            if "/beheer/inloggen" in location or response.status_code == 403
            else f"{response.status_code} {location}"
        )

    threads = [threading.Thread(target=demote, args=(email,)) for email in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def test_two_admins_demoting_each_other_at_once_leave_one_admin(app_config, ctx):
    """Real parallel requests (gunicorn workers): the check is inside the transaction."""
    ids = {
        editor.email: editor.id
        for editor in (
            make_editor("eerste@example.org", role="admin"),
            make_editor("tweede@example.org", role="admin"),
        )
    }
    with serve(app_config, workers=4) as base:
        for _ in range(8):
            outcomes = _demote_each_other(base, ids)
            assert outcomes in (["refused", "saved"], ["logged out", "saved"]), outcomes
            db.session.expire_all()
            admins = db.session.scalars(
                select(Editor).where(Editor.role == "admin", Editor.active.is_(True))
            ).all()
            assert len(admins) == 1
            for editor in db.session.scalars(select(Editor)):  # both admins again
                editor.role = "admin"
            db.session.commit()


HOSTILE_NEXT = [
    "https://kwaad.example/",
    "//kwaad.example/beheer",
    "/beheer\r\nX-Kwaad: ja",
    "/beheer/\r\nLocation: https://kwaad.example",
    "/\\kwaad.example",
    "\\\\kwaad.example",
    "/beheer\\..\\..\\kwaad",
    "/beheer/../../",
    "/beheer/%2e%2e/hulp",
    "/beheerder",
    "javascript:alert(1)",
    "/beheer@kwaad.example",
    "beheer/verhalen",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_next_outside_beheer_goes_to_the_dashboard(client, editor, target):
    token = csrf_token(client, "/beheer/inloggen")
    data = {"email": editor.email, "password": PASSWORD, "csrf_token": token}
    response = client.post("/beheer/inloggen", query_string={"next": target}, data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/beheer/"


def test_next_inside_beheer_is_followed(client, editor):
    token = csrf_token(client, "/beheer/inloggen")
    data = {"email": editor.email, "password": PASSWORD, "csrf_token": token}
    response = client.post("/beheer/inloggen?next=/beheer/verhalen?pagina=2", data=data)
    assert response.headers["Location"] == "/beheer/verhalen?pagina=2"


def test_a_crlf_in_next_on_the_login_page_is_no_error(client, ctx):
    assert (
        client.get("/beheer/inloggen", query_string={"next": "/beheer\r\nX: y"}).status_code == 200
    )
