"""Moving a podcast: where it came from, where it went (``itunes:new-feed-url`` and a 301)."""

from __future__ import annotations

from lxml import etree

NEW_FEED = "https://nieuw.example.org/podcast/feed.xml"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"


def new_feed_url(body: bytes) -> str | None:
    return etree.fromstring(body).findtext(f"channel/{ITUNES}new-feed-url")


def test_a_show_that_moved_away_answers_301_and_names_its_new_feed(runner, client, demo):
    before = client.get("/podcast/feed.xml")
    assert before.status_code == 200 and new_feed_url(before.data) is None
    moved = runner.invoke(args=["move-show", "dichterbij", "--moved-to", NEW_FEED])
    assert moved.exit_code == 0, moved.output
    for path in ("/podcast/feed.xml", "/podcast/dichterbij/feed.xml"):
        response = client.get(path, headers={"If-None-Match": before.headers["ETag"]})
        assert response.status_code == 301
        assert response.headers["Location"] == NEW_FEED
        assert new_feed_url(response.data) == NEW_FEED
    assert runner.invoke(args=["move-show", "dichterbij", "--stay"]).exit_code == 0
    assert client.get("/podcast/feed.xml").status_code == 200


def test_a_show_that_moved_in_names_its_own_feed_as_the_new_one(runner, client, demo):
    came = runner.invoke(
        args=["move-show", "dichterbij", "--came-from", "https://oud.example.org/rss"]
    )
    assert came.exit_code == 0, came.output
    assert "came from https://oud.example.org/rss" in came.output
    feed = client.get("/podcast/feed.xml")
    assert new_feed_url(feed.data) == "http://localhost/podcast/feed.xml"


def test_move_show_refuses_what_is_not_a_feed_address(runner, demo):
    result = runner.invoke(args=["move-show", "dichterbij", "--moved-to", "javascript:alert(1)"])
    assert result.exit_code == 1
    assert "beginnend met https://" in result.output
    assert runner.invoke(args=["move-show", "bestaat-niet", "--stay"]).exit_code == 1
