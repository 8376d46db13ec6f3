"""nginx in front of two gunicorn nodes on one database (see ``tests/serving.py``).

Without nginx the tests skip and say why; with ``CI=true`` they fail instead,
so CI cannot pass without running them. The database is the suite's: a
SQLite file both nodes open, or a PostgreSQL schema when
``ARCHIVE_TEST_DATABASE_URL`` is set.
"""

from __future__ import annotations

import os

import pytest
from serving import nginx_binary


def _in_this_folder(item: pytest.Item) -> bool:
    return "tests/integration" in str(item.path).replace(os.sep, "/")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if nginx_binary() is not None or os.environ.get("CI") == "true":
        return
    skip = pytest.mark.skip(reason="nginx is not installed (apt-get install nginx)")
    for item in items:
        if _in_this_folder(item):
            item.add_marker(skip)


def require_nginx() -> None:
    if nginx_binary() is None:
        pytest.fail("the integration tests need nginx (CI=true): apt-get install nginx")
