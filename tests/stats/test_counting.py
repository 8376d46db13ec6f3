"""The counting rules, through the real media, page and search URLs (IAB v2.2 as the model)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import select

from archive import create_app, stats
from archive.models import Episode, Story, db

from .conftest import ANTENNAPOD, APPLE, DAY_TWO, FIREFOX, count, flush


def test_full_download_counts_once_per_visitor_episode_and_day(app, visitor, episode, audio_url):
    listener = visitor()
    for _ in range(3):
        assert listener.get(audio_url).status_code == 200
    flush(app)
    assert count("download", episode.id) == 1


def test_another_address_or_user_agent_is_another_download(app, visitor, episode, audio_url):
    visitor("192.0.2.10", ANTENNAPOD).get(audio_url)
    visitor("192.0.2.11", ANTENNAPOD).get(audio_url)
    visitor("192.0.2.10", APPLE).get(audio_url)
    flush(app)
    assert count("download", episode.id) == 3
    assert count("download", episode.id, "antennapod") == 2
    assert count("download", episode.id, "apple") == 1


def test_the_next_day_counts_again(app, visitor, episode, audio_url):
    visitor().get(audio_url)
    flush(app)
    app.config["NOW"] = DAY_TWO
    visitor().get(audio_url)
    flush(app)
    assert count("download", episode.id) == 2


def test_probe_and_head_do_not_count(app, visitor, episode, audio_url):
    listener = visitor()
    assert listener.get(audio_url, Range="bytes=0-1").status_code == 206
    assert listener.head(audio_url).status_code == 200
    flush(app)
    assert count("download", episode.id) == 0


#: One listener's ranges of a ten-minute episode, given the bytes in a minute: each
#: ``Range`` header with the downloads counted once that request is written.
MINUTE_CASES: dict[str, Callable[[int], list[tuple[str, int]]]] = {
    "two-halves-make-a-minute": lambda minute: [
        (f"bytes=0-{minute // 2 - 1}", 0),
        (f"bytes={minute // 2}-{minute}", 1),
    ],
    "one-half-four-times-is-not-a-minute": lambda minute: [(f"bytes=0-{minute // 2}", 0)] * 4,
}


@pytest.mark.parametrize("ranges", MINUTE_CASES.values(), ids=MINUTE_CASES.keys())
def test_ranges_count_only_when_together_they_make_a_minute(
    app, visitor, episode, audio_url, audio, ranges
):
    # Ten minutes of audio: a minute is a tenth of the file.
    episode.duration = 600.0
    db.session.commit()
    listener = visitor()
    for header, downloads in ranges(len(audio) // 10):
        assert listener.get(audio_url, Range=header).status_code == 206
        flush(app)
        assert count("download", episode.id) == downloads


def test_short_episode_needs_the_whole_file(app, visitor, episode, audio_url, audio):
    assert episode.duration < 60
    listener = visitor()
    listener.get(audio_url, Range=f"bytes=0-{len(audio) - 2}")
    flush(app)
    assert count("download", episode.id) == 0
    listener.get(audio_url, Range="bytes=-1")
    flush(app)
    assert count("download", episode.id) == 1


def test_bots_and_missing_user_agents_are_not_counted(app, visitor, episode, audio_url):
    for agent in ("Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.5.0", ""):
        assert visitor(agent=agent).get(audio_url).status_code == 200
    flush(app)
    assert count("download") == 0


def test_not_modified_is_not_a_download(app, visitor, episode, audio_url):
    listener = visitor()
    etag = listener.head(audio_url).headers["ETag"]
    assert listener.get(audio_url, **{"If-None-Match": etag}).status_code == 304
    flush(app)
    assert count("download") == 0


def test_behind_nginx_the_app_counts_nothing_nginx_does(app, visitor, episode, audio_url):
    """nginx sends the bytes and its log counts them (test_proxylog.py): never twice."""
    app.config["X_ACCEL_REDIRECT"] = "/_media"
    listener = visitor()
    assert "X-Accel-Redirect" in listener.get(audio_url).headers
    assert "X-Accel-Redirect" in listener.get(audio_url, Range="bytes=0-").headers
    flush(app)
    assert count("download") == 0
    app.config["X_ACCEL_REDIRECT"] = None
    assert listener.get(audio_url).status_code == 200
    flush(app)
    assert count("download", episode.id) == 1


def test_counting_off_counts_nothing(app_config, demo, visitor, episode, audio_url):
    quiet = create_app({**app_config, "STATS_ENABLED": False})
    quiet.test_client().get(audio_url, headers={"User-Agent": ANTENNAPOD}, buffered=True)
    flush(quiet)
    assert count("download") == 0


def test_two_nodes_at_once_count_one_download(app, app_config, demo, episode, audio_url):
    """Several app nodes on one database: the same listener's fetches arrive at all of them."""
    nodes = [create_app(app_config) for _ in range(4)]
    for node in nodes:
        node.test_client().get(
            audio_url,
            headers={"User-Agent": ANTENNAPOD},
            environ_base={"REMOTE_ADDR": "192.0.2.9"},
            buffered=True,
        )
    start = threading.Barrier(len(nodes))
    errors: list[BaseException] = []

    def write(node) -> None:  # type: ignore[no-untyped-def]
        start.wait()
        try:
            flush(node)
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=write, args=(node,)) for node in nodes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for node in nodes:
        with node.app_context():
            db.engine.dispose()
    assert errors == []
    assert count("download", episode.id) == 1


def test_story_reads_and_episode_views_count_page_views(app, visitor, demo, episode):
    story = db.session.scalars(select(Story).where(Story.public_clause()).limit(1)).one()
    reader = visitor(agent=FIREFOX)
    assert reader.get(f"/verhalen/{story.slug}").status_code == 200
    assert reader.get(f"/verhalen/{story.slug}").status_code == 200
    assert reader.get(f"/podcast/{episode.slug}").status_code == 200
    assert reader.head(f"/podcast/{episode.slug}").status_code == 200
    visitor(agent="Googlebot/2.1 (+http://www.google.com/bot.html)").get(f"/verhalen/{story.slug}")
    flush(app)
    assert count("read", story.id) == 2
    assert count("view", episode.id) == 1


def test_searches_count_with_and_without_results(app, visitor, demo):
    searcher = visitor(agent=FIREFOX)
    assert searcher.get("/zoeken?q=vader").status_code == 200
    assert searcher.get("/zoeken?q=xyzzyonvindbaar").status_code == 200
    assert searcher.get("/zoeken?q=").status_code == 200
    flush(app)
    assert count("search") == 2
    assert count("search_empty") == 1


def test_buffer_is_written_by_itself_when_full(app_config, demo, episode, audio_url):
    node = create_app({**app_config, "STATS_BATCH": 1})
    node.test_client().get(audio_url, headers={"User-Agent": ANTENNAPOD}, buffered=True)
    stats.recorder(node).wait()
    assert stats.recorder(node).due() is False
    with node.app_context():
        db.engine.dispose()
    assert count("download", episode.id) == 1


def test_demo_episode_query_is_public(episode):
    # Guards the fixtures: counting needs a public episode with a real file.
    assert isinstance(episode, Episode) and episode.is_public and episode.audio_size
