"""Editors' accounts: create, change and password.

Accounts get history events (no change-log rows: nothing derived follows them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from ..models import Editor, db
from ..text import clean_line
from .unit import Actor, EditorialError, ItemGone, Unit, run

NAME_LENGTH = 120


def save_account(editor_id: int | None, values: Mapping[str, Any], who: Actor | Any) -> Editor:
    """Create (``editor_id`` None) or change an account.

    ``values``: email, display_name, role, active, and password (set only when
    given). Refuses an e-mail address another account has.
    """

    def work(unit: Unit) -> Editor:
        editor = _load(editor_id) if editor_id is not None else None
        email = str(values["email"]).strip().lower()
        taken = db.session.scalar(select(Editor).where(Editor.email == email))
        if taken is not None and taken is not editor:
            raise EditorialError("Er is al een account met dit e-mailadres.", email, field="email")
        if editor is None:
            if not values.get("password"):
                raise EditorialError(
                    "Een nieuw account heeft een wachtwoord nodig.", field="password"
                )
            editor = Editor(email=email, display_name="", password_hash="")
            db.session.add(editor)
        editor.email = email
        editor.display_name = clean_line(values.get("display_name") or "", NAME_LENGTH) or email
        editor.role = values.get("role") or editor.role or "editor"
        editor.active = bool(values.get("active", True))
        if values.get("password"):
            editor.set_password(values["password"])
        db.session.flush()
        action = "account_created" if editor_id is None else "account_changed"
        unit.record("editor", editor.id, action, editor.email)
        return editor

    return run(work, who)


def _load(editor_id: int) -> Editor:
    editor = db.session.get(Editor, editor_id)
    if editor is None:
        raise ItemGone("Dit account bestaat niet.", f"editor {editor_id}")
    return editor


def change_password(editor_id: int, password: str, who: Actor | Any) -> None:
    def work(unit: Unit) -> None:
        editor = _load(editor_id)
        editor.set_password(password)
        unit.record("editor", editor.id, "password_changed")

    run(work, who)


def create_or_reset(
    email: str, password: str, display_name: str | None, admin: bool, who: Actor
) -> tuple[Editor, bool]:
    """For ``flask create-editor``: a new active account, or a new password for one.

    Also forgets the account's failed logins (a new throttle epoch).
    """
    email = email.strip().lower()

    def work(unit: Unit) -> tuple[Editor, bool]:
        editor = db.session.scalar(select(Editor).where(Editor.email == email))
        created = editor is None
        if editor is None:
            editor = Editor(email=email, display_name=email.split("@")[0], role="editor")
            db.session.add(editor)
        if display_name:
            editor.display_name = clean_line(display_name, NAME_LENGTH)
        if admin:
            editor.role = "admin"
        editor.active = True
        editor.set_password(password)
        editor.throttle_epoch = (editor.throttle_epoch or 0) + 1
        db.session.flush()
        unit.record("editor", editor.id, "account_created" if created else "password_changed")
        return editor, created

    return run(work, who)
