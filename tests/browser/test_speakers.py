"""The transcript of a conversation in a real browser: turns, seeking, the current cue."""

from __future__ import annotations

from .conftest import new_page
from .test_accessibility import axe_violations
from .test_site import wait_for_time

CONVERSATION = "/podcast/het-gesprek"


def test_conversation_transcript_shows_speakers_seeks_and_follows(page, live_server):
    page.goto(live_server + CONVERSATION)
    transcript = page.locator("section.transcript")
    assert transcript.locator("h3").all_inner_texts() == ["Welkom", "Het vertellen", "Wat hielp"]
    turn = transcript.locator(".turn").nth(3)
    assert turn.locator(".turn-speaker").inner_text() == "Liselot (ervaringsdeskundige)"
    second = turn.locator(".cues li").nth(1)
    start = float(second.get_attribute("data-start"))
    second.locator("a.seek").click()
    wait_for_time(page, f">= {int(start)}")
    page.wait_for_selector(".turn .cues li.current", timeout=15000)
    current = page.locator(".cues li.current")
    assert float(current.get_attribute("data-start")) >= start
    assert current.get_attribute("aria-current") == "true"


def test_conversation_transcript_has_no_axe_violations(browser, traffic, live_server):
    page = new_page(browser, traffic, bypass_csp=True, viewport={"width": 1280, "height": 900})
    assert page.goto(live_server + CONVERSATION).status == 200
    assert axe_violations(page) == []
    page.context.close()
    assert not traffic.leaked
