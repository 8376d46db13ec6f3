"""Other sites may play our audio and read our feeds; our pages stay our own (issue 12, point 7).

``Cross-Origin-Resource-Policy: same-origin`` on ``/media`` and
``/afbeeldingen`` kept web podcast players and directories from playing the
enclosure or showing the artwork. Audio, artwork, feeds, chapters and
transcripts are now ``cross-origin`` and readable by ``fetch()`` from any
origin (``Access-Control-Allow-Origin: *``); every page keeps ``same-origin``.
The same in Chromium: ``tests/browser/test_cross_origin_player.py``.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from archive.models import Episode, db
from archive.security import PAGE, SHARING

OTHER_SITE = {"Origin": "https://speler.example"}
PAGES = ["/", "/verhalen", "/podcast", "/podcast/signalen-zien", "/hulp", "/zoeken?q=school"]


@pytest.fixture
def shared_urls(demo) -> dict[str, str]:
    """Kind -> a URL of it on the demo content."""
    query = select(Episode).where(Episode.public_clause()).order_by(Episode.published_at.desc())
    episode = db.session.scalars(query.limit(1)).one()
    return {
        "audio": f"/media/{episode.audio_path}",
        "artwork": f"/afbeeldingen/{episode.show.artwork_path}",
        "podcast feed": "/podcast/feed.xml",
        "show feed": f"/podcast/{episode.show.slug}/feed.xml",
        "stories feed": "/verhalen/feed.xml",
        "chapters": f"/podcast/{episode.slug}/chapters.json",
        "transcript (vtt)": f"/podcast/{episode.slug}/transcript.vtt",
        "transcript (srt)": f"/podcast/{episode.slug}/transcript.srt",
    }


def test_audio_artwork_feeds_chapters_and_transcripts_are_shared_with_every_origin(
    client, shared_urls
):
    for kind, url in shared_urls.items():
        with client.get(url, headers=OTHER_SITE) as response:
            assert response.status_code == 200, kind
            assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin", kind
            assert response.headers["Access-Control-Allow-Origin"] == "*", kind


def test_a_partial_and_a_not_modified_answer_are_shared_too(client, shared_urls):
    audio = shared_urls["audio"]
    with client.get(audio, headers={**OTHER_SITE, "Range": "bytes=0-9"}) as partial:
        assert partial.status_code == 206
        assert partial.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
        assert "Content-Range" in partial.headers["Access-Control-Expose-Headers"]
    etag = client.get(shared_urls["podcast feed"]).headers["ETag"]
    cached = client.get(shared_urls["podcast feed"], headers={**OTHER_SITE, "If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.headers["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_for_a_conditional_fetch_is_allowed(client, shared_urls):
    response = client.options(
        shared_urls["podcast feed"],
        headers={
            **OTHER_SITE,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response.headers["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_keep_their_strict_policy(client, demo, url):
    response = client.get(url, headers=OTHER_SITE)
    assert response.status_code == 200
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Access-Control-Allow-Origin" not in response.headers


def test_the_editors_area_and_search_json_are_not_shared(client, demo):
    for url in ("/beheer/inloggen", "/zoeken.json?q=school", "/campagne/week-2021/week.ics"):
        response = client.get(url, headers=OTHER_SITE)
        assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin", url
        assert "Access-Control-Allow-Origin" not in response.headers, url


def test_only_the_delivery_endpoints_and_the_embeddable_player_are_shared(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(SHARING) <= endpoints
    # Besides feeds and files: the oEmbed answer and the player made to be framed elsewhere.
    assert {name for name in SHARING if not name.startswith("delivery.")} == {
        "public.oembed",
        "public.embed",
    }
    assert PAGE.resource_policy == "same-origin" and PAGE.allow_origin is None
