"""Defaults and ``ARCHIVE_*`` environment variables: the one place for settings.

Every setting here is documented in the README with its default.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import ConfigError

#: The checkout's root: ``media/``, ``index/``, ``templates/`` and ``instance/`` live here.
PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: The largest upload in MB: an episode's size in bytes must fit an INTEGER column.
MAX_UPLOAD_MB = (2**31 - 1) // (1024 * 1024)

#: URL schemes people write, and the SQLAlchemy driver they mean: PostgreSQL goes
#: through psycopg 3 (the ``postgres`` extra), not SQLAlchemy's default psycopg2.
DATABASE_SCHEMES = {
    "postgres://": "postgresql+psycopg://",
    "postgresql://": "postgresql+psycopg://",
}


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str) -> list[str]:
    """A comma-separated list; empty when unset."""
    return [item.strip() for item in (_env(name) or "").split(",") if item.strip()]


def _env_int(name: str, default: int, minimum: int = 1, maximum: int | None = None) -> int:
    value = _env(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(name, f"expected a whole number, got {value!r}") from None
    if number < minimum:
        raise ConfigError(name, f"must be at least {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise ConfigError(name, f"must be at most {maximum}, got {number}")
    return number


def _env_url(name: str) -> str | None:
    """An http(s) URL, or None when unset."""
    value = _env(name)
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(name, f"expected an http(s) URL, got {value!r}")
    return value


def database_url(url: str) -> str:
    """``url`` with a plain ``postgresql://`` (or ``postgres://``) scheme made explicit."""
    for plain, explicit in DATABASE_SCHEMES.items():
        if url.startswith(plain):
            return explicit + url.removeprefix(plain)
    return url


def from_environment(instance_path: Path) -> dict[str, Any]:
    """Read every ``ARCHIVE_*`` variable, falling back to the documented defaults."""
    default_url = f"sqlite:///{instance_path / 'archive.sqlite'}"
    return {
        "SQLALCHEMY_DATABASE_URI": database_url(_env("ARCHIVE_DATABASE_URL") or default_url),
        "MEDIA_DIR": _env("ARCHIVE_MEDIA_DIR", str(PROJECT_ROOT / "media")),
        "INDEX_DIR": _env("ARCHIVE_INDEX_DIR", str(PROJECT_ROOT / "index")),
        "BASE_URL": (_env("ARCHIVE_BASE_URL") or "").rstrip("/") or None,
        "SECRET_KEY": _env("ARCHIVE_SECRET_KEY"),
        "MAX_UPLOAD_MB": _env_int("ARCHIVE_MAX_UPLOAD_MB", 500, maximum=MAX_UPLOAD_MB),
        "PROXY_FIX": _env_int("ARCHIVE_PROXY_FIX", 0, minimum=0),
        "X_ACCEL_REDIRECT": _env("ARCHIVE_X_ACCEL_REDIRECT"),
        "FOLLOW_POLL_SECONDS": _env_int("ARCHIVE_FOLLOW_POLL_SECONDS", 5, maximum=3600),
        "SEARCH_CACHE_ENTRIES": _env_int(
            "ARCHIVE_SEARCH_CACHE_ENTRIES", 1000, minimum=0, maximum=100_000
        ),
        "SEARCH_REBUILD_MB": _env_int("ARCHIVE_SEARCH_REBUILD_MB", 512, minimum=16),
        "RATELIMIT_STORAGE_URI": _env("ARCHIVE_RATELIMIT_STORAGE_URL", "memory://"),
        "REQUIRE_2FA": _env_bool("ARCHIVE_REQUIRE_2FA", False),
        "WEBSUB_HUB": _env_url("ARCHIVE_WEBSUB_HUB"),
        "EXTRA_HOSTS": _env_list("ARCHIVE_TRUSTED_HOSTS"),
        "STATS_ENABLED": _env_bool("ARCHIVE_STATS", True),
        "STATS_BATCH": _env_int("ARCHIVE_STATS_BATCH", 200, maximum=100_000),
        "STATS_FLUSH_SECONDS": _env_int("ARCHIVE_STATS_FLUSH_SECONDS", 10, minimum=0, maximum=3600),
    }


def check_base_url(url: str | None) -> str | None:
    """The public base URL without a trailing slash; anything but ``http(s)://host/...`` stops."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError("ARCHIVE_BASE_URL", f"expected http(s)://host[/path], got {url!r}")
    return url.rstrip("/")


def trusted_hosts(base_url: str | None, extra: list[str]) -> list[str] | None:
    """The hosts a request may name: the base URL's and ``ARCHIVE_TRUSTED_HOSTS``; None: any."""
    hosts = [urlsplit(base_url).hostname or ""] if base_url else []
    hosts += extra
    return hosts or None


def resolve_secret_key(config: Mapping[str, Any], instance_path: Path) -> str:
    """Return the configured secret key, or one generated once into ``instance/``."""
    if config.get("SECRET_KEY"):
        return str(config["SECRET_KEY"])
    key_file = instance_path / "secret_key"
    try:
        if key_file.exists():
            return key_file.read_text().strip()
        instance_path.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        # O_EXCL: two workers starting at once must not write two different keys.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    except OSError as exc:
        raise ConfigError(
            "ARCHIVE_SECRET_KEY",
            f"not set, and no key can be written to {key_file} ({exc.strerror})",
        ) from None
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def check_directory(setting: str, path: str | Path) -> Path:
    """A directory the app writes to must exist and be writable."""
    directory = Path(path).resolve()
    if not directory.is_dir():
        raise ConfigError(setting, f"directory {directory} does not exist")
    try:
        # A real write, not os.access: root passes access checks on read-only mounts.
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as exc:
        problem = f"directory {directory} is not writable ({exc.strerror})"
        raise ConfigError(setting, problem) from None
    return directory
