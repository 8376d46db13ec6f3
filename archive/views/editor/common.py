"""What stories and episodes share in the editors' area: content fields and publication."""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, request
from flask_login import current_user
from sqlalchemy import or_, select
from werkzeug.wrappers import Response

from ... import editorial
from ...models import (
    Campaign,
    Editor,
    Episode,
    Story,
    db,
    get_or_create_tags,
    slug_is_taken,
    slugify,
    suggest_slug,
    utcnow,
)

Item = Story | Episode

#: List filter value -> SQL condition (status column values plus "scheduled").
STATUS_FILTERS = {
    "draft": lambda model: model.status == "draft",
    "scheduled": lambda model: (model.status == "published") & (model.published_at > utcnow()),
    "published": lambda model: model.public_clause(),
}


def campaign_choices() -> list:
    from .forms import options

    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.starts_on.desc()))
    return options([(0, "— geen —"), *((c.id, c.name) for c in campaigns)])


def fill_form_from(item: Item, form) -> None:  # type: ignore[no-untyped-def]
    """Put an item's values into a form on GET (what obj= cannot map by itself)."""
    form.tags.data = ", ".join(tag.name for tag in item.tags)
    form.campaign_id.data = item.campaign_id or 0
    form.perspective.data = item.perspective or ""
    form.embargo_until.data = _naive_local(item.embargo_until)
    if item.status == "published" and item.published_at and item.published_at > utcnow():
        form.publication.data = "schedule"
        form.scheduled_at.data = _naive_local(item.published_at)
    else:
        form.publication.data = "now" if item.status == "published" else "draft"


def _naive_local(moment: datetime | None) -> datetime | None:
    local = editorial.to_local(moment)
    return local.replace(tzinfo=None) if local else None


def apply_content(item: Item, form) -> bool:  # type: ignore[no-untyped-def]
    """Copy the shared fields; False (with a form error) when the slug is taken."""
    model = type(item)
    wanted = form.slug.data or item.slug or slugify(form.title.data or "")
    if slug_is_taken(model, wanted, item.id):
        free = suggest_slug(model, wanted, item.id)
        form.slug.errors.append(f"Het adres '{wanted}' is al in gebruik. Vrij is: '{free}'.")
        return False
    item.slug = wanted
    item.title = (form.title.data or "").strip()
    item.summary = (form.summary.data or "").strip()
    item.perspective = form.perspective.data or None
    item.content_note = (form.content_note.data or "").strip()
    item.campaign_id = form.campaign_id.data or None
    item.tags = get_or_create_tags((form.tags.data or "").split(","))
    item.embargo_until = editorial.from_local(form.embargo_until.data)
    return True


def commit_with_publication(item: Item, form, editor: Editor, created: bool) -> None:  # type: ignore[no-untyped-def]
    """Save, publish now, schedule, or put back to draft, as the form says."""
    choice = form.publication.data
    if choice == "now":
        keep = item.is_public and item.published_at  # an edit keeps the original date
        editorial.publish(item, editor, item.published_at if keep else None)
    elif choice == "schedule":
        editorial.publish(item, editor, editorial.from_local(form.scheduled_at.data))
    else:
        if item.status == "published":
            item.status = "draft"
        editorial.save(item, editor, "created" if created else "changed")


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
    """Errors from validation or added afterwards (slug taken, embargo ...)."""
    return bool(form.form_errors) or any(field.errors for field in form)


def withdraw_page(item: Item, back_url: str) -> Response | tuple[str, int]:
    """Ask for the reason, then take ``item`` offline at once (site, feed, search)."""
    from .forms import WithdrawForm

    form = WithdrawForm()
    if form.validate_on_submit():
        reason = form.reason.data or ""
        if form.on_request.data:
            reason = f"Op verzoek van de verteller: {reason}"
        editorial.withdraw(item, current_user, reason)
        flash(f"'{item.title}' is offline gehaald.")
        return redirect(back_url)
    status = 422 if form.is_submitted() else 200
    return render_template("beheer/withdraw.html", form=form, item=item), status


def delete_page(item: Item, done: str, list_url: str) -> Response | tuple[str, int]:
    """Ask for confirmation, then delete ``item`` (and, for an episode, its files)."""
    from .forms import ConfirmForm

    form = ConfirmForm()
    if form.validate_on_submit():
        editorial.delete(item, current_user)
        flash(done)
        return redirect(list_url)
    status = 422 if form.is_submitted() else 200
    return render_template("beheer/delete.html", form=form, item=item), status
