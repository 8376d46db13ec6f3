"""The podcast: episode list and episode page (player, chapters, transcript, subscribe)."""

from __future__ import annotations

import re

import pytest

from archive.views.public.podcast import SUBSCRIBE_LINKS

TRANSCRIPT = """WEBVTT

00:00:01.000 --> 00:00:04.000
Eerste zin.

00:12:34.500 --> 00:12:40.000
Zin na twaalf minuten.
"""


def test_podcast_lists_only_public_episodes(client, make_episode):
    make_episode("openbaar", title="Openbare aflevering")
    make_episode("concept", title="Concept aflevering", state="draft")
    make_episode("gepland", title="Geplande aflevering", state="scheduled")
    page = client.get("/podcast").get_data(as_text=True)
    assert "Openbare aflevering" in page
    assert "Concept aflevering" not in page and "Geplande aflevering" not in page


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_non_public_episode_is_404(client, make_episode, state):
    make_episode("niet-openbaar", state=state)
    assert client.get("/podcast/niet-openbaar").status_code == 404


def test_episode_page_has_a_native_player_and_download(client, demo):
    page = client.get("/podcast/signalen-zien").get_data(as_text=True)
    player = re.search(r"<audio [^>]*>", page).group(0)
    # Nothing is downloaded before the visitor presses play (phones, data bundles);
    # the duration is in the page's text.
    assert 'controls preload="none"' in player
    assert re.search(r'src="/media/\d+-[0-9a-f]+\.mp3"', player)
    assert re.search(r'<a href="/media/[^"]+" download>Download de aflevering', page)
    assert "Duur: <time" in page
    assert "<h1>Signalen zien in de klas</h1>" in page


def test_media_link_on_the_page_is_served(client, demo):
    page = client.get("/podcast/signalen-zien").get_data(as_text=True)
    media = re.search(r'<audio [^>]*src="([^"]+)"', page).group(1)
    with client.get(media) as response:
        assert response.status_code == 200 and response.mimetype == "audio/mpeg"


def test_chapters_are_links_that_seek(client, demo):
    page = client.get("/podcast/signalen-zien").get_data(as_text=True)
    assert '<h2 id="hoofdstukken-kop">Hoofdstukken</h2>' in page
    first = '<a class="seek" href="#t=0" data-seek="0"><span class="time">0:00</span> Welkom</a>'
    assert first in page
    assert "Wat de juf zag" in page and "De meldcode" in page


def test_transcript_is_on_the_page_with_seeking_timestamps(client, make_episode):
    make_episode("met-transcript", transcript_vtt=TRANSCRIPT, duration=760.0)
    page = client.get("/podcast/met-transcript").get_data(as_text=True)
    assert '<h2 id="transcript-kop">Transcript</h2>' in page
    assert '<li data-start="754.5" data-end="760.0"><a class="seek" href="#t=754"' in page
    assert "12:34</a> Zin na twaalf minuten.</li>" in page
    assert 'href="/podcast/met-transcript/transcript.vtt"' in page
    assert "12 minuten en 40 seconden" in page


def test_every_episode_page_offers_a_transcript_section(client, make_episode):
    make_episode("zonder-transcript")
    page = client.get("/podcast/zonder-transcript").get_data(as_text=True)
    assert "Transcript" in page and "nog geen transcript" in page


def test_broken_transcript_does_not_break_the_page(client, make_episode):
    make_episode("kapot", transcript_vtt="geen webvtt")
    assert client.get("/podcast/kapot").status_code == 200


def test_show_notes_are_rendered_safely(client, make_episode):
    make_episode("notities", show_notes="**Vet** <script>alert(1)</script>")
    page = client.get("/podcast/notities").get_data(as_text=True)
    assert "<strong>Vet</strong>" in page and "<script>alert" not in page


def test_subscribe_links_are_built_from_the_feed_url(client, demo):
    page = client.get("/podcast/signalen-zien").get_data(as_text=True)
    assert 'value="http://localhost/podcast/feed.xml" readonly' in page
    assert '<button type="button" class="copy-button" data-copy="feed-adres" hidden>' in page
    assert 'href="podcast://localhost/podcast/feed.xml"' in page
    assert 'href="antennapod-subscribe://localhost/podcast/feed.xml"' in page
    assert 'href="pktc://subscribe/localhost/podcast/feed.xml"' in page
    overcast = "overcast://x-callback-url/add?url=http%3A%2F%2Flocalhost%2Fpodcast%2Ffeed.xml"
    assert f'href="{overcast}"' in page
    assert len(SUBSCRIBE_LINKS) >= 4
    assert client.get("/podcast/feed.xml").status_code == 200


def test_subscribe_links_follow_the_configured_base_url(app, client, demo):
    app.config["BASE_URL"] = "https://verhalen.example.nl"
    page = client.get("/podcast").get_data(as_text=True)
    assert 'href="podcast://verhalen.example.nl/podcast/feed.xml"' in page


def test_episode_links_related_stories(client, demo):
    page = client.get("/podcast/signalen-zien").get_data(as_text=True)
    assert "Lees ook" in page and 'href="/verhalen/de-juf-die-doorvroeg"' in page


def test_editor_preview_of_a_draft_episode_uses_the_editors_audio(app, make_episode):
    from archive.views.public import render_episode

    episode = make_episode("geheim", title="Geheime aflevering", state="draft")
    episode.audio_path = f"{episode.id}-abc.mp3"
    with app.test_request_context("/"):
        page = render_episode(episode, preview=True)
    assert "Voorbeeld (niet openbaar)" in page and "Geheime aflevering" in page
    assert f'src="/beheer/afleveringen/{episode.id}/audio"' in page
