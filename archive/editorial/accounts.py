"""Editors' accounts: create, change, password and sessions.

Accounts get history events (no change-log rows: nothing derived follows them).
Every change that should end the editor's sessions gives them a new session
token (:func:`_end_sessions`): logout, a new password, a role change and
deactivation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from ..models import Editor, db, new_session_token
from ..text import clean_line
from .unit import Actor, EditorialError, ItemGone, Unit, run

NAME_LENGTH = 120


#: Shown when a change would leave no active admin.
LAST_ADMIN = "Er moet minstens één actieve beheerder blijven. Maak eerst iemand anders beheerder."


def save_account(editor_id: int | None, values: Mapping[str, Any], who: Actor | Any) -> Editor:
    """Create (``editor_id`` None) or change an account.

    ``values``: email, display_name, role, active and password (set only when
    given).
    Refuses an e-mail address another account has, and a change that would
    leave no active admin. A new password, role or active state ends the
    editor's sessions.
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
        before = (editor.role, editor.active)
        role = values.get("role") or editor.role or "editor"
        active = bool(values.get("active", True))
        if _is_active_admin(*before) and not _is_active_admin(role, active):
            _lock_admins()
        editor.email = email
        editor.display_name = clean_line(values.get("display_name") or "", NAME_LENGTH) or email
        editor.role = role
        editor.active = active
        if values.get("password"):
            editor.set_password(values["password"])
        if editor_id is not None and (values.get("password") or before != (role, active)):
            _end_sessions(editor)
        db.session.flush()
        if _is_active_admin(*before) and not _is_active_admin(role, active):
            _check_an_admin_remains()
        action = "account_created" if editor_id is None else "account_changed"
        unit.record("editor", editor.id, action, editor.email)
        return editor

    return run(work, who)


def _is_active_admin(role: str | None, active: bool | None) -> bool:
    return role == "admin" and bool(active)


def _lock_admins() -> None:
    """Take the active admins' rows before one of them stops being one.

    On PostgreSQL the row locks make two admins who demote each other at the
    same moment wait for one another, so the second sees the first's change;
    SQLite has one writer at a time, and the check runs after this
    transaction's own write (:func:`_check_an_admin_remains`).
    """
    db.session.execute(
        select(Editor.id).where(Editor.role == "admin", Editor.active.is_(True)).with_for_update()
    )


def _check_an_admin_remains() -> None:
    remaining = db.session.scalar(
        select(func.count(Editor.id)).where(Editor.role == "admin", Editor.active.is_(True))
    )
    if not remaining:
        raise EditorialError(LAST_ADMIN, "no active admin would remain", field="role")


def _load(editor_id: int) -> Editor:
    editor = db.session.get(Editor, editor_id)
    if editor is None:
        raise ItemGone("Dit account bestaat niet.", f"editor {editor_id}")
    return editor


def _end_sessions(editor: Editor) -> None:
    """A new session token: every session that carries the old one is over."""
    editor.session_token = new_session_token()


def change_password(editor_id: int, password: str, who: Actor | Any) -> Editor:
    """A new password; ends every session of the editor (the caller may renew its own)."""

    def work(unit: Unit) -> Editor:
        editor = _load(editor_id)
        editor.set_password(password)
        _end_sessions(editor)
        unit.record("editor", editor.id, "password_changed")
        return editor

    return run(work, who)


def end_sessions(editor_id: int, who: Actor | Any) -> None:
    """Log the editor out everywhere (the logout button)."""

    def work(unit: Unit) -> None:
        _end_sessions(_load(editor_id))

    run(work, who)


def create_or_reset(
    email: str, password: str, display_name: str | None, admin: bool, who: Actor
) -> tuple[Editor, bool]:
    """For ``flask create-editor``: a new active account, or a new password for one.

    Also forgets the account's failed logins (a new throttle epoch) and ends
    its sessions.
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
        _end_sessions(editor)
        db.session.flush()
        unit.record("editor", editor.id, "account_created" if created else "password_changed")
        return editor, created

    return run(work, who)
