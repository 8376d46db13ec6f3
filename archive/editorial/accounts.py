"""Editors' accounts: create, change, password, sessions and the second factor.

Accounts get history events (no change-log rows: nothing derived follows them).
Every change that should end the editor's sessions gives them a new session
token (:func:`_end_sessions`): logout, a new password, a role change,
deactivation, and switching the second factor on or off.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, func, or_, select, update

from .. import twofactor
from ..models import Editor, RecoveryCode, db, new_session_token, utcnow
from ..text import clean_line
from .unit import Actor, EditorialError, ItemGone, Unit, run

NAME_LENGTH = 120


#: Shown when a change would leave no active admin.
LAST_ADMIN = "Er moet minstens één actieve beheerder blijven. Maak eerst iemand anders beheerder."


def save_account(editor_id: int | None, values: Mapping[str, Any], who: Actor | Any) -> Editor:
    """Create (``editor_id`` None) or change an account.

    ``values``: email, display_name, role, active, password (set only when
    given) and two_factor_off (switches the editor's second factor off).
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
        switch_off = bool(values.get("two_factor_off")) and editor.has_two_factor
        if switch_off:
            _switch_off_two_factor(editor, unit)
        if editor_id is not None and (
            values.get("password") or switch_off or before != (role, active)
        ):
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


def start_two_factor(editor_id: int, who: Actor | Any) -> str:
    """A new secret for the editor to confirm with a first code; returns it."""

    def work(unit: Unit) -> str:
        editor = _load(editor_id)
        if editor.has_two_factor:
            raise EditorialError("Tweestapsverificatie staat al aan.", f"editor {editor_id}")
        editor.totp_secret = twofactor.new_secret()
        return editor.totp_secret

    return run(work, who)


def confirm_two_factor(editor_id: int, code: str, who: Actor | Any) -> list[str]:
    """Switch the second factor on with a first code; returns the recovery codes (shown once).

    Only their hashes are stored. Ends the editor's other sessions.
    """

    def work(unit: Unit) -> list[str]:
        editor = _load(editor_id)
        if editor.has_two_factor:
            raise EditorialError("Tweestapsverificatie staat al aan.", f"editor {editor_id}")
        step = (
            twofactor.matching_step(editor.totp_secret, code, None) if editor.totp_secret else None
        )
        if step is None:
            raise EditorialError(
                "De code klopt niet. Kijk of de tijd op je telefoon goed staat en probeer de "
                "nieuwste code.",
                f"bad first code for editor {editor_id}",
                field="code",
            )
        codes = twofactor.new_recovery_codes()
        editor.totp_confirmed_at = utcnow()
        editor.totp_last_step = step
        editor.recovery_codes = [
            RecoveryCode(code_hash=twofactor.hash_recovery_code(code)) for code in codes
        ]
        _end_sessions(editor)
        unit.record("editor", editor.id, "two_factor_enabled")
        return codes

    return run(work, who)


def disable_two_factor(editor_id: int, who: Actor | Any) -> Editor:
    """Switch the second factor off (the caller checked the password and a code)."""

    def work(unit: Unit) -> Editor:
        editor = _load(editor_id)
        _switch_off_two_factor(editor, unit)
        _end_sessions(editor)
        return editor

    return run(work, who)


def _switch_off_two_factor(editor: Editor, unit: Unit) -> None:
    editor.totp_secret = None
    editor.totp_confirmed_at = None
    editor.totp_last_step = None
    editor.recovery_codes = []
    unit.record("editor", editor.id, "two_factor_disabled")


def use_second_factor(editor_id: int, code: str) -> bool:
    """Accept a current TOTP code or an unused recovery code, once; False if neither.

    Both are taken with a conditional write, so the same code sent twice at
    the same moment is accepted once: a TOTP code must be of a later time step
    than the last one accepted; a recovery code is deleted.
    """

    def work(unit: Unit) -> bool:
        editor = _load(editor_id)
        if not editor.has_two_factor or not editor.totp_secret:
            return False
        if twofactor.is_totp_format(code):
            step = twofactor.matching_step(editor.totp_secret, code, editor.totp_last_step)
            return step is not None and _take_step(editor.id, step)
        for stored in editor.recovery_codes:
            if twofactor.recovery_code_matches(code, stored.code_hash):
                if not _take_recovery_code(stored.id):
                    return False
                left = len(editor.recovery_codes) - 1
                unit.record("editor", editor.id, "recovery_code_used", f"nog {left} over")
                return True
        return False

    return run(work, Actor(editor_id=editor_id))


def _take_step(editor_id: int, step: int) -> bool:
    later = or_(Editor.totp_last_step.is_(None), Editor.totp_last_step < step)
    result = db.session.execute(
        update(Editor).where(Editor.id == editor_id, later).values(totp_last_step=step)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def _take_recovery_code(code_id: int) -> bool:
    result = db.session.execute(delete(RecoveryCode).where(RecoveryCode.id == code_id))
    return result.rowcount == 1  # type: ignore[attr-defined]
