"""Render deploy/nginx/archive.conf from the environment; prints the result.

    ARCHIVE_UPSTREAMS=10.0.0.11:8000,10.0.0.12:8000 ARCHIVE_LISTEN='443 ssl' \
        python3 deploy/nginx/render.py > /etc/nginx/conf.d/archive.conf

Standard library only (runs without the app installed). Each placeholder
``${NAME}`` in the template comes from the table below: the environment
variable of the same name, or the default. The settings the app reads too
(``ARCHIVE_MEDIA_DIR``, ``ARCHIVE_MAX_UPLOAD_MB``, ``ARCHIVE_X_ACCEL_REDIRECT``)
should be the same values the app nodes get.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

TEMPLATE = Path(__file__).resolve().with_name("archive.conf")
ROOT = TEMPLATE.parents[2]
_PLACEHOLDER = re.compile(r"\$\{(ARCHIVE_[A-Z_]+)\}")


def _upstream_servers(value: str) -> str:
    addresses = [a for a in re.split(r"[,\s]+", value) if a]
    if not addresses:
        raise ValueError("ARCHIVE_UPSTREAMS names no address")
    return "\n".join(f"    server {address} max_fails=1 fail_timeout=5s;" for address in addresses)


def _client_max_body(value: str) -> str:
    # The app accepts the file plus 1 MB for the form around it (MAX_CONTENT_LENGTH).
    return f"{int(value) + 1}m"


def _location(value: str) -> str:
    return "/" + value.strip("/") + "/"


def _directory(value: str) -> str:
    return str(Path(value).resolve())


#: Placeholder -> (environment variable, default, how the value is written).
PLACEHOLDERS: dict[str, tuple[str, str, Callable[[str], str]]] = {
    "ARCHIVE_UPSTREAM_SERVERS": ("ARCHIVE_UPSTREAMS", "127.0.0.1:8000", _upstream_servers),
    "ARCHIVE_LISTEN": ("ARCHIVE_LISTEN", "80", str),
    "ARCHIVE_SERVER_NAME": ("ARCHIVE_SERVER_NAME", "_", str),
    "ARCHIVE_MEDIA_DIR": ("ARCHIVE_MEDIA_DIR", str(ROOT / "media"), _directory),
    "ARCHIVE_ROOT": ("ARCHIVE_ROOT", str(ROOT), _directory),
    "ARCHIVE_X_ACCEL_REDIRECT": ("ARCHIVE_X_ACCEL_REDIRECT", "/_media/", _location),
    "ARCHIVE_CLIENT_MAX_BODY": ("ARCHIVE_MAX_UPLOAD_MB", "500", _client_max_body),
    "ARCHIVE_NGINX_CACHE_DIR": ("ARCHIVE_NGINX_CACHE_DIR", "/var/cache/nginx/archive", str),
    "ARCHIVE_ACCESS_LOG": ("ARCHIVE_ACCESS_LOG", "/var/log/nginx/archive.access.log", str),
    # Where `flask count-downloads` listens for the media log lines (host:port or unix:/path).
    "ARCHIVE_STATS_LOG": ("ARCHIVE_STATS_LOG", "127.0.0.1:5140", str),
}


def render(environment: Mapping[str, str], template: str | None = None) -> str:
    """The template with every placeholder filled from ``environment`` or its default."""
    text = TEMPLATE.read_text() if template is None else template

    def value(match: re.Match[str]) -> str:
        variable, default, write = PLACEHOLDERS[match.group(1)]
        return write(environment.get(variable) or default)

    return _PLACEHOLDER.sub(value, text)


if __name__ == "__main__":
    try:
        sys.stdout.write(render(os.environ))
    except (KeyError, ValueError) as error:
        sys.exit(f"render.py: {error}")
