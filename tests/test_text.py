"""Text: one clean line for titles and names; transcripts (WebVTT, SRT, plain text) in,
cues out, and back; malformed input is refused in Dutch."""

import itertools
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.text import (
    CUE_LENGTH,
    Cue,
    TranscriptError,
    clean_line,
    cues_to_srt,
    cues_to_vtt,
    cut_at_word,
    normalize_cue_text,
    parse_transcript,
    plain_text,
    plain_text_cues,
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


# --- One clean line: titles, names, tags, slug sources ------------------------------------

FILE_NAME_TITLE = " ".join(f"interview{n:03d}" for n in range(77))  # 1,000 characters


@pytest.mark.parametrize(
    ("value", "max_length", "expected"),
    [
        (
            "Verhaal \u202etxt.exe",
            200,
            "Verhaal txt.exe",
        ),  # bidi override: the name reads backwards
        ("Signalen\u200bzien", 200, "Signalenzien"),  # zero-width space
        ("Eerste regel\nTweede regel", 200, "Eerste regel Tweede regel"),
        ("Regel\r\n\r\n\tmet\u2028ruimte\u00a0en  spaties", 200, "Regel met ruimte en spaties"),
        ("  \ufeffTitel \u2066ingesloten\u2069 \u200e\u200f\u061c", 200, "Titel ingesloten"),
        ("hoofd\u00adstuk\u2060s", 200, "hoofdstuks"),  # soft hyphen, word joiner
        ("nul\x00bel\x07del\x7f", 200, "nulbeldel"),  # control characters
        ("Cafe\u0301", 200, "Café"),  # NFC
        ("Team 👩\u200d💻", 200, "Team 👩\u200d💻"),  # the joiner of an emoji stays
        ("a\u200db 👩\u200d b", 200, "ab 👩 b"),  # a joiner with nothing to join goes
        ("\u212a\u200dé", 200, "Ké"),  # the Kelvin sign is a K (ASCII): no joiner beside it
        (FILE_NAME_TITLE, 200, FILE_NAME_TITLE[:194]),  # 15 words of 12, 14 spaces
        ("Een titel die net past", 22, "Een titel die net past"),
        ("Een titel die net niet past", 21, "Een titel die net"),
        ("Een titel", 9, "Een titel"),
        ("Een titel", 4, "Een"),  # the space right at the limit ends a whole word
        ("Onafgebrokenwoord en meer", 6, "Onafge"),  # a first word longer than the limit
        ("👩\u200d💻", 2, "👩"),  # a hard cut does not end on a joiner
        ("\u200b\u202e \n ", 200, ""),
        ("Iets", 0, ""),
    ],
)
def test_clean_line(value, max_length, expected):
    assert clean_line(value, max_length) == expected


@pytest.mark.parametrize(
    ("text", "max_length", "separator", "expected"),
    [
        ("signalen-zien-en-melden", 13, "-", "signalen-zien"),
        ("signalen-zien-en-melden", 15, "-", "signalen-zien"),
        ("signalen-zien-en-melden", 5, "-", "signa"),
        ("signalen--zien", 10, "-", "signalen"),
        ("kort", 80, "-", "kort"),
        ("twee woorden", 7, " ", "twee"),
        ("twee woorden", -1, " ", ""),
    ],
)
def test_cut_at_word(text, max_length, separator, expected):
    assert cut_at_word(text, max_length, separator) == expected


TRICKY = st.text(alphabet=" \n\t\u00a0\u202e\u200b\u200d\u00ad\x00\u0301\u212ae😀-", max_size=40)


@given(st.text() | TRICKY, st.integers(min_value=0, max_value=60))
def test_a_clean_line_is_one_short_visible_line_and_stays_so(value, max_length):
    line = clean_line(value, max_length)
    assert len(line) <= max_length
    assert line == line.strip() and "  " not in line
    assert line == unicodedata.normalize("NFC", line)
    assert all(char == " " or not char.isspace() for char in line)
    assert not any(unicodedata.category(char) in {"Cc", "Cf"} and char != "\u200d" for char in line)
    assert clean_line(line, max_length) == line


@given(st.lists(st.text(alphabet="abc-", min_size=1, max_size=8), max_size=8), st.integers(0, 30))
def test_cut_at_word_keeps_whole_words_unless_one_is_too_long(words, max_length):
    text = "-".join(words)
    cut = cut_at_word(text, max_length, "-")
    assert len(cut) <= max_length and text.startswith(cut)
    assert cut == text or text[len(cut)] == "-" or "-" not in text[1 : max_length + 1]


# --- Cues out: never an unreadable file ---------------------------------------------------


def test_blank_lines_inside_a_cue_are_dropped_so_no_text_is_lost():
    cues = [Cue(0.0, 1.0, "Eerste alinea.\n\n  \nTweede alinea.\r\n\r\nDerde.")]
    for written, kind in [(cues_to_vtt(cues), "vtt"), (cues_to_srt(cues), "srt")]:
        assert parse_transcript(written, kind) == [
            Cue(0.0, 1.0, "Eerste alinea.\nTweede alinea.\nDerde.")
        ]


def test_angle_brackets_and_ampersands_survive_webvtt():
    cues = [Cue(0.0, 1.0, "5 < 6 & 7 > 3, <b>geen tag</b> &amp; geen entiteit")]
    assert "&lt;b>" in cues_to_vtt(cues)
    assert parse_transcript(cues_to_vtt(cues)) == cues


@pytest.mark.parametrize("write", [cues_to_vtt, cues_to_srt])
def test_a_cue_text_with_an_arrow_is_refused(write):
    cues = [Cue(0.0, 1.0, "Goed"), Cue(1.0, 2.0, "hier --> daar")]
    with pytest.raises(TranscriptError, match="Tekstblok 2 bevat de pijl"):
        write(cues)


def _cues(text: st.SearchStrategy[str]) -> st.SearchStrategy[list[Cue]]:
    millis = st.integers(min_value=0, max_value=10 * 3_600_000)
    cue = st.builds(
        lambda start, length, body: Cue(start / 1000, (start + length) / 1000, body),
        millis,
        millis,
        text.filter(lambda body: "-->" not in body),
    )
    return st.lists(cue, min_size=1, max_size=8)


def _normalized(cues: list[Cue]) -> list[Cue]:
    normalized = [Cue(cue.start, cue.end, normalize_cue_text(cue.text)) for cue in cues]
    return [cue for cue in normalized if cue.text]


def _assert_round_trip(written: str, kind: str, cues: list[Cue]) -> None:
    expected = _normalized(cues)
    if expected:
        assert parse_transcript(written, kind) == expected
    else:  # no cue with text, so none written: not a transcript
        with pytest.raises(TranscriptError):
            parse_transcript(written, kind)


@given(_cues(st.text(max_size=80)))
def test_any_cues_survive_webvtt_up_to_blank_lines(cues):
    _assert_round_trip(cues_to_vtt(cues), "vtt", cues)


@given(_cues(st.text(max_size=80).filter(lambda body: "<" not in body)))
def test_any_cues_without_tags_survive_srt_up_to_blank_lines(cues):
    # SRT has no escaping: "<…>" is a tag there, as in every player.
    _assert_round_trip(cues_to_srt(cues), "srt", cues)


def test_a_cue_without_text_is_left_out():
    cues = [Cue(0.0, 1.0, "Een"), Cue(1.0, 2.0, " \n\n "), Cue(2.0, 3.0, "Drie")]
    assert parse_transcript(cues_to_vtt(cues)) == [cues[0], cues[2]]


# --- Plain text in: paragraphs become cues spread over the audio --------------------------


def test_every_paragraph_of_plain_text_becomes_a_cue():
    text = "Welkom bij de podcast.\n\n\nVandaag over\nsignalen zien.\n \nTot slot."
    cues = plain_text_cues(text, 58.0)  # 22 + 27 + 9 characters
    assert [cue.text for cue in cues] == [
        "Welkom bij de podcast.",
        "Vandaag over signalen zien.",
        "Tot slot.",
    ]
    assert [(cue.start, cue.end) for cue in cues] == [(0.0, 22.0), (22.0, 49.0), (49.0, 58.0)]


def test_a_long_paragraph_is_cut_at_sentence_ends():
    sentences = [f"Dit is zin nummer {n}, over wat de juf zag." for n in range(20)]
    cues = plain_text_cues(" ".join(sentences), 600)
    assert len(cues) > 1
    assert all(len(cue.text) <= CUE_LENGTH for cue in cues)
    assert all(cue.text.endswith("zag.") for cue in cues)
    assert " ".join(cue.text for cue in cues) == " ".join(sentences)


def test_a_sentence_longer_than_a_cue_is_cut_between_words():
    cues = plain_text_cues("woord " * 200, 60)
    assert len(cues) == 4 and all(len(cue.text) <= CUE_LENGTH for cue in cues)


@pytest.mark.parametrize(
    ("text", "duration", "message"),
    [
        ("Tekst zonder audio.", None, "kan pas als de aflevering audio heeft"),
        ("Tekst zonder audio.", 0, "kan pas als de aflevering audio heeft"),
        ("Tekst zonder audio.", -3.0, "kan pas als de aflevering audio heeft"),
        ("Tekst zonder audio.", float("nan"), "kan pas als de aflevering audio heeft"),
        ("Eerst dit.\n\nDan 00:01 --> 00:02 dat.", 60, "Regel 3 bevat de pijl"),
        (" \n\n\t", 60, "Het transcript is leeg"),
    ],
)
def test_plain_text_that_cannot_become_cues_is_refused(text, duration, message):
    with pytest.raises(TranscriptError, match=message):
        plain_text_cues(text, duration)


WORD = st.text(min_size=1, max_size=12).filter(
    lambda word: word.split() == [word] and "-->" not in word
)
SPACE = st.sampled_from([" ", "  ", "\n", "\n\n", "\r\n \r\n", "\t", "\n\n\n"])


@given(
    st.lists(st.tuples(WORD, SPACE), min_size=1, max_size=120),
    st.floats(min_value=0.001, max_value=36_000),
)
def test_every_word_of_plain_text_survives_webvtt(words, duration):
    text = "".join(word + space for word, space in words)
    cues = parse_transcript(cues_to_vtt(plain_text_cues(text, duration)))
    assert [word for cue in cues for word in cue.text.split()] == text.split()
    assert cues[0].start == 0.0
    assert cues[-1].end == round(duration * 1000) / 1000
    assert all(cue.start <= cue.end for cue in cues)
    assert all(left.end == right.start for left, right in itertools.pairwise(cues))
