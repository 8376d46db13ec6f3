"""Dutch analysis: inflected and irregular forms meet, accents fold, stop words go."""

import pytest

from archive.search.analysis import STOP_WORDS, terms

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
