"""Error pages in the site's own style, with the help block.

Registered for the whole app; the delivery blueprint's own handler keeps its
plain-text answers for feeds and media, and the editors' area keeps its own.
"""

from __future__ import annotations

from flask import render_template
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound

from . import bp


@bp.app_errorhandler(NotFound)
def not_found(error: HTTPException) -> tuple[str, int]:
    return render_template("errors/404.html"), 404


@bp.app_errorhandler(InternalServerError)
def server_error(error: HTTPException) -> tuple[str, int]:
    return render_template("errors/500.html"), 500
