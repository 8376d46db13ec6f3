"""Compounds split and joined only into words the index knows (a table of cases)."""

from __future__ import annotations

import pytest

from archive.search.analysis import normalize_word
from archive.search.compounds import joins, split

#: The words "in the index" for these cases (as index terms).
WORDS = (
    "kinderen mishandeling kindermishandeling huiselijk geweld vertrouwen persoon meldcode "
    "school jeugd zorg eren"
)
INDEX = {normalize_word(word) for word in WORDS.split()}


def known(term: str) -> bool:
    return term in INDEX


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("kindermishandeling", ("kind", "mishandeling")),  # linking -er-
        ("Kindermishandeling", ("kind", "mishandeling")),
        ("huiselijkgeweld", ("huiselijk", "geweld")),  # no linking element
        ("vertrouwenspersoon", ("vertrouwen", "persoon")),  # linking -s-
        ("jeugdzorg", ("jeugd", "zorg")),
        ("schoolmeldcode", ("school", "meldcode")),
        ("kinderfiets", None),  # an unknown head
        ("fietsgeweld", None),  # an unknown modifier
        ("geweld", None),  # too short to hold two parts
        ("kindgeweld", ("kind", "geweld")),
        ("vangeweld", None),  # a stop word is no part
        ("kinderen", None),  # a form of kind, not kind + eren
    ],
)
def test_a_word_splits_into_known_parts(word: str, parts: tuple[str, str] | None) -> None:
    assert split(word, known) == parts


@pytest.mark.parametrize(
    ("first", "between", "second", "compounds"),
    [
        ("mishandeling", "van", "kinderen", ["kindermishandeling"]),
        ("huiselijk", None, "geweld", []),  # not a word the index has
        ("kinderen", None, "mishandeling", []),  # neighbours join as written only
        ("mishandeling", "door", "kinderen", []),  # only "van" turns round
        ("vertrouwens", None, "persoon", []),
    ],
)
def test_neighbouring_words_join_into_known_compounds(first, between, second, compounds) -> None:
    assert joins(first, second, between, known) == compounds


def test_joined_words_are_found_when_the_index_has_them() -> None:
    index = INDEX | {normalize_word("huiselijkgeweld")}
    assert joins("huiselijk", "geweld", None, index.__contains__) == ["huiselijkgeweld"]
