"""Stories: the filtered list and the story page."""

from __future__ import annotations

from flask import abort, render_template, request

from ... import stats
from ...models import PERSPECTIVES, Episode, Story, db
from ...text import render_markdown
from .. import params
from . import bp, queries, seo


@bp.get("/verhalen")
def stories() -> str:
    filters = queries.StoryFilters.from_args(request.args)
    page = db.paginate(
        filters.apply(queries.public(Story)),
        page=params.PAGE.or_404(request.args),
        per_page=queries.PER_PAGE,
    )
    return render_template(
        "public/stories.html",
        page=page,
        filters=filters,
        perspectives=PERSPECTIVES,
        tags=queries.story_tags(),
        campaigns=queries.campaigns(),
    )


@bp.get("/verhalen/<slug>")
def story(slug: str) -> str:
    item = queries.public_by_slug(Story, slug) or abort(404)
    stats.recorder().page_view("read", item.id)
    return render_story(item)


def render_story(story: Story, preview: bool = False) -> str:
    """The story page; ``preview=True`` shows a draft to editors with a banner."""
    return render_template(
        "public/story.html",
        story=story,
        body=render_markdown(story.body),
        perspective=PERSPECTIVES.get(story.perspective or ""),
        related_stories=queries.related(Story, [], story.tags, exclude=story),
        related_episodes=queries.related(Episode, story.related_episodes, story.tags),
        preview=preview,
        meta=seo.for_story(story),
    )
