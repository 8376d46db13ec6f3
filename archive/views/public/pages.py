"""The home page and the pages about help and browsing safely."""

from __future__ import annotations

from flask import render_template

from ... import editions, localtime
from ...models import Campaign, Episode, Story
from ...text import render_markdown
from . import bp, queries
from .podcast import subscription

#: How many stories and episodes the home page shows.
HOME_STORIES = 3
HOME_EPISODES = 3


@bp.get("/")
def home() -> str:
    featured = editions.choose(Campaign.editions(), localtime.today())
    campaign = featured.edition if featured else None
    return render_template(
        "public/home.html",
        featured=featured,
        campaign=campaign,
        introduction=render_markdown(campaign.introduction) if campaign else "",
        stories=queries.latest(Story, HOME_STORIES),
        episodes=queries.latest(Episode, HOME_EPISODES),
        subscription=subscription(),
    )


@bp.get("/hulp")
def help() -> str:
    return render_template("public/help.html")


@bp.get("/veilig-surfen")
def safe_browsing() -> str:
    return render_template("public/safe_browsing.html")
