"""Which ``Host`` a request may name; a wrong or broken one gets 400 before anything else.

Without ``ARCHIVE_BASE_URL`` the request's host goes into enclosure URLs,
subscribe links and the ``.ics``, so ``Host: evil.example;x`` made
``http:///campagne/...``. With a base URL, Flask's ``TRUSTED_HOSTS`` holds
its host (and ``ARCHIVE_TRUSTED_HOSTS``), and any other host is refused;
without one, every well-formed host is served and a malformed one (empty,
spaces, control characters, anything but a name or an address with a port)
is refused. Behind ``ARCHIVE_PROXY_FIX`` the host is the proxy's
``X-Forwarded-Host``.
"""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.exceptions import SecurityError

#: The refusals, in plain Dutch (machines and people both read them).
UNTRUSTED_HOST = "Ongeldig verzoek: dit adres hoort niet bij deze website.\n"


def check_host() -> None:
    """Raise SecurityError for a host that is not trusted or not well-formed."""
    # Werkzeug raises SecurityError itself for an untrusted host; a malformed
    # one, when any host is trusted, comes back as "".
    if not request.host:
        raise SecurityError("malformed Host header")


def refuse(error: SecurityError) -> Response:
    return Response(UNTRUSTED_HOST, 400, mimetype="text/plain")


def init_app(app: Flask) -> None:
    # create_app attaches this before the other hooks: it is the first check of a request.
    app.before_request(check_host)
    app.register_error_handler(SecurityError, refuse)
