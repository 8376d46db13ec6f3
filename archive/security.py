"""Security and privacy headers on every response.

Visitors include victims and children: nothing on a page may reach another
host, nothing may leak where they have been, and nothing may run that the
site did not ship itself. The Content-Security-Policy therefore allows only
this site's own files (no inline script or style, no frames, no plug-ins);
``Referrer-Policy: no-referrer`` keeps outgoing links and the quick exit
from telling the next site where the visitor came from.
"""

from __future__ import annotations

from flask import Flask, Response, request

#: The Content-Security-Policy, one directive per entry.
CSP_DIRECTIVES: dict[str, str] = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "media-src": "'self'",
    "connect-src": "'self'",
    "font-src": "'none'",
    "manifest-src": "'self'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "frame-src": "'none'",
    "frame-ancestors": "'none'",
    "object-src": "'none'",
}

#: Powerful browser features the site never uses.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "camera", "display-capture", "geolocation",
        "gyroscope", "magnetometer", "microphone", "payment", "usb",
    )
)  # fmt: skip

CONTENT_SECURITY_POLICY = "; ".join(f"{name} {value}" for name, value in CSP_DIRECTIVES.items())

#: Endpoints other sites may show in a frame (the embeddable player): the same
#: policy with ``frame-ancestors *`` and no ``X-Frame-Options``. Nothing else.
FRAMEABLE_ENDPOINTS: frozenset[str] = frozenset({"public.embed"})
FRAMEABLE_POLICY = "; ".join(
    f"{name} {'*' if name == 'frame-ancestors' else value}"
    for name, value in CSP_DIRECTIVES.items()
)

#: Header -> value, set on every response unless a view set it already.
HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def apply_headers(response: Response) -> Response:
    headers = HEADERS
    if request.endpoint in FRAMEABLE_ENDPOINTS:
        headers = {**HEADERS, "Content-Security-Policy": FRAMEABLE_POLICY}
        del headers["X-Frame-Options"]
    for name, value in headers.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(apply_headers)
