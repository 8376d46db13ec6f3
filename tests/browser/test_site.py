"""The visitors' site in Chromium: navigation, player, chapters, transcript, quick exit."""

from __future__ import annotations

import re

import pytest

from .conftest import EARLIER_HOST, NEUTRAL_HOST, new_page

EPISODE = "/podcast/signalen-zien"


def current_time(page) -> float:
    return page.locator("#speler").evaluate("audio => audio.currentTime")


def wait_for_time(page, condition: str) -> None:
    """Wait until the player's ``currentTime`` meets ``condition``, e.g. ``">= 24"``."""
    script = f"() => document.getElementById('speler').currentTime {condition}"
    page.wait_for_function(script, timeout=15000)


def test_home_leads_to_a_story_and_to_an_episode(page, live_server):
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "Week tegen Kindermishandeling 2022 (voorbeeld)"
    page.get_by_role("link", name="Lees de verhalen").click()
    page.wait_for_url(re.compile(r"/verhalen$"))
    page.locator(".card-title a").first.click()
    page.wait_for_url(re.compile(r"/verhalen/[a-z0-9-]+$"))
    assert page.locator(".content-note").is_visible()
    assert "Leestijd" in page.locator(".meta").first.inner_text()
    page.go_back()
    page.go_back()
    page.get_by_role("link", name="Beluister de podcasts").click()
    page.wait_for_url(re.compile(r"/podcast$"))
    page.get_by_role("link", name="Signalen zien in de klas").first.click()
    page.wait_for_url(re.compile(EPISODE + "$"))
    assert page.locator("audio#speler[controls]").count() == 1


def test_pressing_play_advances_the_player(page, live_server):
    page.goto(live_server + EPISODE)
    audio = page.locator("#speler")
    audio.evaluate("audio => audio.play()")
    wait_for_time(page, "> 1")
    assert not audio.evaluate("audio => audio.paused")


def test_clicking_a_chapter_seeks_the_player(page, live_server):
    page.goto(live_server + EPISODE)
    page.locator(".chapters a", has_text="De meldcode").click()
    wait_for_time(page, ">= 24")
    assert page.url.endswith("#t=24")
    # Keyboard: a chapter is a link, reachable with Tab and used with Enter.
    page.locator(".chapters a", has_text="Welkom").focus()
    page.keyboard.press("Enter")
    wait_for_time(page, "< 5")


def test_time_in_the_url_seeks_the_player(page, live_server):
    page.goto(live_server + EPISODE + "#t=30")
    wait_for_time(page, ">= 30")
    assert current_time(page) < 32


def test_transcript_highlights_the_current_cue(page, live_server):
    page.goto(live_server + EPISODE)
    cue = page.locator(".cues li").nth(3)
    cue.locator("a.seek").click()
    page.wait_for_selector(".cues li.current", timeout=15000)
    start = float(cue.get_attribute("data-start"))
    current = page.locator(".cues li.current")
    assert float(current.get_attribute("data-start")) >= start
    assert current.get_attribute("aria-current") == "true"


def test_search_leads_to_a_transcript_hit_at_its_time(page, live_server):
    page.goto(live_server + "/")
    box = page.get_by_role("search", name="Zoeken op de site")
    box.get_by_label("Zoek in verhalen en podcasts").fill("tweeduizend")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/zoeken\?q=tweeduizend"))
    hit = page.get_by_role("link", name=re.compile(r"luister vanaf")).first
    href = hit.get_attribute("href")
    seconds = int(re.search(r"#t=(\d+)$", href).group(1))
    assert seconds > 0
    hit.click()
    page.wait_for_url(re.compile(r"/podcast/signalen-zien#t=\d+$"))
    wait_for_time(page, f">= {seconds}")
    assert page.locator(".cues li").filter(has_text="tweeduizend").count() == 1


def test_copy_button_copies_the_feed_address(browser, traffic, live_server):
    page = new_page(browser, traffic, permissions=["clipboard-read", "clipboard-write"])
    page.goto(live_server + EPISODE)
    page.locator(".subscribe").get_by_role("button", name="Kopieer").click()
    status = "document.querySelector('.subscribe .copy-status').textContent.length > 0"
    page.wait_for_function(f"() => {status}")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith("/podcast/feed.xml")
    page.context.close()
    assert not traffic.leaked


def _came_from_elsewhere(page, live_server: str, path: str) -> None:
    page.goto(f"https://{EARLIER_HOST}/")
    page.goto(live_server + path)


@pytest.mark.parametrize("how", ["button", "shift"])
def test_quick_exit_leaves_no_way_back(page, live_server, traffic, how):
    _came_from_elsewhere(page, live_server, "/verhalen/de-juf-die-doorvroeg")
    if how == "button":
        page.get_by_role("link", name=re.compile("Snel weg")).click()
    else:
        page.locator("body").click(position={"x": 5, "y": 300})
        for _ in range(3):
            page.keyboard.press("Shift")
    page.wait_for_url(f"https://{NEUTRAL_HOST}/**")
    exit_request = traffic.stubbed[-1]
    assert exit_request["url"].startswith(f"https://{NEUTRAL_HOST}/")
    assert "referer" not in {name.lower() for name in exit_request["headers"]}
    page.go_back()
    assert "127.0.0.1" not in page.url
    assert EARLIER_HOST in page.url


def test_two_shift_presses_and_typing_do_not_exit(page, live_server):
    page.goto(live_server + "/")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("a")
    page.keyboard.press("Shift")
    page.locator("#zoekterm").type("Hallo Wereld")
    page.wait_for_timeout(300)
    assert page.url.startswith(live_server)


def test_quick_exit_works_without_javascript(browser, traffic, live_server):
    page = new_page(browser, traffic, java_script_enabled=False)
    page.goto(live_server + "/hulp")
    page.get_by_role("link", name=re.compile("Snel weg")).click()
    page.wait_for_url(f"https://{NEUTRAL_HOST}/**")
    assert "referer" not in {name.lower() for name in traffic.stubbed[-1]["headers"]}
    page.context.close()
    assert not traffic.leaked


@pytest.mark.parametrize("width", [320, 360, 1280])
def test_quick_exit_stays_visible_and_uncovered_while_scrolling(
    browser, traffic, live_server, width
):
    page = new_page(browser, traffic, viewport={"width": width, "height": 640})
    page.goto(live_server + EPISODE)
    for position in ("0", "document.body.scrollHeight / 2", "document.body.scrollHeight"):
        page.evaluate(f"window.scrollTo(0, {position})")
        page.wait_for_timeout(50)
        assert page.evaluate(
            """() => {
                const button = document.querySelector('[data-quick-exit]');
                const box = button.getBoundingClientRect();
                const x = box.x + box.width / 2, y = box.y + box.height / 2;
                const hit = document.elementFromPoint(x, y);
                return box.top >= 0 && box.bottom <= innerHeight && box.right <= innerWidth
                    && button.contains(hit);
            }"""
        )
    # No horizontal scrolling at this width.
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    page.context.close()
    assert not traffic.leaked and not traffic.console_errors


def test_skip_link_and_back_to_top(page, live_server):
    page.goto(live_server + "/verhalen/de-juf-die-doorvroeg")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    assert skip.evaluate("link => link === document.activeElement")
    assert skip.is_visible()
    page.get_by_role("link", name="Naar boven").click()
    page.wait_for_function("() => window.scrollY === 0")


def test_no_request_leaves_the_machine(page, live_server, traffic):
    for path in ("/", "/verhalen", "/podcast", EPISODE, "/hulp", "/campagne/week-2021"):
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
    assert traffic.local and not traffic.leaked
