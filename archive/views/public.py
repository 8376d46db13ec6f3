"""The visitors' site."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from ..models import Campaign, Episode, Story, db

bp = Blueprint("public", __name__)


@bp.get("/")
def home() -> str:
    campaign = Campaign.current()
    stories = db.session.scalars(
        select(Story).where(Story.public_clause()).order_by(Story.published_at.desc())
    ).all()
    episodes = db.session.scalars(
        select(Episode).where(Episode.public_clause()).order_by(Episode.published_at.desc())
    ).all()
    return render_template(
        "public/home.html", campaign=campaign, stories=stories, episodes=episodes
    )
