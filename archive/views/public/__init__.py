"""The visitors' site: home, campaigns, stories, podcast, help.

No cookies, no third-party requests, and the help block and the quick exit on
every page (``templates/base.html``). Only public items are shown; the one
publication rule is ``Publishable.public_clause`` / ``is_public``. Editors'
previews call :func:`render_story` and :func:`render_episode` with
``preview=True`` to see a draft exactly as visitors would.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("public", __name__)

from . import (  # noqa: E402, F401  (routes on bp)
    agenda,
    campaigns,
    crawlers,
    embed,
    errors,
    filters,
    pages,
    podcast,
    seo,
    stories,
)
from .podcast import render_episode  # noqa: E402
from .stories import render_story  # noqa: E402

__all__ = ["bp", "render_episode", "render_story"]
