"""axe-core on every page type, and screenshots at phone and desktop width."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from .conftest import AXE, SCREENSHOTS, new_page

#: Page type -> path on the demo content.
PAGE_TYPES: dict[str, str] = {
    "home": "/",
    "stories": "/verhalen",
    "stories-filtered": "/verhalen?perspectief=teacher",
    "story": "/verhalen/de-juf-die-doorvroeg",
    "podcast": "/podcast",
    "episode": "/podcast/signalen-zien",
    "episode-conversation": "/podcast/het-gesprek",
    "campaign": "/campagne/week-2021",
    "campaigns": "/campagnes",
    "agenda": "/agenda",
    "event": "/agenda/webinar-signalen-in-de-klas",
    "event-cancelled": "/agenda/avond-in-de-bibliotheek",
    "help": "/hulp",
    "safe-browsing": "/veilig-surfen",
    "not-found": "/bestaat-niet",
    "search": "/zoeken?q=school",
    "search-by-speaker": "/zoeken?q=juf&spreker=storyteller",
}
WIDTHS: dict[str, int] = {"phone": 360, "desktop": 1280}


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
            }));
        }"""
    )


@pytest.mark.parametrize("width_name", sorted(WIDTHS))
@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_page_has_no_axe_violations(browser, traffic, live_server, kind, width_name):
    # bypass_csp only lets the test inject axe; the page itself is unchanged.
    page = new_page(
        browser, traffic, bypass_csp=True, viewport={"width": WIDTHS[width_name], "height": 900}
    )
    response = page.goto(live_server + PAGE_TYPES[kind])
    assert response.status == (404 if kind == "not-found" else 200)
    violations = axe_violations(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{kind}-{width_name}.png"), full_page=True)
    page.context.close()
    assert violations == [], violations
    assert not traffic.leaked
    # The 404 page's own "Failed to load resource" message is expected; nothing else.
    assert [e for e in traffic.console_errors if "404" not in e] == []


#: The home page on three dates: during the 2021 week, before the 2022 one, and long after.
HOME_DATES: dict[str, datetime] = {
    "during-2021": datetime(2021, 11, 16, 12, tzinfo=UTC),
    "before-2022": datetime(2022, 10, 3, 12, tzinfo=UTC),
    "after-2022": datetime(2026, 11, 30, 12, tzinfo=UTC),
}


@pytest.mark.parametrize("moment", sorted(HOME_DATES))
def test_home_page_on_three_dates_has_no_axe_violations(browser, traffic, live_app, moment):
    app, url = live_app
    app.config["NOW"] = HOME_DATES[moment]
    page = new_page(browser, traffic, bypass_csp=True, viewport={"width": 1280, "height": 900})
    assert page.goto(url + "/").status == 200
    heading = page.locator(".hero .eyebrow").inner_text()
    violations = axe_violations(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"home-{moment}.png"), full_page=True)
    page.context.close()
    expected = {"during-2021": "De campagne van nu", "before-2022": "Binnenkort"}
    assert expected.get(moment, "De laatste editie") in heading
    assert violations == [], violations
