"""A web player on another origin plays our enclosure and reads our feed, in Chromium.

The player's page is served by a second local HTTP server on another port,
so it is another origin (issue 12, point 7: with ``Cross-Origin-Resource-Policy:
same-origin`` Chromium refused the audio with media error 4). Our pages stay
unreadable from there.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree import ElementTree

import pytest
import requests

from .conftest import Traffic, new_page, other_origin

PLAYER_PAGE = """<!doctype html>
<html lang="nl"><title>Andere speler</title>
<audio id="speler" src="{audio}" preload="auto"></audio>
<img id="hoes" src="{artwork}" alt="">
</html>"""


@pytest.fixture
def player(live_server: str) -> Iterator[str]:
    """The other site's player page, for the newest episode's enclosure and the show's artwork."""
    answer = requests.get(f"{live_server}/podcast/feed.xml", timeout=30)
    feed = ElementTree.fromstring(answer.content)
    audio = feed.find("channel/item/enclosure").get("url")
    artwork = feed.find("channel/{http://www.itunes.com/dtds/podcast-1.0.dtd}image").get("href")
    assert audio.startswith(live_server) and artwork.startswith(live_server)
    with other_origin({"/": PLAYER_PAGE.format(audio=audio, artwork=artwork)}) as url:
        yield url


def test_a_player_on_another_origin_plays_the_enclosure(page, live_server, player):
    page.goto(player)
    assert not page.url.startswith(live_server)
    page.wait_for_function(
        "() => { const a = document.getElementById('speler'); return a.error || a.readyState >= 1 }"
    )
    assert page.evaluate("document.getElementById('speler').error") is None
    page.evaluate("document.getElementById('speler').play()")
    page.wait_for_function("() => document.getElementById('speler').currentTime > 0.5")
    page.wait_for_function("() => document.getElementById('hoes').complete")
    assert page.evaluate("document.getElementById('hoes').naturalWidth") > 0


def test_a_player_on_another_origin_fetches_the_feed_chapters_and_transcript(
    page, live_server, player
):
    page.goto(player)
    script = """async (base) => {
        const feed = await fetch(base + '/podcast/feed.xml');
        const cached = await fetch(base + '/podcast/feed.xml',
            {headers: {'If-None-Match': feed.headers.get('ETag')}});
        const text = await feed.text();
        const slug = new URL(new DOMParser().parseFromString(text, 'application/xml')
            .querySelector('item link').textContent).pathname.split('/').pop();
        const chapters = await fetch(base + '/podcast/' + slug + '/chapters.json');
        const transcript = await fetch(base + '/podcast/' + slug + '/transcript.vtt');
        return {feed: feed.status, rss: text.includes('<rss'), cached: cached.status,
                chapters: (await chapters.json()).chapters.length,
                transcript: (await transcript.text()).startsWith('WEBVTT')};
    }"""
    found = page.evaluate(script, live_server)
    assert found == {
        "feed": 200,
        "rss": True,
        "cached": 304,
        "chapters": found["chapters"],
        "transcript": True,
    }
    assert found["chapters"] > 0


def test_our_pages_stay_unreadable_from_another_origin(browser, live_server, player):
    traffic = Traffic()
    page = new_page(browser, traffic)
    try:
        page.goto(player)
        refused = page.evaluate(
            "async (url) => { try { await fetch(url); return false } catch (e) { return true } }",
            live_server + "/podcast",
        )
    finally:
        page.context.close()
    assert refused
    assert traffic.leaked == []
