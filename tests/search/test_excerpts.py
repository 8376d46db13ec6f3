"""Excerpts of long texts: the densest stretches go to the highlighter, nothing else."""

from __future__ import annotations

import pytest

from archive import search
from archive.search.analysis import normalize_word
from archive.search.excerpts import LEAD, WINDOW, best_windows, match_positions

FILLER = "Het was een gewone dag op school en er gebeurde weinig bijzonders. " * 40


def terms_of(*words: str) -> set[str]:
    return {normalize_word(word) for word in words}


@pytest.mark.parametrize(
    ("text", "words", "found"),
    [
        ("Ze werd gepest op school.", ("pesten",), ["gepest"]),
        ("De kinderen speelden; een kind huilde.", ("kind",), ["kinderen", "kind"]),
        ("Hij sloeg haar. Slaan mag nooit.", ("slaan",), ["sloeg", "Slaan"]),
        ("Dit is de en het.", ("de",), []),  # stop words are never terms
    ],
)
def test_match_positions_use_the_index_analysis(text, words, found):
    positions = match_positions(text, terms_of(*words))
    assert [text[p:].split()[0].strip(".;") for p in positions] == found


def test_the_densest_stretches_are_chosen_in_text_order():
    text = FILLER + "Eén keer gepest. " + FILLER + "Gepest, gepest en weer gepest. " + FILLER
    windows = best_windows(text, terms_of("pesten"), count=2)
    assert len(windows) == 2
    assert windows[0].count("gepest") == 1 and "Eén keer gepest" in windows[0]
    assert windows[1].lower().count("gepest") == 3
    for window in windows:
        assert len(window) <= LEAD + WINDOW + 40  # widened to whole words only
        assert window == window.strip() and window in text


def test_no_match_gives_no_window():
    assert best_windows(FILLER, terms_of("meldcode")) == []


def test_a_match_deep_in_a_long_story_is_highlighted(indexed_story, app):
    indexed_story(
        "lang-verhaal", title="Een lang verhaal", body=FILLER * 3 + "Toen kwam jeugdzorg."
    )
    results = search.query(app.config["INDEX_DIR"], "jeugdzorg")
    assert [hit.slug for hit in results.hits] == ["lang-verhaal"]
    assert "<mark>jeugdzorg</mark>" in str(results.hits[0].excerpt)


def test_excerpts_stay_escaped(indexed_story, app):
    indexed_story("code", title="Code", body=FILLER + "`<script>` en 5 < 6 bij jeugdzorg")
    excerpt = str(search.query(app.config["INDEX_DIR"], "jeugdzorg").hits[0].excerpt)
    assert "<script>" not in excerpt
    assert "&lt;script&gt; en 5 &lt; 6 bij <mark>jeugdzorg</mark>" in excerpt
