"""Speakers in search: passages carry who said them; "Wie spreekt" filters by perspective."""

from __future__ import annotations

import pytest

from archive import editorial, search
from archive.models import Person, db

CONVERSATION = """WEBVTT

00:00:00.000 --> 00:00:10.000
<v Daan>Welkom. Vandaag gaat het over de juf en over school.

00:00:10.000 --> 00:00:20.000
<v Mila>Mijn juf vroeg of het thuis goed ging.

00:00:20.000 --> 00:00:30.000
<v Dr. Bakker>Een leerkracht die doorvraagt, is vaak de eerste die het merkt op school.

00:00:30.000 --> 00:00:40.000
<v Mila>Daarna durfde ik het te vertellen.
"""

PERSONS = [
    {"voice": "Daan", "name": "Daan", "role": "host", "perspective": "interviewer"},
    {"voice": "Mila", "name": "Mila", "role": "guest", "perspective": "child"},
    {"voice": "Dr. Bakker", "name": "Dokter B.", "role": "guest", "perspective": "professional"},
]


@pytest.fixture
def conversation(indexed_episode, editor):
    episode = indexed_episode("gesprek-op-school", title="Gesprek", transcript_vtt=CONVERSATION)
    indexed_episode("alleen-school", title="Over school", transcript_vtt=(
        "WEBVTT\n\n00:00.000 --> 00:05.000\nDe juf op school vertelt.\n"
    ))  # fmt: skip
    editorial.save_persons(episode.id, PERSONS, editor)
    return episode


def _person(name: str) -> Person:
    return db.session.scalar(db.select(Person).where(Person.name == name))


def test_passages_are_split_at_a_new_speaker_and_carry_who_said_them(conversation, index_dir):
    found = search.query(index_dir, "leerkracht doorvraagt")
    hit = next(h for h in found.hits if h.slug == "gesprek-op-school")
    assert hit.start == 20.0
    assert hit.speaker == _person("Dokter B.").id


def test_speaker_facet_counts_the_perspectives_that_speak(conversation, index_dir):
    found = search.query(index_dir, "juf")
    counts = {value.key: value.count for value in found.facets["speakers"]}
    assert counts == {"child": 1, "interviewer": 1, "professional": 1}


@pytest.mark.parametrize(
    ("perspective", "words", "expected_start"),
    [
        ("child", "juf", 10.0),  # Daan says "juf" first, but only what the child said counts
        ("professional", "school", 20.0),
        ("interviewer", "school", 0.0),
    ],
)
def test_who_speaks_filter_finds_only_what_they_said(
    conversation, index_dir, perspective, words, expected_start
):
    found = search.query(index_dir, words, filters={"speakers": perspective})
    assert [hit.slug for hit in found.hits] == ["gesprek-op-school"]
    assert found.hits[0].start == expected_start


def test_who_speaks_filter_drops_an_episode_where_they_speak_but_not_these_words(
    conversation, index_dir
):
    # "vertellen" is said only by the child; the professional never says it.
    assert search.query(index_dir, "vertellen", filters={"speakers": "professional"}).hits == []
    assert [
        h.slug for h in search.query(index_dir, "vertellen", filters={"speakers": "child"}).hits
    ] == ["gesprek-op-school"]


def test_hit_says_who_is_speaking_on_the_page_and_in_json(client, conversation):
    page = client.get("/zoeken?q=leerkracht").get_data(as_text=True)
    assert "Dokter B. (professional) zegt:" in page
    assert "Wie spreekt" in page
    data = client.get("/zoeken.json?q=leerkracht&spreker=professional").get_json()
    assert [h["speaker"] for h in data["hits"]] == ["Dokter B. (professional)"]
    labels = {v["key"]: v["label"] for v in data["facets"]["speakers"]}
    assert labels["professional"] == "Professional"
    assert data["filters"] == {"speakers": "professional"}
