"""Who speaks in an episode: map the transcript's voices to persons; withdraw a name."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ... import editorial
from ...editorial.persons import PERSON_FIELDS
from ...models import PERSON_ROLES, SPEAKER_PERSPECTIVES, Episode
from ...text import voices
from . import bp
from .episodes import get_episode
from .forms import PersonsForm, WithdrawNameForm

#: Empty rows offered for persons the transcript does not name (a credited host, say).
EXTRA_ROWS = 1


def _rows(episode: Episode) -> list[dict[str, Any]]:
    """The form's rows: the persons, then each voice no person has yet, then empty rows."""
    rows: list[dict[str, Any]] = [
        {
            "id": p.id, "voice": p.voice, "name": p.name, "role": p.role,
            "perspective": p.perspective, "href": p.href, "img": p.img,
            "consent": bool(p.href or p.img), "withdrawn": p.name_withdrawn,
        }
        for p in episode.persons
    ]  # fmt: skip
    mapped = {p.voice for p in episode.persons}
    for voice in voices(episode.transcript_cues()):
        if voice not in mapped:
            rows.append({"voice": voice, "name": voice, "role": "guest"})
    rows.extend({} for _ in range(EXTRA_ROWS))
    return rows


def _posted_rows() -> list[dict[str, Any]]:
    count = min(int(request.form.get("rows", "0") or 0), 100)
    return [
        {name: request.form.get(f"person-{n}-{name}", "") for name in PERSON_FIELDS}
        for n in range(count)
    ]


def _page(episode: Episode, form: PersonsForm, rows: list[dict[str, Any]], error: str = ""):  # type: ignore[no-untyped-def]
    return render_template(
        "beheer/persons.html",
        item=episode,
        form=form,
        rows=rows,
        roles=PERSON_ROLES,
        perspectives=SPEAKER_PERSPECTIVES,
        found=voices(episode.transcript_cues()),
        withdraw=WithdrawNameForm(version=str(episode.version)),
        error=error,
    )


@bp.route("/afleveringen/<int:episode_id>/sprekers", methods=["GET", "POST"])
def episode_persons(episode_id: int) -> Response | str | tuple[str, int]:
    """The persons of an episode: name shown, role, perspective, link and picture with consent."""
    item = get_episode(episode_id)
    form = PersonsForm()
    if not form.is_submitted():
        form.version.data = str(item.version)
        return _page(item, form, _rows(item))
    rows = _posted_rows()
    if form.validate():
        try:
            editorial.save_persons(item.id, rows, current_user, version=form.opened_version)
        except editorial.EditorialError as error:
            # Refused input (a field's error) is 422, as on every other form.
            status = 422 if error.field else error.status_code
            return _page(item, form, rows, error.message), status
        flash("Sprekers opgeslagen.")
        return redirect(url_for("editor.episode_persons", episode_id=item.id))
    return _page(item, form, rows, "Het formulier is verlopen; probeer het opnieuw."), 400


@bp.post("/afleveringen/<int:episode_id>/sprekers/<int:person_id>/intrekken")
def person_withdraw_name(episode_id: int, person_id: int) -> Response | tuple[str, int]:
    """The storyteller withdraws their name: shown as a neutral label from now on."""
    item = get_episode(episode_id)
    form = WithdrawNameForm()
    if not form.validate():
        message = " ".join(form.label.errors) or "Het formulier is verlopen; probeer het opnieuw."
        return render_template("beheer/error.html", message=message), 422
    try:
        editorial.withdraw_name(
            item.id, person_id, current_user, label=form.label.data, version=form.opened_version
        )
    except editorial.EditorialError as error:
        return render_template("beheer/error.html", message=error.message), error.status_code
    flash("De naam is ingetrokken; overal staat nu de neutrale naam.")
    return redirect(url_for("editor.episode_persons", episode_id=item.id))
