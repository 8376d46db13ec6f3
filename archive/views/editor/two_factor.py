"""An editor's own second factor: set it up (QR code, first code, recovery codes) or off."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ... import editorial, twofactor
from ...auth import LoginRefused, keep_session, two_factor_required, verify_code
from ...models import Editor
from . import bp
from .forms import ConfirmTwoFactorForm, StartTwoFactorForm, TwoFactorOffForm

#: Admins may not switch it off while ``ARCHIVE_REQUIRE_2FA`` is set.
REQUIRED_FOR_ADMINS = "Voor beheerders is tweestapsverificatie verplicht."


def _page(confirm: ConfirmTwoFactorForm | None = None, off: TwoFactorOffForm | None = None) -> str:
    editor: Editor = current_user._get_current_object()
    setup = None
    if not editor.has_two_factor and editor.totp_secret:
        uri = twofactor.provisioning_uri(editor.totp_secret, editor.email)
        setup = {"qr": twofactor.qr_svg(uri), "secret": twofactor.grouped(editor.totp_secret)}
    return render_template(
        "beheer/two_factor.html",
        editor=editor,
        setup=setup,
        start=StartTwoFactorForm(),
        confirm=confirm or ConfirmTwoFactorForm(),
        off=off or TwoFactorOffForm(),
    )


@bp.get("/tweestapsverificatie")
def two_factor() -> str:
    return _page()


@bp.post("/tweestapsverificatie/instellen")
def two_factor_start() -> Response:
    if StartTwoFactorForm().validate_on_submit():
        editorial.start_two_factor(current_user.id, current_user)
    return redirect(url_for("editor.two_factor"))


@bp.post("/tweestapsverificatie/bevestigen")
def two_factor_confirm() -> tuple[str, int] | str:
    form = ConfirmTwoFactorForm()
    if form.validate_on_submit():
        try:
            codes = editorial.confirm_two_factor(
                current_user.id, form.code.data or "", current_user
            )
        except editorial.EditorialError as error:
            form.code.errors.append(error.message)
        else:
            keep_session(current_user._get_current_object())
            return render_template("beheer/recovery_codes.html", codes=codes)
    return _page(confirm=form), 422


@bp.post("/tweestapsverificatie/uitzetten")
def two_factor_off() -> Response | tuple[str, int]:
    form = TwoFactorOffForm()
    if form.validate_on_submit():
        editor: Editor = current_user._get_current_object()
        if two_factor_required(editor):
            form.form_errors.append(REQUIRED_FOR_ADMINS)
        elif not editor.check_password(form.password.data or ""):
            form.password.errors.append("Het wachtwoord klopt niet.")
        else:
            try:
                verify_code(editor, form.code.data or "")
            except LoginRefused as refused:
                form.code.errors.append(refused.message)
            else:
                keep_session(editorial.disable_two_factor(editor.id, editor))
                flash("Tweestapsverificatie staat uit. Je bent op andere apparaten uitgelogd.")
                return redirect(url_for("editor.two_factor"))
    return _page(off=form), 422
