"""Transcripts: WebVTT and SRT in, cues out, and back; malformed input is refused in Dutch."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.text import (
    Cue,
    TranscriptError,
    cues_to_srt,
    cues_to_vtt,
    parse_transcript,
    plain_text,
    transcript_text,
)

VTT = """WEBVTT

00:00:01.000 --> 00:00:03.500
Welkom bij de podcast.

00:03.500 --> 00:00:07.250
Vandaag over signalen zien.
"""

SRT = """1
00:00:01,000 --> 00:00:03,500
Welkom bij de podcast.

2
00:00:03,500 --> 00:00:07,250
Vandaag over signalen zien.
"""

EXPECTED = [
    Cue(1.0, 3.5, "Welkom bij de podcast."),
    Cue(3.5, 7.25, "Vandaag over signalen zien."),
]


@pytest.mark.parametrize(("source", "kind"), [(VTT, "vtt"), (SRT, "srt"), ("\ufeff" + VTT, "vtt")])
def test_webvtt_and_srt_give_the_same_cues(source, kind):
    assert parse_transcript(source, kind) == EXPECTED


def test_cues_survive_a_round_trip_through_both_formats():
    assert parse_transcript(cues_to_vtt(EXPECTED), "vtt") == EXPECTED
    assert parse_transcript(cues_to_srt(EXPECTED), "srt") == EXPECTED


def test_transcript_text_is_the_running_text():
    assert transcript_text(EXPECTED) == "Welkom bij de podcast. Vandaag over signalen zien."


@pytest.mark.parametrize(
    ("source", "kind", "message"),
    [
        ("WEBVTT\n\nrommel zonder tijden -->\nTekst\n", "vtt", "regel 3 heeft geen geldige tijden"),
        ("Dit is gewoon tekst.", "vtt", "geen geldig WebVTT"),
        ("WEBVTT\n", "vtt", "geen tekstblokken"),
        ("1\n00:00:05,000 --> 00:00:01,000\nAchterstevoren\n", "srt", "eindigt voordat"),
        ("1\n00:00:01.000 -> 00:00:02.000\nPijl\n", "srt", "geen geldig SRT"),
        (VTT, "docx", "Onbekend ondertitelformaat"),
    ],
)
def test_malformed_transcripts_are_refused_in_dutch(source, kind, message):
    with pytest.raises(TranscriptError) as error:
        parse_transcript(source, kind)
    assert message in error.value.message


@given(st.text(max_size=300), st.sampled_from(["vtt", "srt"]))
def test_any_text_gives_cues_or_a_transcript_error(source, kind):
    try:
        cues = parse_transcript(source, kind)
    except TranscriptError as error:
        assert error.message
    else:
        assert cues and all(cue.end >= cue.start for cue in cues)


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("**Vet** en _schuin_", "Vet en schuin"),
        ("5 < 6 & 7 > 3", "5 < 6 & 7 > 3"),
        ("Een <script>alert(1)</script> tag", "Een <script>alert(1)</script> tag"),  # text
        ("[link](https://example.org)", "link"),
    ],
)
def test_plain_text_is_text_not_html(source, text):
    assert plain_text(source) == text
