"""An editor's whole day in Chromium: upload, correct, publish, find it everywhere, withdraw.

The episode must show up on the public site, in the podcast feed (read by
podcastparser, gPodder's parser) and in search, and be gone from all three
the moment it is withdrawn.
"""

from __future__ import annotations

import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import podcastparser
import pytest

ROOT = Path(__file__).resolve().parents[2]
AUDIO = ROOT / "tests" / "fixtures" / "audio" / "cover-chapters.mp3"
TITLE = "Zonnebloemveld en de mentor"
SLUG = "zonnebloemveld-en-de-mentor"

#: Runs before every page script: remembers each value the upload progress bar shows,
#: in sessionStorage so that it survives the redirect to the review form.
RECORD_PROGRESS = """
document.addEventListener("DOMContentLoaded", () => {
  const bar = document.querySelector("form[data-upload-progress] progress");
  if (!bar) return;
  new MutationObserver(() => {
    const seen = JSON.parse(sessionStorage.getItem("progress") || "[]");
    seen.push(Number(bar.value));
    sessionStorage.setItem("progress", JSON.stringify(seen));
  }).observe(bar, {attributes: true, childList: true, characterData: true, subtree: true});
});
"""


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def feed_guids_and_titles(base: str) -> dict[str, str]:
    status, body = fetch(base + "/podcast/feed.xml")
    assert status == 200
    parsed = podcastparser.parse(base + "/podcast/feed.xml", io.BytesIO(body))
    return {episode["guid"]: episode["title"] for episode in parsed["episodes"]}


def search_slugs(base: str, query: str) -> list[str]:
    status, body = fetch(f"{base}/zoeken.json?q={urllib.parse.quote(query)}")
    assert status == 200
    return [hit["slug"] for hit in json.loads(body)["hits"]]


@pytest.fixture
def editor_login(live_app) -> tuple[str, str]:
    """An editor account in the live app (e-mail, password)."""
    app, _ = live_app
    email, password = "e2e-redacteur@example.org", "een-lang-e2e-wachtwoord"
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-editor", email, "--name", "E2E"], env={"ARCHIVE_EDITOR_PASSWORD": password}
    )
    assert result.exit_code == 0, result.output
    return email, password


def test_upload_publish_find_everywhere_then_withdraw(page, live_app, editor_login):
    _, base = live_app
    email, password = editor_login
    page.add_init_script(RECORD_PROGRESS)

    page.goto(base + "/beheer/")
    page.wait_for_url(re.compile(r"/beheer/inloggen"))
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r"/beheer/?$"))

    page.goto(base + "/beheer/afleveringen/nieuw")
    page.get_by_label("Audiobestand").set_input_files(str(AUDIO))
    page.get_by_role("button", name="Uploaden").click()
    page.wait_for_url(re.compile(r"/beheer/afleveringen/\d+$"))
    progress = page.evaluate("JSON.parse(sessionStorage.getItem('progress') || '[]')")
    assert progress and max(progress) == 100, f"progress bar showed {progress}"

    # The review form is filled from the file's tags; the editor corrects the title.
    title = page.get_by_label("Titel", exact=True)
    assert title.input_value() == "Testaflevering"
    title.fill(TITLE)
    page.get_by_label("Adres (slug)").fill(SLUG)
    page.get_by_label("Nu publiceren").check()
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_selector("text=opgeslagen")
    assert page.get_by_label("Titel", exact=True).input_value() == TITLE

    status, body = fetch(f"{base}/podcast/{SLUG}")
    assert status == 200 and TITLE in body.decode()
    assert TITLE in feed_guids_and_titles(base).values()
    assert SLUG in search_slugs(base, "zonnebloemveld")
    page.goto(f"{base}/podcast")
    assert page.get_by_role("link", name=TITLE).count() >= 1

    page.goto(base + "/beheer/afleveringen")
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("link", name="Offline halen").click()
    page.get_by_label("Reden (alleen zichtbaar voor de redactie)").fill("Wil het zelf niet meer")
    page.get_by_label("Op verzoek van de verteller").check()
    page.get_by_role("button", name="Nu offline halen").click()
    page.wait_for_selector("text=is offline gehaald")

    assert fetch(f"{base}/podcast/{SLUG}")[0] == 404
    assert TITLE not in feed_guids_and_titles(base).values()
    assert SLUG not in search_slugs(base, "zonnebloemveld")
