"""Speakers in transcripts: WebVTT voices, SRT and pasted ``Naam:`` prefixes, JSON, turns."""

from __future__ import annotations

import io
import json

import pytest
import webvtt
from hypothesis import given
from hypothesis import strategies as st

from archive.text import (
    Cue,
    clean_voice,
    continue_speakers,
    cues_to_json,
    cues_to_srt,
    cues_to_vtt,
    parse_transcript,
    plain_text_cues,
    split_speaker,
    voices,
)
from archive.turns import sections

CONVERSATION_VTT = """WEBVTT

00:00.000 --> 00:02.000
<v Daan>Welkom. Hoe oud was je?

00:02.000 --> 00:04.000
<v.verteller Sanne>Ik was twaalf.</v>

00:04.000 --> 00:06.000
Ik vertelde het aan mijn juf &amp; zij luisterde.

00:06.000 --> 00:08.000
<v Dr. Bakker>Dat is precies wat helpt.
"""

CONVERSATION_SRT = """1
00:00:00,000 --> 00:00:02,000
Daan: Welkom. Hoe oud was je?

2
00:00:02,000 --> 00:00:04,000
Sanne: Ik was twaalf.

3
00:00:04,000 --> 00:00:06,000
Ik vertelde het aan mijn juf & zij luisterde.

4
00:00:06,000 --> 00:00:08,000
Dr. Bakker: Dat is precies wat helpt.
"""

EXPECTED = [
    Cue(0.0, 2.0, "Welkom. Hoe oud was je?", "Daan"),
    Cue(2.0, 4.0, "Ik was twaalf.", "Sanne"),
    Cue(4.0, 6.0, "Ik vertelde het aan mijn juf & zij luisterde.", "Sanne"),
    Cue(6.0, 8.0, "Dat is precies wat helpt.", "Dr. Bakker"),
]


@pytest.mark.parametrize(
    ("source", "format"), [(CONVERSATION_VTT, "vtt"), (CONVERSATION_SRT, "srt")]
)
def test_voices_are_read_and_a_cue_without_one_continues_the_last_speaker(source, format):
    assert parse_transcript(source, format) == EXPECTED
    assert voices(EXPECTED) == ["Daan", "Sanne", "Dr. Bakker"]


def test_cues_before_the_first_voice_have_no_speaker():
    source = "WEBVTT\n\n00:00.000 --> 00:01.000\nMuziek\n\n00:01.000 --> 00:02.000\n<v A>Hoi\n"
    assert [cue.speaker for cue in parse_transcript(source)] == [None, "A"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sanne: Ik was tien.", ("Sanne", "Ik was tien.")),
        ("Dr. Bakker: Ja.", ("Dr. Bakker", "Ja.")),
        ("Jan de Vries: Nee.", ("Jan de Vries", "Nee.")),
        ("om 10:30 begon het", (None, "om 10:30 begon het")),
        ("ik zei: nee", (None, "ik zei: nee")),  # no capital: running text
        (
            "Toen zei ik tegen mijn moeder heel zacht: nee",
            (None, "Toen zei ik tegen mijn moeder heel zacht: nee"),
        ),
        ("Sanne:zonder spatie", (None, "Sanne:zonder spatie")),
    ],
)
def test_a_name_prefix_is_a_speaker_only_when_it_looks_like_one(text, expected):
    assert split_speaker(text) == expected


@pytest.mark.parametrize("writer", [cues_to_vtt, cues_to_srt])
def test_written_speakers_read_back_the_same(writer):
    format = "vtt" if writer is cues_to_vtt else "srt"
    assert parse_transcript(writer(EXPECTED), format) == EXPECTED


def test_written_webvtt_has_voice_spans_that_webvtt_py_reads():
    captions = webvtt.from_buffer(io.StringIO(cues_to_vtt(EXPECTED))).captions
    assert [caption.voice for caption in captions] == ["Daan", "Sanne", "Sanne", "Dr. Bakker"]
    assert captions[2].text == "Ik vertelde het aan mijn juf &amp; zij luisterde."


def test_a_voice_cannot_break_out_of_its_span():
    cue = Cue(0, 1, "tekst", "Sanne><b>x</b")
    written = cues_to_vtt([cue])
    assert "<b>" not in written
    assert parse_transcript(written)[0].speaker == "Sanne b x /b"


def test_json_transcript_has_the_podcasting_2_fields():
    data = json.loads(json.dumps(cues_to_json(EXPECTED)))
    assert data["version"] == "1.0.0"
    assert data["segments"][1] == {
        "speaker": "Sanne", "startTime": 2.0, "endTime": 4.0, "body": "Ik was twaalf.",
    }  # fmt: skip
    assert "speaker" not in cues_to_json([Cue(0, 1, "zonder spreker")])["segments"][0]


def test_pasted_conversation_has_one_turn_per_line_and_keeps_every_word():
    text = "Daan: Hoe oud was je?\nSanne: Ik was twaalf.\nIk vertelde het.\n\nDaan: Dank je."
    cues = plain_text_cues(text, 20.0)
    assert [(cue.speaker, cue.text) for cue in cues] == [
        ("Daan", "Hoe oud was je?"),
        ("Sanne", "Ik was twaalf. Ik vertelde het."),
        ("Daan", "Dank je."),
    ]
    assert cues[0].start == 0 and cues[-1].end == 20.0


def test_turns_group_a_speakers_cues_under_the_chapter_they_start_in():
    chapters = [{"start": 0, "title": "Welkom"}, {"start": 4.0, "title": "De juf"}]
    result = sections(EXPECTED, chapters)
    assert [section.title for section in result] == ["Welkom", "De juf"]
    assert [(t.speaker, len(t.cues)) for t in result[0].turns] == [("Daan", 1), ("Sanne", 1)]
    assert [(t.speaker, len(t.cues)) for t in result[1].turns] == [("Sanne", 1), ("Dr. Bakker", 1)]


def test_turns_without_chapters_are_one_untitled_section():
    result = sections(EXPECTED)
    assert len(result) == 1 and result[0].title is None
    assert [t.speaker for t in result[0].turns] == ["Daan", "Sanne", "Dr. Bakker"]


@given(st.lists(st.one_of(st.none(), st.text(max_size=40)), min_size=1, max_size=6))
def test_any_speaker_names_survive_a_webvtt_round_trip_cleaned(speakers):
    cues = [Cue(n, n + 1, f"tekst {n}", speaker) for n, speaker in enumerate(speakers)]
    expected = continue_speakers(
        [Cue(c.start, c.end, c.text, clean_voice(c.speaker or "") or None) for c in cues]
    )
    assert parse_transcript(cues_to_vtt(cues)) == expected
