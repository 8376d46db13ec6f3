"""Dutch analysis: inflected and irregular forms meet, accents fold, stop words go."""

import pytest
from whoosh.formats import Positions

from archive.search.analysis import STOP_WORDS, dutch_analyzer, terms
from archive.search.documents import DutchTextField

#: (document word, query word): the same term after analysis.
SAME = [
    ("kinderen", "kind"),
    ("kindje", "kind"),
    ("mishandeld", "mishandeling"),
    ("mishandelen", "mishandeling"),
    ("gepest", "pesten"),
    ("pestte", "pesten"),
    ("sloeg", "slaan"),
    ("geslagen", "slaan"),
    ("ideeën", "ideeen"),
    ("Ideeën", "idee"),
    ("vaders", "vader"),
    ("juffen", "juf"),
    ("signalen", "signaal"),
    ("huisartsen", "huisarts"),
    ("pleegouders", "pleegouder"),
    ("gesprekken", "gesprek"),
    ("ZORGEN", "zorg"),
    ("café", "cafe"),
    ("ouders", "ouder"),  # a parent here, not older (analysis.LEMMAS)
]

#: Words that must stay apart.
DIFFERENT = [
    ("kind", "kant"),
    ("vader", "moeder"),
    ("pesten", "posten"),
    ("juf", "jeugdzorg"),
]


@pytest.mark.parametrize(("document", "query"), SAME)
def test_dutch_forms_meet(document: str, query: str) -> None:
    assert terms(document) == terms(query)


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_words_stay_apart(one: str, other: str) -> None:
    assert terms(one) != terms(other)


@pytest.mark.parametrize("word", ["de", "het", "een", "mijn", "en", "van"])
def test_stop_words_are_dropped(word: str) -> None:
    assert word in STOP_WORDS
    assert terms(word) == []


def test_mijn_vader_is_about_the_father() -> None:
    assert terms("mijn vader") == terms("vader")


def test_words_split_on_apostrophes_and_hyphens() -> None:
    assert terms("co-ouder") == terms("co ouder")


def test_analysis_keeps_positions_for_highlighting() -> None:
    from archive.search.analysis import dutch_analyzer

    text = "De kinderen werden gepest."
    tokens = [(t.text, text[t.startchar : t.endchar]) for t in dutch_analyzer()(text, chars=True)]
    assert ("kind", "kinderen") in tokens
    assert ("pest", "gepest") in tokens


def _cue(start: float, end: float, text: str):
    from archive.text import Cue

    return Cue(start, end, text)


def test_passages_group_about_thirty_seconds_and_break_at_pauses() -> None:
    from archive.search.documents import passages

    cues = [_cue(n * 5, n * 5 + 5, f"zin {n}") for n in range(12)] + [_cue(754, 760, "later")]
    groups = passages(cues)
    assert [group.start for group in groups] == [0, 30, 754]
    assert groups[0].text.startswith("zin 0") and groups[-1].text == "later"


#: Texts whose index terms and positions the fast path must produce exactly as Whoosh's chain.
INDEXED_TEXTS = [
    "",
    "de de de",
    "De kinderen sloegen de deur dicht, en het kindje huilde.",
    "Ideeën over co-ouderschap en auto's: wat doe je als je twijfelt?",
    "een " + "x" * 41 + " lang woord en a b c korte woorden",
    "Mishandeling   van kinderen\n\nhuiselijk geweld, HUISELIJK GEWELD. İstanbul Ærø straße",
    "12 jaar oud, 3 keer gemeld; 2024-11-18 in de meldcode",
]


@pytest.mark.parametrize("text", INDEXED_TEXTS)
def test_fast_field_indexing_matches_the_analyzer(text: str) -> None:
    field = DutchTextField(field_boost=3.0)
    expected = sorted(
        (term.encode("utf-8"), freq, weight, value)
        for term, freq, weight, value in Positions(field_boost=3.0).word_values(
            text, dutch_analyzer(), mode="index"
        )
    )
    assert sorted(field.index(text)) == expected
