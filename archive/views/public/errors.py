"""Error pages in the site's own style, with the help block and the quick exit.

Registered for the whole app as a handler of ``HTTPException`` (not per
status code), so a blueprint's own handler still wins for its routes: the
delivery blueprint keeps its short plain-text errors for feeds and media, and
the editors' area keeps its own pages.
"""

from __future__ import annotations

from flask import render_template
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from . import bp

#: Status -> template; other statuses keep Werkzeug's own short page.
ERROR_TEMPLATES: dict[int, str] = {404: "errors/404.html", 500: "errors/500.html"}


@bp.app_errorhandler(HTTPException)
def error_page(error: HTTPException) -> tuple[str, int] | HTTPException | Response:
    code = error.code or 500
    template = ERROR_TEMPLATES.get(code)
    if template is None:
        return error
    return render_template(template), code
