"""Stories: list, write (Markdown with preview), publish, schedule, withdraw, delete."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from ... import editorial
from ...models import PERSPECTIVES, Episode, Story, db
from ...text import render_markdown
from . import bp
from .common import (
    apply_content,
    campaign_choices,
    commit_with_publication,
    delete_page,
    fill_form_from,
    filtered_list,
    has_errors,
    withdraw_page,
)
from .forms import StoryForm, options


def get_story(story_id: int) -> Story:
    return db.session.get(Story, story_id) or abort(404)


@bp.get("/verhalen")
def stories() -> str:
    return render_template(
        "beheer/stories.html", items=filtered_list(Story), perspectives=PERSPECTIVES
    )


def _story_form(story: Story | None) -> StoryForm:
    form = StoryForm(obj=story)
    form.campaign_id.choices = campaign_choices()
    episodes = db.session.scalars(select(Episode).order_by(Episode.title))
    form.related_episodes.choices = options((e.id, e.title) for e in episodes)
    if story is not None and not form.is_submitted():
        fill_form_from(story, form)
        form.related_episodes.data = [e.id for e in story.related_episodes]
    return form


@bp.route("/verhalen/nieuw", methods=["GET", "POST"])
@bp.route("/verhalen/<int:story_id>", methods=["GET", "POST"])
def story(story_id: int | None = None) -> Response | tuple[str, int]:
    item = get_story(story_id) if story_id else None
    form = _story_form(item)
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = render_markdown(form.body.data or "")
        else:
            created = item is None
            story = item or Story(title="", body="")
            db.session.add(story)
            with db.session.no_autoflush:
                ok = apply_content(story, form)
            if ok:
                story.author_name = (form.author_name.data or "Anoniem").strip()
                story.body = form.body.data or ""
                story.update_reading_time()
                story.related_episodes = [
                    e for e in (db.session.get(Episode, i) for i in form.related_episodes.data) if e
                ]
                try:
                    commit_with_publication(story, form, current_user, created)
                except editorial.EditorialError as error:
                    db.session.rollback()
                    form.publication.errors.append(error.message)
                else:
                    flash(f"Verhaal '{story.title}' opgeslagen.")
                    return redirect(url_for("editor.story", story_id=story.id))
            else:
                db.session.rollback()
                if item is not None:
                    db.session.refresh(item)
    status = 422 if has_errors(form) else 200
    history = editorial.history(item) if item else []
    return render_template(
        "beheer/story.html", form=form, item=item, preview=preview, history=history
    ), status


@bp.get("/verhalen/<int:story_id>/voorbeeld")
def story_preview(story_id: int) -> str:
    """The story as visitors would see it, also when it is a draft."""
    from ..public import render_story

    return render_story(get_story(story_id), preview=True)


@bp.route("/verhalen/<int:story_id>/offline", methods=["GET", "POST"])
def story_withdraw(story_id: int) -> Response | tuple[str, int]:
    return withdraw_page(get_story(story_id), url_for("editor.story", story_id=story_id))


@bp.route("/verhalen/<int:story_id>/verwijderen", methods=["GET", "POST"])
def story_delete(story_id: int) -> Response | tuple[str, int]:
    story = get_story(story_id)
    return delete_page(story, f"Verhaal '{story.title}' is verwijderd.", url_for("editor.stories"))
