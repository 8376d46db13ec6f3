"""Persons of an episode: who speaks on the page, in every transcript format, in the feed,
in search, and a withdrawn name nowhere (the demo's conversation episode, real audio)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import webvtt
from lxml import etree, html
from sqlalchemy import select

from archive import editorial
from archive.models import AuditEvent, Episode, Person, db

NS = {"podcast": "https://podcastindex.org/namespace/1.0"}
SLUG = "het-gesprek"
NAME = "Liselot"
TRANSCRIPT_TYPES = {
    "text/vtt": "vtt",
    "application/x-subrip": "srt",
    "application/json": "json",
}


@pytest.fixture
def conversation(demo) -> Episode:
    return db.session.scalar(select(Episode).where(Episode.slug == SLUG))


def _item(client, slug: str = SLUG) -> etree._Element:
    feed = etree.fromstring(client.get("/podcast/feed.xml").data)
    return next(i for i in feed.iter("item") if i.findtext("link").endswith(f"/podcast/{slug}"))


def test_demo_conversation_is_example_content_with_two_mapped_voices(conversation):
    assert conversation.is_demo and conversation.is_public
    assert [(p.name, p.role, p.perspective) for p in conversation.persons] == [
        ("Daan", "host", "interviewer"),
        (NAME, "guest", "storyteller"),
    ]
    assert {cue.speaker for cue in conversation.transcript_cues()} == {"Daan", NAME}


def test_page_shows_turns_with_the_speaker_once_each_under_chapter_headings(client, conversation):
    page = html.fromstring(client.get(f"/podcast/{SLUG}").data)
    transcript = page.get_element_by_id("transcript-kop").getparent()
    assert [h.text for h in transcript.findall(".//h3")] == [
        "Welkom",
        "Het vertellen",
        "Wat hielp",
    ]
    speakers = [p.text for p in transcript.find_class("turn-speaker")]
    assert speakers == [
        "Daan (interviewer)",
        f"{NAME} (ervaringsdeskundige)",
        "Daan (interviewer)",
        f"{NAME} (ervaringsdeskundige)",
        "Daan (interviewer)",
        f"{NAME} (ervaringsdeskundige)",
    ]
    # Two cues of one turn: the speaker is said once, both lines still seek the player.
    second_turn = transcript.find_class("turn")[3]
    assert len(second_turn.findall(".//li[@data-start]")) == 2
    assert all(a.get("href").startswith("#t=") for a in second_turn.iter("a"))


def test_feed_carries_persons_and_three_transcript_formats_with_speakers(client, conversation):
    item = _item(client)
    persons = [(p.text, p.get("role"), p.get("group")) for p in item.findall("podcast:person", NS)]
    assert persons == [("Daan", "host", "cast"), (NAME, "guest", "cast")]
    channel_hosts = etree.fromstring(client.get("/podcast/feed.xml").data).findall(
        "channel/podcast:person", NS
    )
    assert [(p.text, p.get("role")) for p in channel_hosts] == [("Daan", "host")]
    transcripts = item.findall("podcast:transcript", NS)
    assert {t.get("type") for t in transcripts} == set(TRANSCRIPT_TYPES)
    assert {t.get("language") for t in transcripts} == {"nl"}
    bodies = {}
    for element in transcripts:
        path = element.get("url").removeprefix("http://localhost")
        response = client.get(path)
        assert response.status_code == 200
        assert response.mimetype == element.get("type")
        bodies[TRANSCRIPT_TYPES[element.get("type")]] = response.get_data(as_text=True)
    vtt = webvtt.from_buffer(io.StringIO(bodies["vtt"])).captions
    assert [c.voice for c in vtt] == ["Daan", NAME, "Daan", NAME, NAME, "Daan", NAME]
    srt = webvtt.from_buffer(io.StringIO(bodies["srt"]), format="srt").captions
    assert srt[1].text.startswith(f"{NAME}: ")
    data = json.loads(bodies["json"])
    assert data["version"] == "1.0.0"
    for segment, caption in zip(data["segments"], vtt, strict=True):
        assert set(segment) == {"speaker", "startTime", "endTime", "body"}
        assert segment["speaker"] == caption.voice
        assert segment["body"] == caption.text
        assert segment["startTime"] == caption.start_time.in_milliseconds() / 1000


def test_pseudonym_replaces_the_transcripts_voice_and_links_need_consent(client, conversation):
    rows = [
        {"id": p.id, "voice": p.voice, "name": p.name, "role": p.role, "perspective": p.perspective}
        for p in conversation.persons
    ]
    rows[1].update(name="Roos", href="https://example.org/roos", img="https://example.org/r.jpg")
    rows[0].update(href="https://example.org/daan", consent=True)
    editorial.save_persons(conversation.id, rows, editorial.COMMAND_LINE)
    db.session.expire_all()
    episode = db.session.get(Episode, conversation.id)
    assert NAME not in episode.transcript_vtt
    assert {cue.speaker for cue in episode.transcript_cues()} == {"Daan", "Roos"}
    persons = _item(client).findall("podcast:person", NS)
    assert [(p.text, p.get("href"), p.get("img")) for p in persons] == [
        ("Daan", "https://example.org/daan", None),
        ("Roos", None, None),  # no consent: neither kept nor published
    ]
    assert "Roos (ervaringsdeskundige)" in client.get(f"/podcast/{SLUG}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "vul de naam in"),
        ({"role": "koning"}, "kies een rol"),
        ({"href": "javascript:alert(1)", "consent": True}, "https://"),
        ({"name": "Daan"}, "hoort al bij een andere spreker"),
    ],
)
def test_bad_persons_are_refused_in_dutch_and_nothing_changes(conversation, change, message):
    before = [(p.name, p.role, p.href) for p in conversation.persons]
    version = conversation.version
    rows = [
        {"id": p.id, "voice": p.voice, "name": p.name, "role": p.role} for p in conversation.persons
    ]
    rows[1].update(change)
    with pytest.raises(editorial.EditorialError) as raised:
        editorial.save_persons(conversation.id, rows, editorial.COMMAND_LINE)
    assert message in raised.value.message
    db.session.expire_all()
    episode = db.session.get(Episode, conversation.id)
    assert [(p.name, p.role, p.href) for p in episode.persons] == before
    assert episode.version == version


PUBLIC_URLS = [
    "/",
    "/podcast",
    f"/podcast/{SLUG}",
    f"/podcast/{SLUG}/insluiten",
    f"/podcast/{SLUG}/transcript.vtt",
    f"/podcast/{SLUG}/transcript.srt",
    f"/podcast/{SLUG}/transcript.json",
    f"/podcast/{SLUG}/chapters.json",
    "/podcast/feed.xml",
    "/sitemap.xml",
    "/zoeken?q=juf",
    "/zoeken.json?q=juf",
    "/zoeken.json?q=juf&spreker=storyteller",
    "/zoeken.json?q=vertrouwt",
]


def test_withdrawn_name_is_nowhere_public_at_once_and_history_says_only_that(
    app, client, conversation
):
    found = client.get("/zoeken.json?q=juf").get_json()
    hit = next(h for h in found["hits"] if h["slug"] == SLUG)
    assert hit["speaker"] == f"{NAME} (ervaringsdeskundige)"
    person = next(p for p in conversation.persons if p.name == NAME)

    editorial.withdraw_name(conversation.id, person.id, editorial.COMMAND_LINE)

    for url in PUBLIC_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert NAME not in response.get_data(as_text=True), url
    page = client.get(f"/podcast/{SLUG}").get_data(as_text=True)
    assert "Verteller (ervaringsdeskundige)" in page
    persons = _item(client).findall("podcast:person", NS)
    assert [p.text for p in persons] == ["Daan"]  # the withdrawn person is dropped
    found = client.get("/zoeken.json?q=juf").get_json()
    assert next(h for h in found["hits"] if h["slug"] == SLUG)["speaker"] == (
        "Verteller (ervaringsdeskundige)"
    )
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.item_kind == "episode", AuditEvent.item_id == conversation.id
        )
    ).all()
    assert "name_withdrawn" in [e.action for e in events]
    assert not any(NAME in (e.detail or "") for e in events)
    assert NAME not in str(
        db.session.scalar(select(Episode.transcript_vtt).where(Episode.id == conversation.id))
    )
    assert not db.session.scalars(select(Person).where(Person.name == NAME)).all()
    # The index never held the name: not in any file, deleted documents included.
    index_files = [p for p in Path(app.config["INDEX_DIR"]).rglob("*") if p.is_file()]
    assert index_files
    assert not any(
        NAME.encode() in p.read_bytes() or NAME.lower().encode() in p.read_bytes()
        for p in index_files
    )
