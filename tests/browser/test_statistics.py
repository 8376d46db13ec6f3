"""The editors' home and an episode's numbers in Chromium: charts, tables, axe, screenshots.

The live app gets a month of example statistics (``load-demo --with-stats``)
and one real download by a podcast app; the pages are checked once as they
are (the Content-Security-Policy enforced: no console errors) and once with
axe injected.
"""

from __future__ import annotations

import re
import urllib.request

import pytest

from .conftest import SCREENSHOTS, new_page
from .test_accessibility import axe_violations

EMAIL, PASSWORD = "cijfers@example.org", "een-lang-cijfer-wachtwoord"


@pytest.fixture
def with_numbers(live_app) -> tuple[str, int]:
    """The live app with example numbers, one real download and an editor: (base, episode id)."""
    app, base = live_app
    runner = app.test_cli_runner()
    result = runner.invoke(args=["load-demo", "--with-stats"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["create-editor", EMAIL], env={"ARCHIVE_EDITOR_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    with urllib.request.urlopen(base + "/podcast/feed.xml") as response:
        audio = re.search(rb'<enclosure url="([^"]+)"', response.read()).group(1).decode()
    request = urllib.request.Request(audio, headers={"User-Agent": "AntennaPod/3.2.0"})
    with urllib.request.urlopen(request) as response:
        response.read()
    episode_id = int(re.search(r"/media/(\d+)-", audio).group(1))
    return base, episode_id


def log_in(page, base: str) -> None:
    page.goto(base + "/beheer/")
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r"/beheer/?$"))


def test_editors_home_shows_charts_and_tables_under_the_policy(page, with_numbers):
    base, _ = with_numbers
    log_in(page, base)
    chart = page.get_by_role("img", name="Downloads per dag")
    assert chart.count() == 1
    assert chart.locator("rect").count() == 30
    assert page.locator("dl.totals dd").first.inner_text() != "0"
    page.get_by_text("Tabel: downloads per dag").click()
    assert page.locator("details.numbers table tbody tr").count() == 30
    no_results = page.locator("h3#zoeken-zonder-resultaat + table")
    assert "loverboy" in no_results.inner_text()
    # The page fixture fails the test on console errors: a chart the policy blocked would log one.


@pytest.mark.parametrize("width", [360, 1280])
def test_editors_home_and_an_episodes_numbers_have_no_axe_violations(
    browser, traffic, with_numbers, width
):
    base, episode_id = with_numbers
    page = new_page(browser, traffic, bypass_csp=True, viewport={"width": width, "height": 900})
    log_in(page, base)
    home = axe_violations(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"editors-home-{width}.png"), full_page=True)
    page.goto(f"{base}/beheer/afleveringen/{episode_id}")
    numbers = page.locator("section[aria-labelledby='cijfers']")
    assert re.search(r"\d+ downloads", numbers.inner_text())
    assert numbers.get_by_role("img").count() == 1
    item = axe_violations(page)
    numbers.screenshot(path=str(SCREENSHOTS / f"episode-numbers-{width}.png"))
    page.context.close()
    assert home == [], home
    assert item == [], item
    assert not traffic.leaked
