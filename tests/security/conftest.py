"""Fixtures for the editors' security: accounts and clients (shared with tests/editor), Redis.

Addresses in these tests come from the documentation ranges (RFC 5737); they
are only ``REMOTE_ADDR`` values, no traffic goes anywhere.
"""

from __future__ import annotations

import os
import re

import pytest
import redis
from editor.conftest import (  # noqa: F401  (fixtures shared with the editors' tests)
    PASSWORD,
    admin,
    admin_client,
    csrf_token,
    editor,
    editor_client,
    isolated_clients,
    log_in,
    make_editor,
    post_form,
)
from flask.testing import FlaskClient

#: The Redis that CI and the development machines run.
REDIS_URL = "redis://127.0.0.1:6379/0"
LOGIN = "/beheer/inloggen"
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="[^"]+"')


@pytest.fixture
def redis_url() -> str:
    """Redis at 127.0.0.1:6379; skipped without it, unless CI=true (then it fails)."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"these tests need Redis at {REDIS_URL} (CI=true): {error}")
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
    return REDIS_URL


class LoginForm:
    """Sends the login form from one client, as if from ``address``, with one CSRF token."""

    def __init__(self, client: FlaskClient, address: str = "192.0.2.1") -> None:
        self.client = client
        self.address = address
        self.token = csrf_token(client, LOGIN)

    def send(self, email: str, password: str = PASSWORD, address: str | None = None, url=LOGIN):  # type: ignore[no-untyped-def]
        return self.client.post(
            url,
            data={"email": email, "password": password, "csrf_token": self.token},
            environ_base={"REMOTE_ADDR": address or self.address},
        )


def page_without_token(response) -> str:  # type: ignore[no-untyped-def]
    """The page as text, its CSRF token blanked (it differs per session)."""
    return _TOKEN.sub('name="csrf_token" value=""', response.get_data(as_text=True))
