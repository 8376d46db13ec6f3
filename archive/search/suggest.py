""" "Bedoelde je …?": a corrected query that finds more.

Words are corrected from the ``spell`` field (each item document's distinct,
accent-folded words); a word that is indexed, as itself or through its lemma,
is kept.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from whoosh.searching import Searcher

from .analysis import STOP_WORDS, fold_accents, terms
from .documents import SEARCH_FIELDS
from .queries import build
from .syntax import Node, Words, map_words, render

SPELL_FIELD = "spell"
_WORD = re.compile(r"\w+")
#: Shorter words are not corrected.
MIN_LENGTH = 3


def known(searcher: Searcher, word: str) -> bool:
    """Is ``word`` indexed, as itself or through its lemma (``pesten``/``gepest``)?"""
    if searcher.doc_frequency(SPELL_FIELD, fold_accents(word.lower())):
        return True
    return any(searcher.doc_frequency(name, term) for term in terms(word) for name in SEARCH_FIELDS)


def suggest(searcher: Searcher, tree: Node | None, total: int, public: Any) -> str | None:
    """A corrected query (text) that finds more than ``total`` public hits, or None."""
    corrector = searcher.corrector(SPELL_FIELD)
    changed = False

    def fix(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group(0)
        folded = fold_accents(word.lower())
        if len(folded) < MIN_LENGTH or folded in STOP_WORDS or known(searcher, word):
            return word
        found = corrector.suggest(folded, limit=1, maxdist=1 if len(folded) <= 4 else 2, prefix=1)
        if not found:
            return word
        changed = True
        return found[0]

    def fix_leaf(leaf: Words, negated: bool) -> Words:
        if negated:  # a corrected exclusion finds nothing more
            return leaf
        return replace(leaf, words=tuple(_WORD.sub(fix, word) for word in leaf.words))

    corrected = map_words(tree, fix_leaf)
    if not changed:
        return None
    query = build(corrected)
    if query is None:
        return None
    found = searcher.search(query, limit=1, filter=public, scored=False)
    return render(corrected) if found.scored_length() and len(found) > total else None
