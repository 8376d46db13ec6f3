"""Admins manage editors' accounts: add, change role, deactivate, reset password."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from ...auth import admin_required
from ...editorial import record
from ...models import ROLES, Editor, db
from . import bp
from .forms import EditorAccountForm


@bp.get("/")
def dashboard() -> str:
    from ...models import Episode, Story

    counts = {
        "stories": db.session.scalar(select(db.func.count(Story.id))),
        "episodes": db.session.scalar(select(db.func.count(Episode.id))),
    }
    return render_template("beheer/dashboard.html", counts=counts)


@bp.get("/redacteuren")
@admin_required
def accounts() -> str:
    editors = db.session.scalars(select(Editor).order_by(Editor.display_name)).all()
    return render_template("beheer/accounts.html", editors=editors, roles=ROLES)


@bp.route("/redacteuren/nieuw", methods=["GET", "POST"])
@bp.route("/redacteuren/<int:editor_id>", methods=["GET", "POST"])
@admin_required
def account(editor_id: int | None = None) -> Response | tuple[str, int]:
    editor = db.session.get(Editor, editor_id) if editor_id else None
    if editor_id and editor is None:
        abort(404)
    form = EditorAccountForm(obj=editor)
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        taken = db.session.scalar(select(Editor).where(Editor.email == email))
        if taken is not None and taken is not editor:
            form.email.errors.append("Er is al een account met dit e-mailadres.")
        elif editor is None and not form.password.data:
            form.password.errors.append("Een nieuw account heeft een wachtwoord nodig.")
        elif editor is current_user and (not form.active.data or form.role.data != "admin"):
            form.role.errors.append("Je kunt jezelf geen beheerder-rechten afnemen of uitzetten.")
        else:
            created = editor is None
            editor = editor or Editor(email=email, display_name="", password_hash="")
            editor.email = email
            editor.display_name = form.display_name.data or email
            editor.role = form.role.data or "editor"
            editor.active = bool(form.active.data)
            if form.password.data:
                editor.set_password(form.password.data)
                editor.failed_logins = 0
                editor.locked_until = None
            db.session.add(editor)
            db.session.flush()
            action = "account_created" if created else "account_changed"
            record(current_user, "editor", editor.id, action, editor.email)
            db.session.commit()
            flash(f"Account {editor.email} opgeslagen.")
            return redirect(url_for("editor.accounts"))
    status = 422 if form.is_submitted() else 200
    return render_template("beheer/account.html", form=form, editor=editor), status
