"""Security and privacy headers on every response.

Visitors include victims and children: nothing on a page may reach another
host, nothing may leak where they have been, and nothing may run that the
site did not ship itself. The Content-Security-Policy therefore allows only
this site's own files (no inline script or style, no frames, no plug-ins);
``Referrer-Policy: no-referrer`` keeps outgoing links and the quick exit
from telling the next site where the visitor came from.

What podcast apps and web players fetch is another matter: a web player or
a podcast directory on another origin must be able to play the audio, show
the artwork and read the feed, chapters and transcript. Those endpoints are
shared across origins (:data:`SHARING`); every page keeps ``same-origin``.

Once the site is on https (the base URL says so, or the request came that
way, also through ProxyFix), ``Strict-Transport-Security`` keeps browsers on
https for a year: a visitor's first plain-http request could otherwise be
read or changed on the way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from flask import Flask, Response, current_app, request

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
}


@dataclass(frozen=True)
class Sharing:
    """How far a response may travel beyond this site's own pages."""

    resource_policy: str  # Cross-Origin-Resource-Policy
    allow_origin: str | None = None  # Access-Control-Allow-Origin
    expose: str | None = None  # Access-Control-Expose-Headers

    def headers(self, preflight: bool) -> dict[str, str]:
        """The headers for a response; ``preflight`` for a CORS preflight (``OPTIONS``)."""
        found = {"Cross-Origin-Resource-Policy": self.resource_policy}
        if self.allow_origin:
            found["Access-Control-Allow-Origin"] = self.allow_origin
            if self.expose:
                found["Access-Control-Expose-Headers"] = self.expose
            if preflight:  # e.g. for fetch() with If-None-Match
                found.update(PREFLIGHT)
        return found


#: Pages, and anything not named below: this site only.
PAGE = Sharing("same-origin")
#: Public files for players and directories anywhere: embeddable and readable by fetch().
PUBLIC_FILE = Sharing("cross-origin", "*", "Content-Range, Accept-Ranges, Content-Length, ETag")
PUBLIC_DOCUMENT = Sharing("cross-origin", "*", "ETag")

#: Endpoint -> its sharing; every other endpoint (and an unknown URL) is a :data:`PAGE`.
SHARING: dict[str, Sharing] = {
    "delivery.media": PUBLIC_FILE,
    "delivery.media_check": PUBLIC_FILE,  # its headers are the ones nginx sends with the audio
    "delivery.artwork": PUBLIC_FILE,
    "delivery.podcast_feed": PUBLIC_DOCUMENT,
    "delivery.show_feed": PUBLIC_DOCUMENT,
    "delivery.stories_feed": PUBLIC_DOCUMENT,
    "delivery.chapters": PUBLIC_DOCUMENT,
    "delivery.transcript": PUBLIC_DOCUMENT,
    # Content systems fetch oEmbed from their own origin; the player is made to be framed.
    "public.oembed": PUBLIC_DOCUMENT,
    "public.embed": Sharing("cross-origin"),
}

#: Answers to a CORS preflight on a shared endpoint: reading only, with validators.
PREFLIGHT: dict[str, str] = {
    "Access-Control-Allow-Methods": "GET, HEAD",
    "Access-Control-Allow-Headers": "Range, If-None-Match, If-Modified-Since, If-Range",
    "Access-Control-Max-Age": "86400",
}


#: Browsers that once reached the site over https never try plain http again (a year).
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def sharing_of(endpoint: str | None) -> Sharing:
    return SHARING.get(endpoint or "", PAGE)


@cache
def _wanted(
    frameable: bool, sharing: Sharing, preflight: bool, secure: bool
) -> tuple[tuple[str, str, str], ...]:
    """Each ``(name, lowercase name, value)`` a response of this kind gets, in order.

    Built once per combination (a few dozen at most), as :func:`apply_headers`
    runs on every response. Where two tables name a header, the first wins.
    """
    headers = HEADERS
    if frameable:
        headers = {**HEADERS, "Content-Security-Policy": FRAMEABLE_POLICY}
        del headers["X-Frame-Options"]
    pairs = [*headers.items(), *sharing.headers(preflight).items()]
    if secure:
        pairs.append(("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY))
    wanted: dict[str, tuple[str, str, str]] = {}
    for name, value in pairs:
        wanted.setdefault(name.lower(), (name, name.lower(), value))
    return tuple(wanted.values())


def apply_headers(response: Response) -> Response:
    """Add each security and sharing header that the view has not set itself."""
    endpoint = request.endpoint
    base_url = str(current_app.config.get("BASE_URL") or "")
    secure = request.is_secure or base_url.startswith("https://")
    wanted = _wanted(
        endpoint in FRAMEABLE_ENDPOINTS, sharing_of(endpoint), request.method == "OPTIONS", secure
    )
    # One pass over what the view set: Headers.setdefault (and ``in``) would scan
    # the list and raise and catch a KeyError for every header not there yet.
    present = {name.lower() for name, _ in response.headers}
    for name, lowered, value in wanted:
        if lowered not in present:
            response.headers.add(name, value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(apply_headers)
