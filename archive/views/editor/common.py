"""What stories and episodes share in the editors' area: values, publication, conflicts.

Views turn a form into plain values and call :mod:`archive.editorial`; errors
come back as form errors and a conflict (someone saved in between) is shown
beside the editor's own input, which stays in the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import flash, redirect, render_template, request
from flask_login import current_user
from sqlalchemy import or_, select
from werkzeug.wrappers import Response
from wtforms import Field

from ... import editorial
from ...localtime import from_local, to_local
from ...models import Campaign, Episode, Story, db, utcnow
from .forms import ConfirmForm, WithdrawForm, options

Item = Story | Episode

#: List filter value -> SQL condition (status column values plus "scheduled").
STATUS_FILTERS = {
    "draft": lambda model: model.status == "draft",
    "scheduled": lambda model: (model.status == "published") & (model.published_at > utcnow()),
    "published": lambda model: model.public_clause(),
}
#: Field types a conflict does not compare (buttons, files, tokens).
NOT_COMPARED = {"SubmitField", "FileField", "CSRFTokenField", "HiddenField"}


@dataclass(frozen=True)
class Difference:
    label: str
    theirs: str
    yours: str


def campaign_choices() -> list:
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.starts_on.desc()))
    return options([(0, "— geen —"), *((c.id, c.name) for c in campaigns)])


def fill_form_from(item: Item, form) -> None:  # type: ignore[no-untyped-def]
    """Put an item's values into a form (what obj= cannot map by itself)."""
    form.tags.data = ", ".join(tag.name for tag in item.tags)
    form.campaign_id.data = item.campaign_id or 0
    form.perspective.data = item.perspective or ""
    form.embargo_until.data = _naive_local(item.embargo_until)
    form.version.data = str(item.version)
    if item.is_scheduled:
        form.publication.data = "schedule"
        form.scheduled_at.data = _naive_local(item.published_at)
    else:
        form.publication.data = "now" if item.status == "published" else "draft"


def _naive_local(moment: datetime | None) -> datetime | None:
    local = to_local(moment)
    return local.replace(tzinfo=None) if local else None


def content_values(form) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The fields stories and episodes share, as editorial values."""
    return {
        "title": form.title.data or "",
        "slug": (form.slug.data or "").strip() or None,
        "summary": (form.summary.data or "").strip(),
        "perspective": form.perspective.data or None,
        "content_note": (form.content_note.data or "").strip(),
        "campaign_id": form.campaign_id.data or None,
        "tags": (form.tags.data or "").split(","),
        "embargo_until": from_local(form.embargo_until.data),
    }


def publication_of(form) -> editorial.Publication:  # type: ignore[no-untyped-def]
    choice = form.publication.data
    if choice == "now":
        return editorial.NOW
    if choice == "schedule":
        return editorial.Publication("at", from_local(form.scheduled_at.data))
    return editorial.DRAFT


def save_from_form(
    kind: str,
    item_id: int | None,
    values: dict[str, Any],
    form,
    fresh_form,  # type: ignore[no-untyped-def]
) -> Item | None:
    """Save through editorial; None (and errors on ``form``) when it was refused.

    ``fresh_form(item)`` makes the form of the item as it is now, to show what
    differs when someone else saved in between.
    """
    try:
        return editorial.save(
            kind,
            item_id,
            values,
            current_user,
            version=form.opened_version if item_id is not None else None,
            publication=publication_of(form),
        )
    except editorial.EditConflict as conflict:
        show_conflict(form, conflict, fresh_form)
    except editorial.EditorialError as error:
        field = getattr(form, error.field or "", None) or form.publication
        field.errors.append(error.message)
    return None


def show_conflict(form, conflict: editorial.EditConflict, fresh_form) -> None:  # type: ignore[no-untyped-def]
    """Keep the editor's input, list what differs, and let a second save go through."""
    db.session.expire_all()
    item = db.session.get(editorial.VERSIONED_MODELS[conflict.kind], conflict.item_id)
    form.conflict = conflict
    form.differences = differences(form, fresh_form(item)) if item is not None else []
    form.version.data = str(conflict.version)


def _shown(field: Field) -> str:
    if field.type in ("SelectField", "RadioField"):
        labels = {str(value): label for value, label, *_ in field.iter_choices()}
        return str(labels.get(str(field.data), field.data or ""))
    if field.type == "SelectMultipleField":
        labels = {str(value): label for value, label, *_ in field.iter_choices()}
        return ", ".join(str(labels.get(str(value), value)) for value in field.data or [])
    if field.type == "BooleanField":
        return "ja" if field.data else "nee"
    data = field.data
    if isinstance(data, datetime):
        return f"{data:%d-%m-%Y %H:%M}"
    return str(data or "").replace("\r\n", "\n").strip()


def differences(yours, theirs) -> list[Difference]:  # type: ignore[no-untyped-def]
    """The fields whose value in the editor's form differs from the item as it is now."""
    rows = []
    for field in yours:
        if field.type in NOT_COMPARED or field.name not in theirs:
            continue
        mine, current = _shown(field), _shown(theirs[field.name])
        if mine != current:
            rows.append(Difference(str(field.label.text), current, mine))
    return rows


def filtered_list(model: type[Item]):  # type: ignore[no-untyped-def]
    """The editors' list query from ?q=, ?status=, ?perspectief=."""
    query = select(model).order_by(model.updated_at.desc())
    text = request.args.get("q", "").strip()
    if text:
        pattern = f"%{text}%"
        query = query.where(or_(model.title.ilike(pattern), model.slug.ilike(pattern)))
    status = request.args.get("status", "")
    if status in STATUS_FILTERS:
        query = query.where(STATUS_FILTERS[status](model))
    perspective = request.args.get("perspectief", "")
    if perspective:
        query = query.where(model.perspective == perspective)
    return db.session.scalars(query).all()


def has_errors(form) -> bool:  # type: ignore[no-untyped-def]
    """Errors from validation or added afterwards (slug taken, embargo, conflict ...)."""
    return (
        bool(form.form_errors)
        or any(field.errors for field in form)
        or getattr(form, "conflict", None) is not None
    )


def form_status(form) -> int:  # type: ignore[no-untyped-def]
    """200 for a form shown, 409 for a conflict, 422 for refused input."""
    if getattr(form, "conflict", None) is not None:
        return 409
    return 422 if has_errors(form) else 200


def _confirmed_action(item: Item, form, template: str, act) -> Response | tuple[str, int]:  # type: ignore[no-untyped-def]
    if not form.is_submitted():
        form.version.data = str(item.version)
    elif form.validate():
        try:
            return act(form)
        except editorial.EditConflict as conflict:
            form.conflict = conflict
            form.version.data = str(conflict.version)
            db.session.expire_all()
            return render_template(template, form=form, item=item), 409
    return render_template(template, form=form, item=item), form_status(form)


def withdraw_page(item: Item, back_url: str) -> Response | tuple[str, int]:
    """Ask for the reason, then take ``item`` offline at once (site, feed, search)."""

    def act(form) -> Response:  # type: ignore[no-untyped-def]
        reason = form.reason.data or ""
        if form.on_request.data:
            reason = f"Op verzoek van de verteller: {reason}"
        title = item.title
        editorial.withdraw(item.kind, item.id, reason, current_user, form.opened_version)
        flash(f"'{title}' is offline gehaald.")
        return redirect(back_url)

    return _confirmed_action(item, WithdrawForm(), "beheer/withdraw.html", act)


def delete_page(item: Item, done: str, list_url: str) -> Response | tuple[str, int]:
    """Ask for confirmation, then delete ``item`` (and, for an episode, its files)."""

    def act(form) -> Response:  # type: ignore[no-untyped-def]
        editorial.delete(item.kind, item.id, current_user, form.opened_version)
        flash(done)
        return redirect(list_url)

    return _confirmed_action(item, ConfirmForm(), "beheer/delete.html", act)
