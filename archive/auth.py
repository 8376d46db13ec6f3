"""Editors' accounts: Flask-Login sessions, CSRF, password checks and login throttling."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import select

from .editorial import note_failed_login, note_login
from .errors import ArchiveError
from .models import Editor, db, utcnow

MIN_PASSWORD_LENGTH = 10

login_manager = LoginManager()
csrf = CSRFProtect()


class LoginRefused(ArchiveError):
    status_code = 401


def init_app(app: Flask) -> None:
    https = str(app.config.get("BASE_URL") or "").startswith("https://")
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=https,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=https,
    )
    # CSRF is checked by the editors' blueprint after its login check (so a request
    # without a session is redirected to the login page, not refused with 400).
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    login_manager.init_app(app)
    login_manager.login_view = "editor.login"
    login_manager.login_message = "Log in om deze pagina te zien."
    login_manager.session_protection = "strong"
    csrf.init_app(app)


@login_manager.user_loader
def load_editor(editor_id: str) -> Editor | None:
    editor = db.session.get(Editor, int(editor_id)) if editor_id.isdigit() else None
    return editor if editor is not None and editor.active else None


# A hash to check against when the e-mail is unknown, so both cases take as long.
_DUMMY = Editor(email="", display_name="", role="editor")
_DUMMY.set_password("not a real password")


def authenticate(email: str, password: str) -> Editor:
    """The active editor with these credentials; raises LoginRefused (Dutch message)."""
    editor = db.session.scalar(select(Editor).where(Editor.email == email.strip().lower()))
    now = utcnow()
    if editor is not None and editor.locked_until and editor.locked_until > now:
        raise LoginRefused(
            "Te veel mislukte pogingen. Probeer het over een kwartier opnieuw.",
            f"locked account {editor.email}",
        )
    if editor is None:
        _DUMMY.check_password(password)
        raise LoginRefused("E-mailadres of wachtwoord klopt niet.", "unknown e-mail")
    if not editor.check_password(password) or not editor.active:
        note_failed_login(editor.id)
        raise LoginRefused("E-mailadres of wachtwoord klopt niet.", f"bad password {email}")
    note_login(editor.id)
    return editor


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """For admin-only views: editors get 403 (login is enforced by the blueprint)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
