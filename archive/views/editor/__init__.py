"""The editors' area under ``/beheer``.

Every route of this blueprint requires a logged-in, active editor: the check is
a ``before_request`` on the blueprint, so a new route cannot forget it.
Admin-only routes add :func:`archive.auth.admin_required` (403 for editors).
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

from ...auth import csrf, two_factor_required
from ...editorial import ACTIONS, actor_name
from ...errors import ArchiveError
from ...localtime import local_label
from ...text import clock

bp = Blueprint("editor", __name__, url_prefix="/beheer")

#: Endpoints reachable without logging in.
PUBLIC_ENDPOINTS = {"editor.login", "editor.login_code"}
#: What an admin who must set up the second factor may still reach (ARCHIVE_REQUIRE_2FA).
SETUP_ENDPOINTS = {
    "editor.two_factor",
    "editor.two_factor_start",
    "editor.two_factor_confirm",
    "editor.logout",
}


@bp.before_request
def require_login():  # type: ignore[no-untyped-def]
    """Login first, then the second factor where required, then CSRF.

    A visitor without a session is sent to the login page without getting a
    cookie: the "log in first" message travels in the URL, not the session.
    """
    if request.endpoint in PUBLIC_ENDPOINTS:
        csrf.protect()
        return None
    if not current_user.is_authenticated:
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("editor.login", next=target))
    if (
        two_factor_required(current_user)
        and not current_user.has_two_factor
        and request.endpoint not in SETUP_ENDPOINTS
    ):
        return redirect(url_for("editor.two_factor"))
    csrf.protect()
    return None


@bp.after_request
def no_store(response):  # type: ignore[no-untyped-def]
    """Editors' pages hold drafts: never cached by the browser or a proxy."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):  # type: ignore[no-untyped-def]
    message = f"Het bestand is groter dan de limiet van {current_app.config['MAX_UPLOAD_MB']} MB."
    return render_template("beheer/error.html", message=message), 413


@bp.errorhandler(CSRFError)
def csrf_failed(error):  # type: ignore[no-untyped-def]
    message = (
        "Het formulier is verlopen of ongeldig. Laad de pagina opnieuw en probeer het nog eens."
    )
    return render_template("beheer/error.html", message=message), 400


@bp.errorhandler(ArchiveError)
def archive_error(error: ArchiveError):  # type: ignore[no-untyped-def]
    return render_template("beheer/error.html", message=error.message), error.status_code


@bp.app_template_filter("local_datetime")
def local_datetime(moment) -> str:  # type: ignore[no-untyped-def]
    """Dutch local date and time, e.g. ``15-11-2021 08:00``."""
    return local_label(moment)


@bp.app_template_filter("hms")
def hms(seconds: float | None) -> str:
    """A duration as ``m:ss`` or ``u:mm:ss``."""
    if not seconds:
        return "onbekend"
    return clock(seconds, round)


@bp.app_template_filter("action_label")
def action_label(action: str) -> str:
    """The Dutch label of an audit action (a filter, so imported macros see it too)."""
    return ACTIONS.get(action, action)


@bp.app_template_filter("actor_name")
def actor_label(event) -> str:  # type: ignore[no-untyped-def]
    """Who did a history event: the editor's name, or "de opdrachtregel", "een import" ..."""
    return actor_name(event)


from . import (  # noqa: E402, F401
    accounts,
    agenda,
    episodes,
    feeds,
    persons,
    session,
    statistics,
    stories,
    two_factor,
)
