"""What an editor gets back in a form saves back unchanged; corrections reach every reader."""

from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
from mutagen.id3 import ID3, TIT2

from archive import search

from .conftest import form_fields
from .test_episodes import DEMO_MP3, episode_data, only_episode, upload

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "audio" / "cover-chapters.mp3"


def test_a_pasted_plain_text_transcript_keeps_every_paragraph(editor_client, show, app):
    upload(editor_client, DEMO_MP3)
    episode = only_episode()
    url = f"/beheer/afleveringen/{episode.id}"
    text = "Eerste alinea over de meldcode.\n\nTweede alinea over de vertrouwensarts."
    data = episode_data(episode, transcript_text=text, publication="now")
    data["csrf_token"] = form_fields(editor_client.get(url).get_data(as_text=True))["csrf_token"]
    assert editor_client.post(url, data=data).status_code == 302
    cues = only_episode().transcript_cues()
    assert [cue.text for cue in cues] == [
        "Eerste alinea over de meldcode.",
        "Tweede alinea over de vertrouwensarts.",
    ]
    assert cues[0].start == 0 and cues[-1].end == round(episode.duration, 3)
    page = editor_client.get(f"/podcast/{episode.slug}").get_data(as_text=True)
    assert "Tweede alinea over de vertrouwensarts." in page
    hits = search.query(app.config["INDEX_DIR"], "vertrouwensarts")
    assert [hit.slug for hit in hits.hits] == [episode.slug]


def test_plain_text_with_an_arrow_is_refused_naming_the_line(editor_client, show):
    upload(editor_client, DEMO_MP3)
    episode = only_episode()
    url = f"/beheer/afleveringen/{episode.id}"
    data = episode_data(episode, transcript_text="Eerst dit.\n\nDan --> dat.")
    data["csrf_token"] = form_fields(editor_client.get(url).get_data(as_text=True))["csrf_token"]
    response = editor_client.post(url, data=data)
    assert response.status_code == 422
    assert "Regel 3" in response.get_data(as_text=True)
    assert only_episode().transcript_vtt is None


def test_chapters_from_tags_with_pipes_and_line_breaks_save_back_unchanged(
    editor_client, show, tmp_path
):
    audio = tmp_path / "hoofdstukken.mp3"
    shutil.copy(FIXTURE, audio)
    tags = ID3(audio)
    titles = ["Intro | deel 1", "Welkom\nbij ons", "Vragen | https://niet-de-link"]
    for chapter, title in zip(tags.getall("CHAP"), titles, strict=True):
        chapter.sub_frames.delall("TIT2")
        chapter.sub_frames.add(TIT2(encoding=3, text=[title]))
    tags.save()
    upload(editor_client, audio)
    episode = only_episode()
    before, version = episode.chapters, episode.version
    assert sorted(c["title"] for c in before) == sorted(
        ["Intro | deel 1", "Welkom bij ons", "Vragen | https://niet-de-link"]
    )
    url = f"/beheer/afleveringen/{episode.id}"
    unchanged = form_fields(editor_client.get(url).get_data(as_text=True))
    response = editor_client.post(url, data=unchanged)
    assert response.status_code == 302, response.get_data(as_text=True)
    after = only_episode()
    assert after.chapters == before
    assert after.version == version + 1


def test_one_misheard_word_is_corrected_in_the_form_and_everywhere(editor_client, show, app):
    upload(editor_client, DEMO_MP3)
    episode = only_episode()
    url = f"/beheer/afleveringen/{episode.id}"
    vtt = DEMO_MP3.with_suffix(".vtt").read_text()
    data = episode_data(episode, transcript_text=vtt, publication="now")
    data["csrf_token"] = form_fields(editor_client.get(url).get_data(as_text=True))["csrf_token"]
    assert editor_client.post(url, data=data).status_code == 302

    shown = form_fields(editor_client.get(url).get_data(as_text=True))
    assert shown["transcript_text"].strip() == only_episode().transcript_vtt.strip()
    assert "Welkom bij Dichterbij" in shown["transcript_text"]
    corrected = shown["transcript_text"].replace("Welkom bij Dichterbij", "Welkom bij Zonnebloem")
    response = editor_client.post(url, data={**shown, "transcript_text": corrected})
    assert response.status_code == 302

    episode = only_episode()
    assert "Welkom bij Zonnebloem" in episode.transcript_vtt
    page = editor_client.get(f"/podcast/{episode.slug}").get_data(as_text=True)
    assert "Welkom bij Zonnebloem" in page
    served = editor_client.get(f"/podcast/{episode.slug}/transcript.vtt").get_data(as_text=True)
    assert "Welkom bij Zonnebloem" in served and "Welkom bij Dichterbij" not in served
    feed = feedparser.parse(editor_client.get("/podcast/feed.xml").get_data())
    assert feed.entries and not feed.bozo
    hits = search.query(app.config["INDEX_DIR"], "zonnebloem")
    assert [hit.slug for hit in hits.hits] == [episode.slug]


def test_the_unchanged_form_keeps_the_transcript_and_an_emptied_box_removes_it(editor_client, show):
    upload(editor_client, DEMO_MP3)
    episode = only_episode()
    url = f"/beheer/afleveringen/{episode.id}"
    vtt = DEMO_MP3.with_suffix(".vtt").read_text()
    data = episode_data(episode, transcript_text=vtt)
    data["csrf_token"] = form_fields(editor_client.get(url).get_data(as_text=True))["csrf_token"]
    assert editor_client.post(url, data=data).status_code == 302
    stored = only_episode().transcript_vtt
    unchanged = form_fields(editor_client.get(url).get_data(as_text=True))
    assert editor_client.post(url, data=unchanged).status_code == 302
    assert only_episode().transcript_vtt == stored
    emptied = form_fields(editor_client.get(url).get_data(as_text=True))
    assert editor_client.post(url, data={**emptied, "transcript_text": ""}).status_code == 302
    assert only_episode().transcript_vtt is None
