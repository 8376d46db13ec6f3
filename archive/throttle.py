"""Login throttling that protects editors instead of locking them out.

Failed attempts are counted per account *and* client address, and per client
address across accounts, never per account alone: someone guessing from
elsewhere cannot keep an editor out (OWASP's advice against account lock-out).
Each kind of attempt has tiers of fixed windows, so the wait grows while the
attempts go on: after five failures a minute, after ten a quarter of an hour,
after twenty an hour (see :data:`RULES`).

Counting is atomic: every attempt first takes its place in every tier with one
increment (Redis ``INCRBY`` in a Lua script, or a lock in memory), then the
password is checked only if every tier had room. Throttled attempts count too,
so a guesser who keeps going keeps waiting. A correct password clears the
account-and-address counters; the address counters are not cleared, or one
valid account would reset them for guessing at others.

The counters live in Flask-Limiter's storage (the ``limits`` package):
``memory://`` by default (one process), or ``redis://host:port`` through
``ARCHIVE_RATELIMIT_STORAGE_URL`` so that every worker and node shares them.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from urllib.parse import quote

from flask import Flask, current_app, request
from flask_limiter import Limiter
from limits import RateLimitItem, parse_many
from limits.errors import ConfigurationError, StorageError

from .errors import ArchiveError, ConfigError

log = logging.getLogger(__name__)

#: What is counted -> its tiers. Keys: ``password`` per e-mail and address;
#: ``code`` (the second step) per editor and address; ``address`` every attempt
#: from one address, whatever the account; ``account_code`` the second step
#: per editor from anywhere (only reachable with the right password).
RULES: dict[str, tuple[RateLimitItem, ...]] = {
    "password": tuple(parse_many("5 per minute; 10 per 15 minutes; 20 per hour")),
    "code": tuple(parse_many("5 per minute; 10 per 15 minutes; 20 per hour")),
    "address": tuple(parse_many("50 per 15 minutes; 200 per day")),
    "account_code": tuple(parse_many("30 per hour")),
}
EXTENSION = "archive.throttle"


class StorageUnavailable(ArchiveError):
    """The throttle's storage cannot be reached: logins are refused rather than unguarded."""

    status_code = 503


def init_app(app: Flask) -> None:
    """A Flask-Limiter of this app's own, on ``RATELIMIT_STORAGE_URI``."""
    limiter = Limiter(
        key_func=client_address,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        storage_options={"wrap_exceptions": True},
        strategy="fixed-window",
    )
    try:
        limiter.init_app(app)
    except ConfigurationError as error:
        raise ConfigError("ARCHIVE_RATELIMIT_STORAGE_URL", str(error)) from None
    app.extensions[EXTENSION] = limiter


def client_address() -> str:
    """The client's address as the app sees it (after ProxyFix, when configured)."""
    return request.remote_addr or "-"


#: ``(rule, key)``: a rule of :data:`RULES` and the values it counts per.
Counter = tuple[str, Sequence[str]]


def _limiter() -> Limiter:
    return current_app.extensions[EXTENSION]


def _identifiers(rule: str, key: Sequence[str]) -> list[str]:
    """The storage key's parts; quoted, so an e-mail with ``/`` cannot pose as another key."""
    return ["archive-login", rule, *(quote(str(part), safe="@") for part in key)]


def attempt(*counters: Counter) -> int | None:
    """Count one attempt on each ``(rule, key)``: None if all had room, else seconds to wait."""
    strategy = _limiter().limiter
    waits = []
    try:
        for rule, key in counters:
            identifiers = _identifiers(rule, key)
            for item in RULES[rule]:
                if not strategy.hit(item, *identifiers):
                    reset_at = strategy.get_window_stats(item, *identifiers).reset_time
                    waits.append(max(1, math.ceil(reset_at - time.time())))
    except StorageError as error:
        raise StorageUnavailable(
            "Inloggen lukt nu even niet. Probeer het over een paar minuten opnieuw.",
            f"throttle storage: {error.storage_error!r}",
        ) from error
    if waits:
        log.warning("login throttled: %s", counters)
        return max(waits)
    return None


def forget(*counters: Counter) -> None:
    """Clear the counters (after a correct password or code)."""
    strategy = _limiter().limiter
    try:
        for rule, key in counters:
            for item in RULES[rule]:
                strategy.clear(item, *_identifiers(rule, key))
    except StorageError as error:
        log.warning("could not clear login counters: %r", error.storage_error)
