"""The agenda and the editions in ``/beheer``: events (create, change, cancel) and campaigns."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from ... import agenda, editorial
from ...localtime import from_local, local_midnight, to_local
from ...models import Campaign, Event, db
from . import bp
from .common import campaign_choices, form_status, show_conflict
from .forms import CampaignForm, CancelEventForm, EventForm


def get_event(event_id: int) -> Event:
    return db.session.get(Event, event_id) or abort(404)


def get_campaign(campaign_id: int) -> Campaign:
    return db.session.get(Campaign, campaign_id) or abort(404)


@bp.get("/agenda")
def events() -> str:
    items = db.session.scalars(select(Event).order_by(Event.starts_at.desc())).all()
    return render_template("beheer/events.html", items=items, when=agenda.when_label)


def _clock(value: str | None) -> time | None:
    if not value:
        return None
    hours, minutes = (int(part) for part in value.split(":"))
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes)


def _moments(form: EventForm) -> tuple[datetime, datetime] | None:
    """Start and end as UTC from the form; None (with a field error) when incomplete."""
    first: date = form.starts_on.data
    last: date = form.ends_on.data
    if form.all_day.data:
        return local_midnight(first), local_midnight(last + timedelta(days=1))
    start, end = _clock(form.starts_time.data), _clock(form.ends_time.data)
    if start is None:
        form.starts_time.errors.append("Vul een begintijd in, of kies 'Hele dag(en)'.")
    if end is None:
        form.ends_time.errors.append("Vul een eindtijd in, of kies 'Hele dag(en)'.")
    if start is None or end is None:
        return None
    starts_at = from_local(datetime.combine(first, start))
    ends_at = from_local(datetime.combine(last, end))
    assert starts_at is not None and ends_at is not None
    return starts_at, ends_at


def _fill(form: EventForm, event: Event) -> None:
    start, end = to_local(event.starts_at), to_local(event.ends_at)
    assert start is not None and end is not None
    form.starts_on.data = start.date()
    if event.all_day:
        form.ends_on.data = agenda.last_day(event.ends_at)
        form.starts_time.data = form.ends_time.data = ""
    else:
        form.ends_on.data = end.date()
        form.starts_time.data, form.ends_time.data = f"{start:%H:%M}", f"{end:%H:%M}"
    form.campaign_id.data = event.campaign_id or 0
    form.version.data = str(event.version)


def event_form(event: Event | None, **kwargs: Any) -> EventForm:
    form = EventForm(obj=event, **kwargs)
    form.campaign_id.choices = campaign_choices()
    if event is not None and ("formdata" in kwargs or not form.is_submitted()):
        _fill(form, event)
    return form


def _values(form: EventForm, moments: tuple[datetime, datetime]) -> dict[str, Any]:
    return {
        "title": form.title.data or "",
        "slug": (form.slug.data or "").strip() or None,
        "starts_at": moments[0],
        "ends_at": moments[1],
        "all_day": bool(form.all_day.data),
        "place_kind": form.place_kind.data,
        "place": form.place.data or "",
        "online_url": (form.online_url.data or "").strip(),
        "organiser": form.organiser.data or "",
        "description": form.description.data or "",
        "registration_url": (form.registration_url.data or "").strip(),
        "campaign_id": form.campaign_id.data or None,
    }


def _save(event_id: int | None, form: EventForm) -> Event | None:
    moments = _moments(form)
    if moments is None:
        return None
    try:
        return editorial.save_event(
            event_id, _values(form, moments), current_user, version=form.opened_version
        )
    except editorial.EditConflict as conflict:
        show_conflict(form, conflict, lambda now: event_form(now, formdata=None))
    except editorial.EditorialError as error:
        field = getattr(form, error.field or "", None) or form.title
        field.errors.append(error.message)
    return None


@bp.route("/agenda/nieuw", methods=["GET", "POST"])
@bp.route("/agenda/<int:event_id>", methods=["GET", "POST"])
def event(event_id: int | None = None) -> Response | tuple[str, int]:
    item = get_event(event_id) if event_id else None
    form = event_form(item)
    if form.validate_on_submit():
        saved = _save(event_id, form)
        if saved is not None:
            flash(f"Activiteit '{saved.title}' opgeslagen.")
            return redirect(url_for("editor.event", event_id=saved.id))
    history = editorial.history(item) if item else []
    page = render_template("beheer/event.html", form=form, item=item, history=history)
    return page, form_status(form)


@bp.route("/agenda/<int:event_id>/afgelasten", methods=["GET", "POST"])
def event_cancel(event_id: int) -> Response | tuple[str, int]:
    item = get_event(event_id)
    form = CancelEventForm()
    if not form.is_submitted():
        form.version.data = str(item.version)
    elif form.validate():
        try:
            editorial.cancel_event(
                item.id, form.message.data or "", current_user, version=form.opened_version
            )
        except editorial.EditConflict as conflict:
            form.conflict = conflict
            form.version.data = str(conflict.version)
        else:
            flash(f"'{item.title}' is afgelast; de agenda en de agenda-bestanden zeggen het.")
            return redirect(url_for("editor.event", event_id=item.id))
    return render_template("beheer/event_cancel.html", form=form, item=item), form_status(form)


@bp.get("/edities")
def campaigns() -> str:
    return render_template("beheer/campaigns.html", items=Campaign.editions())


@bp.route("/edities/nieuw", methods=["GET", "POST"])
@bp.route("/edities/<int:campaign_id>", methods=["GET", "POST"])
def campaign(campaign_id: int | None = None) -> Response | tuple[str, int]:
    item = get_campaign(campaign_id) if campaign_id else None
    form = CampaignForm(obj=item)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in (
            "name", "theme", "starts_on", "ends_on", "location", "introduction"
        )}  # fmt: skip
        values["slug"] = (form.slug.data or "").strip() or None
        try:
            saved = editorial.save_campaign(campaign_id, values, current_user)
        except editorial.EditorialError as error:
            (getattr(form, error.field or "", None) or form.name).errors.append(error.message)
        else:
            flash(f"Editie '{saved.name}' opgeslagen.")
            return redirect(url_for("editor.campaign", campaign_id=saved.id))
    page = render_template("beheer/campaign.html", form=form, item=item)
    return page, form_status(form)
