"""Logging in (password, then the code when the editor has one) and out; one's own password."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response

from ... import editorial
from ...auth import (
    PENDING_NEXT,
    LoginRefused,
    authenticate,
    begin_second_step,
    keep_session,
    pending_editor,
    start_session,
    verify_code,
)
from . import bp
from .forms import CodeForm, LoginForm, PasswordForm

#: Query parameter of the login URL -> the notice shown above the form. The notices
#: travel in the URL, not as flashed messages: flashing writes the session, and an
#: anonymous visitor must not get a cookie before the login form.
LOGIN_NOTICES: dict[str, str] = {
    "next": "Log in om deze pagina te zien.",
    "uitgelogd": "Je bent uitgelogd.",
    "verlopen": "Het inloggen duurde te lang. Begin opnieuw.",
}

#: Characters a ``next=`` target may hold: no controls, spaces, backslashes or quotes.
_SAFE_TARGET = re.compile(r"^[A-Za-z0-9/_.~%?=&+,;:@!$'()*-]*$")


def safe_next(target: str | None) -> str:
    """``target`` if it is a local path under ``/beheer``, else the dashboard."""
    dashboard = url_for("editor.dashboard")
    if not target or not _SAFE_TARGET.match(target):
        return dashboard
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return dashboard
    segments = unquote(parts.path).split("/")
    if segments[:2] != ["", "beheer"] or any(s in (".", "..") for s in segments):
        return dashboard
    return target


def _notices() -> list[str]:
    return [notice for name, notice in LOGIN_NOTICES.items() if name in request.args]


def _refused(template: str, form, refused: LoginRefused) -> tuple[str, int, dict]:  # type: ignore[no-untyped-def]
    form.form_errors.append(refused.message)
    retry_after = getattr(refused, "retry_after", None)
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    return render_template(template, form=form, notices=[]), refused.status_code, headers


@bp.route("/inloggen", methods=["GET", "POST"])
def login() -> Response | tuple[str, int] | tuple[str, int, dict] | str:
    if current_user.is_authenticated:
        return redirect(url_for("editor.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            editor = authenticate(form.email.data or "", form.password.data or "")
        except LoginRefused as refused:
            return _refused("beheer/login.html", form, refused)
        target = safe_next(request.args.get("next"))
        if editor.has_two_factor:
            begin_second_step(editor, target)
            return redirect(url_for("editor.login_code"))
        start_session(editor)
        return redirect(target)
    status = 422 if form.is_submitted() else 200
    return render_template("beheer/login.html", form=form, notices=_notices()), status


@bp.route("/inloggen/code", methods=["GET", "POST"])
def login_code() -> Response | tuple[str, int] | tuple[str, int, dict] | str:
    """The second step: a code from the authenticator app, or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("editor.dashboard"))
    editor = pending_editor()
    if editor is None:
        session.clear()
        return redirect(url_for("editor.login", verlopen=1))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            verify_code(editor, form.code.data or "")
        except LoginRefused as refused:
            return _refused("beheer/login_code.html", form, refused)
        target = safe_next(session.get(PENDING_NEXT))
        start_session(editor)
        return redirect(target)
    status = 422 if form.is_submitted() else 200
    return render_template("beheer/login_code.html", form=form, notices=[]), status


@bp.post("/uitloggen")
def logout() -> Response:
    """Ends every session of this editor (a new session token), then this one's cookie."""
    editorial.end_sessions(current_user.id, current_user)
    logout_user()
    session.clear()
    return redirect(url_for("editor.login", uitgelogd=1))


@bp.route("/wachtwoord", methods=["GET", "POST"])
@login_required
def password() -> Response | tuple[str, int]:
    form = PasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data or ""):
            form.current.errors.append("Het huidige wachtwoord klopt niet.")
        else:
            editor = editorial.change_password(current_user.id, form.new.data or "", current_user)
            keep_session(editor)
            flash("Je wachtwoord is gewijzigd. Je bent op andere apparaten uitgelogd.")
            return redirect(url_for("editor.dashboard"))
    status = 422 if form.is_submitted() else 200
    return render_template("beheer/password.html", form=form), status
