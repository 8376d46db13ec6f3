"""Stories: list, write (Markdown with preview), publish, schedule, withdraw, delete."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from ... import editorial
from ...models import PERSPECTIVES, Episode, Story, db
from ...text import render_markdown
from ..public import render_story
from . import bp
from .common import (
    campaign_choices,
    content_values,
    delete_page,
    fill_form_from,
    filtered_list,
    form_status,
    save_from_form,
    withdraw_page,
)
from .forms import StoryForm, options
from .statistics import item_numbers


def get_story(story_id: int) -> Story:
    return db.session.get(Story, story_id) or abort(404)


@bp.get("/verhalen")
def stories() -> str:
    return render_template(
        "beheer/stories.html", items=filtered_list(Story), perspectives=PERSPECTIVES
    )


def story_form(story: Story | None, **kwargs) -> StoryForm:  # type: ignore[no-untyped-def]
    """The form for ``story``; with ``formdata=None`` the story as it is now."""
    form = StoryForm(obj=story, **kwargs)
    form.campaign_id.choices = campaign_choices()
    episodes = db.session.scalars(select(Episode).order_by(Episode.title))
    form.related_episodes.choices = options((e.id, e.title) for e in episodes)
    if story is not None and ("formdata" in kwargs or not form.is_submitted()):
        fill_form_from(story, form)
        form.related_episodes.data = [e.id for e in story.related_episodes]
    return form


def _values(form: StoryForm) -> dict:
    return {
        **content_values(form),
        "author_name": form.author_name.data or "Anoniem",
        "body": form.body.data or "",
        "related_episodes": form.related_episodes.data or [],
    }


@bp.route("/verhalen/nieuw", methods=["GET", "POST"])
@bp.route("/verhalen/<int:story_id>", methods=["GET", "POST"])
def story(story_id: int | None = None) -> Response | tuple[str, int]:
    item = get_story(story_id) if story_id else None
    form = story_form(item)
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = render_markdown(form.body.data or "")
        else:
            saved = save_from_form(
                "story", story_id, _values(form), form, lambda now: story_form(now, formdata=None)
            )
            if saved is not None:
                flash(f"Verhaal '{saved.title}' opgeslagen.")
                return redirect(url_for("editor.story", story_id=saved.id))
    history = editorial.history(item) if item else []
    numbers = item_numbers("verhaal", item.id) if item else None
    return render_template(
        "beheer/story.html",
        form=form,
        item=item,
        preview=preview,
        history=history,
        numbers=numbers,
    ), form_status(form)


@bp.get("/verhalen/<int:story_id>/voorbeeld")
def story_preview(story_id: int) -> str:
    """The story as visitors would see it, also when it is a draft."""
    return render_story(get_story(story_id), preview=True)


@bp.route("/verhalen/<int:story_id>/offline", methods=["GET", "POST"])
def story_withdraw(story_id: int) -> Response | tuple[str, int]:
    return withdraw_page(get_story(story_id), url_for("editor.story", story_id=story_id))


@bp.route("/verhalen/<int:story_id>/verwijderen", methods=["GET", "POST"])
def story_delete(story_id: int) -> Response | tuple[str, int]:
    story = get_story(story_id)
    return delete_page(story, f"Verhaal '{story.title}' is verwijderd.", url_for("editor.stories"))
