"""Importing a feed from /beheer: in the background, followed on a status page."""

from __future__ import annotations

import time

from sqlalchemy import select
from test_feed_import import ITUNES_ONLY, publish, site  # noqa: F401 (site is a fixture)

from archive.models import Episode, db

from .conftest import post_form


def wait_until_done(client, url: str) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page = client.get(url).get_data(as_text=True)
        if "Bezig:" not in page:
            return page
        time.sleep(0.2)
    raise AssertionError("the import did not finish within a minute")


def test_admin_imports_a_feed_in_the_background_and_follows_it(admin_client, site):  # noqa: F811
    base, folder = site
    url = publish(folder, "itunes.xml", base, ITUNES_ONLY)
    started = post_form(admin_client, "/beheer/importeren", {"url": url})
    assert started.status_code == 302
    status_url = started.headers["Location"]
    page = wait_until_done(admin_client, status_url)
    assert "Klaar: 1 nieuw, 0 ongewijzigd, 0 geweigerd." in page
    assert "nieuwe aflevering /podcast/alleen-itunes-velden" in page
    db.session.expire_all()
    assert db.session.scalar(select(Episode.guid)) == "itunes-1"


def test_a_feed_that_cannot_be_read_is_reported_on_the_status_page(admin_client, site):  # noqa: F811
    base, _ = site
    started = post_form(admin_client, "/beheer/importeren", {"url": f"{base}/weg.xml"})
    page = wait_until_done(admin_client, started.headers["Location"])
    assert "De import is mislukt" in page and "404" in page


def test_only_admins_import_and_addresses_must_be_http(editor_client, admin_client):
    assert editor_client.get("/beheer/importeren").status_code == 403
    refused = post_form(admin_client, "/beheer/importeren", {"url": "file:///etc/passwd"})
    assert refused.status_code == 200
    assert "begint met https://" in refused.get_data(as_text=True)
    assert admin_client.get("/beheer/importeren/0123456789abcdef").status_code == 404
    assert admin_client.get("/beheer/importeren/..%2Fetc").status_code == 404
