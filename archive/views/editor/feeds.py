"""Importing a podcast from its feed, from ``/beheer`` (admins): start it, then follow it."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, url_for
from werkzeug.wrappers import Response

from ...auth import admin_required
from ...importing.jobs import RUNNING, read_job, start_job
from . import bp
from .forms import FeedImportForm


@bp.route("/importeren", methods=["GET", "POST"])
@admin_required
def feed_import() -> Response | str:
    form = FeedImportForm()
    if form.validate_on_submit():
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        job_id = start_job(app, form.url.data.strip())
        return redirect(url_for("editor.feed_import_status", job_id=job_id))
    return render_template("beheer/feed_import.html", form=form)


@bp.get("/importeren/<job_id>")
@admin_required
def feed_import_status(job_id: str) -> str:
    status = read_job(current_app, job_id)  # type: ignore[arg-type]
    if status is None:
        abort(404)
    return render_template("beheer/feed_import_status.html", status=status, running=RUNNING)
