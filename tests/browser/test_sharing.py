"""Shared and found, in Chromium: the player embedded on another origin, a moment's link,
and the search page on a phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .conftest import SCREENSHOTS, new_page, other_origin
from .test_accessibility import axe_violations

EPISODE = "/podcast/signalen-zien"


@pytest.fixture
def partner_site(live_server: str) -> Iterator[str]:
    """Another origin (its own port): ``/`` embeds our player, ``/pagina`` our episode page."""
    frames = {
        "/": f"<iframe id='speler' src='{live_server}{EPISODE}/insluiten' width='640'"
        " height='600' title='Podcast: Signalen zien in de klas'></iframe>",
        "/pagina": f"<iframe id='pagina' src='{live_server}{EPISODE}' title='Pagina'></iframe>",
    }

    pages = {
        path: "<!doctype html><html lang='nl'><head><meta charset='utf-8'>"
        f"<title>Partner</title></head><body><h1>Gemeente Voorbeeld</h1>{frame}</body></html>"
        for path, frame in frames.items()
    }
    with other_origin(pages) as url:
        yield url


def test_a_partner_site_embeds_plays_and_seeks_the_player(browser, traffic, partner_site):
    page = new_page(browser, traffic, bypass_csp=True, viewport={"width": 1000, "height": 800})
    page.goto(partner_site + "/")
    frame = page.frame_locator("#speler")
    audio = frame.locator("audio")
    audio.wait_for()
    audio.evaluate("audio => audio.play()")
    frame.locator("audio").evaluate(
        "audio => new Promise(done => { const check = () => audio.currentTime > 1 ? done() :"
        " setTimeout(check, 100); check(); })"
    )
    frame.locator("summary", has_text="Hoofdstukken").click()
    frame.locator(".chapters a", has_text="De meldcode").click()
    seconds = audio.evaluate(
        "audio => new Promise(done => { const check = () => audio.currentTime >= 24 ?"
        " done(audio.currentTime) : setTimeout(check, 100); check(); })"
    )
    assert 24 <= seconds < 40
    frame.locator("summary", has_text="Transcript").click()
    assert frame.locator(".cues li").count() > 3
    inner = next(f for f in page.frames if "/insluiten" in f.url)
    violations = axe_violations(inner)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "embed-on-partner-site.png"), full_page=True)
    page.context.close()
    assert violations == [], violations
    assert not traffic.leaked
    assert traffic.console_errors == []


def test_our_other_pages_refuse_to_be_framed(browser, traffic, partner_site):
    page = new_page(browser, traffic, viewport={"width": 1000, "height": 800})
    page.goto(partner_site + "/pagina")  # waits for the frame's load too
    # Chromium refuses to render it: the frame holds its error page, not ours.
    (frame,) = [f for f in page.frames if f != page.main_frame]
    assert frame.url.startswith("chrome-error://")
    assert page.frame_locator("#pagina").locator("audio").count() == 0
    assert any("frame-ancestors 'none'" in e for e in traffic.console_errors)
    page.context.close()


def test_a_moments_link_opens_at_its_time_and_shows_its_line(page, live_server):
    page.goto(live_server + EPISODE + "#t=30")
    page.wait_for_function("() => document.getElementById('speler').currentTime >= 30")
    now = page.locator(".moment-now")
    assert now.inner_text().startswith("Vanaf 0:30: \u201c")
    line = now.inner_text().split("\u201c", 1)[1].rstrip("\u201d")
    current = page.locator(".cues li.current")
    current.wait_for()
    assert line in current.inner_text()
    page.locator("#speler").evaluate("audio => { audio.currentTime = 12; }")
    page.wait_for_function("() => document.getElementById('speler').currentTime >= 12")
    page.get_by_role("button", name="Deel dit moment").click()
    link = page.locator("#moment-adres").input_value()
    assert link == live_server + EPISODE + "#t=12"
    assert page.locator(".moment-now").inner_text().startswith("Vanaf 0:12")
    page.goto("about:blank")
    page.goto(link)
    page.wait_for_function("() => document.getElementById('speler').currentTime >= 12")


@pytest.mark.parametrize("query", ["/zoeken?q=school", "/zoeken?q=school&soort=story"])
def test_search_on_a_phone_shows_results_before_the_filters(browser, traffic, live_server, query):
    page = new_page(browser, traffic, bypass_csp=True, viewport={"width": 360, "height": 800})
    page.goto(live_server + query)
    first_hit = page.locator(".search-hit").first.bounding_box()
    facets = page.locator("details.search-facets")
    assert first_hit["y"] < facets.bounding_box()["y"]
    filtered = "soort=" in query
    assert facets.evaluate("details => details.open") is filtered
    if not filtered:
        page.locator("details.search-facets summary").click()
        assert facets.evaluate("details => details.open")
    violations = axe_violations(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = "search-phone-filtered" if filtered else "search-phone"
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.context.close()
    assert violations == [], violations


def test_search_on_a_wide_screen_shows_the_filters_beside_the_results(page, live_server):
    page.goto(live_server + "/zoeken?q=school")
    facets = page.locator("details.search-facets")
    assert facets.evaluate("details => details.open")
    assert facets.bounding_box()["x"] < page.locator(".search-hit").first.bounding_box()["x"]
