"""Editors' accounts: Flask-Login sessions, cookies, CSRF, and the checks at login.

Sessions end on the server's word, not only the browser's:

- Flask-Login's user id is ``"<id>:<session token>"`` (:meth:`Editor.get_id`);
  the editorial writer gives the editor a new token at logout, a password
  change, deactivation, a role change and a change of the second factor, so
  every copy of an older cookie stops working.
- :data:`IDLE_TIMEOUT` and :data:`ABSOLUTE_LIFETIME` are checked on every
  request from the session's own timestamps (in the signed cookie).
- No remember-me cookie is ever set; one presented anyway cannot start a
  session, because it carries no login time.

Login is one or two steps: the password (:func:`authenticate`), then, when
the editor has switched the second factor on, a code (:func:`verify_code`).
Both steps are throttled (:mod:`archive.throttle`).
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort, current_app, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, current_user, login_user
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import select

from . import editorial, throttle
from .errors import ArchiveError
from .models import Editor, db

MIN_PASSWORD_LENGTH = 10
#: A session unused this long (seconds) is over.
IDLE_TIMEOUT = 2 * 60 * 60
#: A session is over this long (seconds) after the login, used or not.
ABSOLUTE_LIFETIME = 12 * 60 * 60
#: Time (seconds) between the right password and the code of the second step.
SECOND_STEP_TIMEOUT = 5 * 60

#: Keys this module keeps in the session.
LOGIN_AT = "login_at"
SEEN_AT = "seen_at"
PENDING = "pending_login"
PENDING_AT = "pending_at"
PENDING_NEXT = "pending_next"

WRONG_CREDENTIALS = "E-mailadres of wachtwoord klopt niet."
WRONG_CODE = "De code klopt niet."

login_manager = LoginManager()
csrf = CSRFProtect()


class LoginRefused(ArchiveError):
    status_code = 401


class Throttled(LoginRefused):
    """Too many attempts: the same answer whether the account exists or not."""

    status_code = 429

    def __init__(self, retry_after: int, cause: str) -> None:
        super().__init__(
            f"Te veel mislukte pogingen. Probeer het over {_wait_label(retry_after)} opnieuw.",
            cause,
        )
        self.retry_after = retry_after


def _wait_label(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return "1 minuut" if minutes == 1 else f"{minutes} minuten"


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, ``Secure`` whenever the request came over https.

    Decided per request (``request.is_secure`` follows ProxyFix's
    ``X-Forwarded-Proto``), not only from ``ARCHIVE_BASE_URL``.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        configured = bool(app.config["SESSION_COOKIE_SECURE"])
        return configured or (has_request_context() and request.is_secure)


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
    app.session_interface = SessionInterface()
    # CSRF is checked by the editors' blueprint after its login check (so a request
    # without a session is redirected to the login page, not refused with 400).
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    login_manager.init_app(app)
    login_manager.login_view = "editor.login"
    login_manager.session_protection = "strong"
    csrf.init_app(app)
    throttle.init_app(app)


def _editor_by_id(user_id: object) -> Editor | None:
    """The active editor named by ``"<id>:<token>"`` if the token is still theirs."""
    editor_id, _, token = str(user_id or "").partition(":")
    if not editor_id.isdigit() or not token:
        return None
    editor = db.session.get(Editor, int(editor_id))
    if editor is None or not editor.active:
        return None
    return editor if hmac.compare_digest(editor.session_token, token) else None


def _within_lifetime(now: float) -> bool:
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if not isinstance(login_at, int | float) or not isinstance(seen_at, int | float):
        return False
    return now - seen_at <= IDLE_TIMEOUT and now - login_at <= ABSOLUTE_LIFETIME


@login_manager.user_loader
def load_editor(user_id: str) -> Editor | None:
    """The session's editor, if the session is still valid (token, idle and absolute time)."""
    now = time.time()
    editor = _editor_by_id(user_id)
    if editor is None or not _within_lifetime(now):
        session.clear()  # an ended session leaves nothing behind
        return None
    session[SEEN_AT] = int(now)
    return editor


def start_session(editor: Editor) -> None:
    """Log ``editor`` in: a new session with its own login time."""
    session.clear()
    login_user(editor)
    session[LOGIN_AT] = session[SEEN_AT] = int(time.time())


def keep_session(editor: Editor) -> None:
    """After the editor's own change gave them a new token: this browser stays logged in."""
    login_user(editor)


# A hash to check against when the e-mail is unknown or the attempt is throttled,
# so that every failed attempt takes as long as a real check.
_DUMMY = Editor(email="", display_name="", role="editor")
_DUMMY.set_password("not a real password")


def authenticate(email: str, password: str) -> Editor:
    """The active editor with these credentials; raises LoginRefused (Dutch message).

    Unknown e-mail, wrong password and an inactive account give the same
    answer; a throttled attempt gives the same :class:`Throttled` answer
    whatever the account and the password. All take one password check's time.
    """
    email = email.strip().lower()
    editor = db.session.scalar(select(Editor).where(Editor.email == email))
    address = throttle.client_address()
    epoch = str(editor.throttle_epoch) if editor is not None else "-"
    per_account: throttle.Counter = ("password", (email, epoch, address))
    wait = throttle.attempt(per_account, ("address", (address,)))
    if wait is not None:
        _DUMMY.check_password(password)
        raise Throttled(wait, f"throttled login {email} from {address}")
    if editor is None:
        _DUMMY.check_password(password)
        raise LoginRefused(WRONG_CREDENTIALS, "unknown e-mail")
    if not editor.check_password(password) or not editor.active:
        raise LoginRefused(WRONG_CREDENTIALS, f"bad password {email}")
    throttle.forget(per_account)
    return editor


def begin_second_step(editor: Editor, next_url: str) -> None:
    """The password was right; remember who is halfway (no one is logged in yet)."""
    session.clear()
    session[PENDING] = editor.get_id()
    session[PENDING_AT] = int(time.time())
    session[PENDING_NEXT] = next_url


def pending_editor() -> Editor | None:
    """The editor halfway through logging in, if the first step is recent enough."""
    started = session.get(PENDING_AT)
    if not isinstance(started, int) or time.time() - started > SECOND_STEP_TIMEOUT:
        return None
    return _editor_by_id(session.get(PENDING))


def verify_code(editor: Editor, code: str) -> None:
    """Accept a TOTP code or an unused recovery code of ``editor`` (throttled), or raise."""
    address = throttle.client_address()
    account = (str(editor.id), str(editor.throttle_epoch))
    per_account: tuple[throttle.Counter, ...] = (
        ("code", (*account, address)),
        ("account_code", account),
    )
    wait = throttle.attempt(*per_account, ("address", (address,)))
    if wait is not None:
        raise Throttled(wait, f"throttled code for {editor.email} from {address}")
    if not editorial.use_second_factor(editor.id, code):
        raise LoginRefused(WRONG_CODE, f"bad code for {editor.email}")
    throttle.forget(*per_account)


def two_factor_required(editor: Editor) -> bool:
    """Whether ``ARCHIVE_REQUIRE_2FA`` makes the second factor compulsory for ``editor``."""
    return bool(current_app.config.get("REQUIRE_2FA")) and editor.is_admin


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """For admin-only views: editors get 403 (login is enforced by the blueprint)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
