"""The editor's chapter text: lines in, chapter dicts out, and back without change."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from wtforms.validators import ValidationError

from archive.text import clean_line
from archive.views.editor.chapters import TITLE_LENGTH, format_chapters, parse_chapters


@pytest.fixture(autouse=True)
def isolated_clients() -> None:
    """Pure functions need no app: this replaces the editor area's autouse fixture."""


def chapter(start: float, title: str, url: str | None = None) -> dict:
    return {"start": start, "title": title, "url": url}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("00:00 Begin", [chapter(0.0, "Begin")]),
        ("12:34 Wat de juf zag", [chapter(754.0, "Wat de juf zag")]),
        ("1:02:03.5 Laat", [chapter(3723.5, "Laat")]),
        ("00:01.250 Precies", [chapter(1.25, "Precies")]),
        ("75:00 Lang zonder uren", [chapter(4500.0, "Lang zonder uren")]),
        ("00:12 Midden | https://example.org/meldcode", [
            chapter(12.0, "Midden", "https://example.org/meldcode"),
        ]),
        ("00:12 Oud | http://example.org", [chapter(12.0, "Oud", "http://example.org")]),
        ("00:12 Intro | deel 1", [chapter(12.0, "Intro | deel 1")]),
        ("00:12 Cijfers | Data: de uitkomst", [chapter(12.0, "Cijfers | Data: de uitkomst")]),
        ("00:12 A | B | https://example.org", [chapter(12.0, "A | B", "https://example.org")]),
        ("00:12 Alleen titel |", [chapter(12.0, "Alleen titel")]),
        ("00:12 Intro | https://example.org |", [chapter(12.0, "Intro | https://example.org")]),
        ("00:12 Vast|https://example.org", [chapter(12.0, "Vast|https://example.org")]),
        ("  00:12   Veel   ruimte  |   https://example.org  ", [
            chapter(12.0, "Veel ruimte", "https://example.org"),
        ]),
        ("\u200e00:12 \u202eOmgekeerd\u200b", [chapter(12.0, "Omgekeerd")]),
        ("00:20 Twee\n\n00:10 Een\n", [chapter(10.0, "Een"), chapter(20.0, "Twee")]),
        ("", []),
    ],
)  # fmt: skip
def test_chapter_lines_are_read(text, expected):
    assert parse_chapters(text) == expected


def test_a_long_title_is_cut_at_a_word():
    title = "woord " * 100
    [parsed] = parse_chapters(f"00:10 {title}")
    assert parsed["title"] == clean_line(title, TITLE_LENGTH)
    assert len(parsed["title"]) <= TITLE_LENGTH


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hoofdstuk zonder tijd", "Regel 1 is geen hoofdstuk"),
        ("00:10", "Regel 1 is geen hoofdstuk"),
        ("00:10 \u200b", "Regel 1 is geen hoofdstuk"),
        ("٠٠:١٠ Arabisch-Indische cijfers", "Regel 1 is geen hoofdstuk"),
        ("00:00 Begin\n\nrommel", "Regel 3 is geen hoofdstuk"),
        ("01:75 Te veel seconden", "Regel 1: de tijd bestaat niet"),
        ("1:60:00 Te veel minuten", "Regel 1: de tijd bestaat niet"),
        ("00:10 Titel | javascript:alert(1)", "Regel 1: de URL moet met https:// beginnen"),
        ("00:10 Titel | www.example.org", "Regel 1: de URL moet met https:// beginnen"),
        ("00:10 Titel | ftp://example.org", "Regel 1: de URL moet met https:// beginnen"),
        ("00:10 Titel | mailto:redactie@example.org", "de URL moet met https:// beginnen"),
        ("00:10 Titel | https://example.org/met spatie", "de URL moet met https:// beginnen"),
        ("00:10 | https://example.org", "Regel 1: het hoofdstuk heeft geen titel"),
        ("00:10 |", "Regel 1: het hoofdstuk heeft geen titel"),
    ],
)
def test_malformed_chapter_lines_are_refused_by_line(text, message):
    with pytest.raises(ValidationError, match=message):
        parse_chapters(text)


@pytest.mark.parametrize(
    ("chapters", "text"),
    [
        ([chapter(0, "Begin"), chapter(12, "Midden", "https://example.org")],
         "00:00 Begin\n00:12 Midden | https://example.org"),
        ([chapter(3723.25, "Laat")], "1:02:03.250 Laat"),
        ([chapter(1.2346, "Afgerond")], "00:01.235 Afgerond"),
        ([chapter(-1, "Voor het begin")], "00:00 Voor het begin"),
        ([chapter(20, "Twee"), chapter(10, "Een")], "00:10 Een\n00:20 Twee"),
        ([chapter(0, "Regel\nbreuk uit de tags")], "00:00 Regel breuk uit de tags"),
        ([chapter(0, "Deel 1 | Intro")], "00:00 Deel 1 | Intro"),
        ([chapter(0, "Zie | https://example.org")], "00:00 Zie | https://example.org |"),
        ([chapter(0, "Zie | www.example.org")], "00:00 Zie | www.example.org |"),
        ([chapter(0, "Eindigt op |")], "00:00 Eindigt op | |"),
        ([chapter(0, "Titel", "https://example.org/a b")],
         "00:00 Titel | https://example.org/a%20b"),
        ([chapter(0, "Een"), chapter(5, " \u200b "), chapter(9, None)],
         "00:00 Een\n00:05 Hoofdstuk 2\n00:09 Hoofdstuk 3"),
        ([], ""),
        (None, ""),
    ],
)  # fmt: skip
def test_chapters_are_written_as_lines(chapters, text):
    assert format_chapters(chapters) == text


def test_chapters_from_audio_tags_survive_an_unchanged_form():
    from_tags = [
        chapter(0.0, "Deel 1 | Intro"),
        chapter(12.5, "Het gesprek\r\nmet de juf", "https://example.org/juf"),
        chapter(30.0, "Noot | https://example.org/in-de-titel"),
    ]
    assert parse_chapters(format_chapters(from_tags)) == [
        chapter(0.0, "Deel 1 | Intro"),
        chapter(12.5, "Het gesprek met de juf", "https://example.org/juf"),
        chapter(30.0, "Noot | https://example.org/in-de-titel"),
    ]


def test_a_url_that_is_no_web_address_is_shown_and_then_refused():
    text = format_chapters([chapter(0, "Site", "www.example.org")])
    assert text == "00:00 Site | www.example.org"
    with pytest.raises(ValidationError, match="Regel 1: de URL moet met https:// beginnen"):
        parse_chapters(text)


#: The characters that matter here, so that they meet often: separators, URL parts,
#: line breaks, bidi and zero-width characters, joiners, accents, emoji.
TRICKY = st.text(alphabet=" |\n\r\t\u202e\u200b\u200d\u0301\u212ae😀hts:/w.0", max_size=40)
TITLE = (
    st.text()
    | TRICKY
    | st.sampled_from(
        ["Intro | deel 1", "a | https://x.nl", "a |", "| https://x.nl", "x\n| y", "\u202e | www.x"]
    )
)
URL = st.none() | st.builds(
    "https://example.org/".__add__, st.text(alphabet="abc/-_.?=&|%", max_size=20)
)
CHAPTERS = st.lists(
    st.builds(
        chapter,
        st.floats(min_value=0, max_value=100_000).map(lambda start: round(start, 3)),
        TITLE,
        URL,
    ),
    max_size=10,
)


def _expected(chapters: list[dict]) -> list[dict]:
    ordered = sorted(chapters, key=lambda item: item["start"])
    return [
        chapter(
            item["start"], clean_line(item["title"], TITLE_LENGTH) or f"Hoofdstuk {n}", item["url"]
        )
        for n, item in enumerate(ordered, start=1)
    ]


@given(CHAPTERS)
def test_formatting_then_parsing_gives_the_chapters_with_clean_titles(chapters):
    text = format_chapters(chapters)
    parsed = parse_chapters(text)
    assert parsed == _expected(chapters)
    assert format_chapters(parsed) == text
    assert parse_chapters(format_chapters(parsed)) == parsed
