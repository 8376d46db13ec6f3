"""Admins manage editors' accounts: add, change role, deactivate, reset password."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from ... import editorial
from ...auth import admin_required, keep_session
from ...models import ROLES, Editor, db
from . import bp
from .forms import EditorAccountForm


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
        values = {
            "email": form.email.data or "",
            "display_name": form.display_name.data or "",
            "role": form.role.data or "editor",
            "active": bool(form.active.data),
            "password": form.password.data or None,
            "two_factor_off": bool(form.two_factor_off.data),
        }
        try:
            saved = editorial.save_account(editor_id, values, current_user)
        except editorial.EditorialError as error:
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            # Changing one's own account ends one's other sessions; this one stays
            # while its owner is still an active admin (a role change logs out).
            if saved.id == current_user.id and saved.active and saved.is_admin:
                keep_session(saved)
            flash(f"Account {saved.email} opgeslagen.")
            return redirect(url_for("editor.accounts"))
    status = 422 if form.is_submitted() else 200
    return render_template("beheer/account.html", form=form, editor=editor), status
