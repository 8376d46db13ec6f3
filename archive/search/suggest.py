"""Spelling suggestions ("Bedoelde je …?") drawn only from what is public now.

The words come from the ``spell`` field (each item document's distinct,
accent-folded words), but a word counts only while it occurs in a document
of the *public set*: the documents whose ``published`` moment has passed
(``querying`` computes that set once per searcher, until the next scheduled
moment). So a draft (never indexed), a scheduled item (not yet in the set),
a withdrawn or deleted item (its documents removed by the follower of the
change log, the same step that removes it from the results) never lends a
word to a suggestion, nor decides whether a typed word counts as known.
``flask check`` compares the index with the database item by item, so drift
here is drift it reports (and ``--repair`` fixes).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from whoosh.searching import Searcher
from whoosh.spelling import Corrector

from .analysis import STOP_WORDS, fold_accents, terms
from .documents import SEARCH_FIELDS, SPELL_FIELD
from .queries import build
from .syntax import Node, Words, map_words, render

_WORD = re.compile(r"\w+")
#: Shorter words are not corrected.
MIN_LENGTH = 3
#: Public documents counted per candidate word (enough to rank by).
COUNT_UP_TO = 1000


def public_count(searcher: Searcher, fieldname: str, term: str, public: Any) -> int:
    """In how many public documents ``term`` occurs (up to :data:`COUNT_UP_TO`)."""
    reader = searcher.reader()
    if not reader.doc_frequency(fieldname, term):
        return 0
    count = 0
    for docnum in reader.postings(fieldname, term).all_ids():
        if docnum in public:
            count += 1
            if count >= COUNT_UP_TO:
                break
    return count


def occurs_publicly(searcher: Searcher, fieldname: str, term: str, public: Any) -> bool:
    reader = searcher.reader()
    if not reader.doc_frequency(fieldname, term):
        return False
    return any(docnum in public for docnum in reader.postings(fieldname, term).all_ids())


class PublicCorrector(Corrector):
    """Corrections among the ``spell`` words of public documents: nearest, then most used."""

    def __init__(self, searcher: Searcher, public: Any) -> None:
        self.searcher = searcher
        self.public = public

    def _suggestions(self, text: str, maxdist: int, prefix: int) -> Any:
        reader = self.searcher.reader()
        seen = {text}
        for distance in range(1, maxdist + 1):
            for word in reader.terms_within(SPELL_FIELD, text, distance, prefix=prefix):
                if word in seen:
                    continue
                seen.add(word)
                count = public_count(self.searcher, SPELL_FIELD, word, self.public)
                if count:
                    yield -distance + 0.5 * count / (count + 1), word


def known(searcher: Searcher, word: str, public: Any) -> bool:
    """Is ``word`` in a public document, as itself or through its lemma (``pesten``/``gepest``)?"""
    folded = fold_accents(word.lower())
    if occurs_publicly(searcher, SPELL_FIELD, folded, public):
        return True
    return any(
        occurs_publicly(searcher, name, term, public)
        for term in terms(word)
        for name in SEARCH_FIELDS
    )


def suggest(searcher: Searcher, tree: Node | None, total: int, public: Any) -> str | None:
    """A corrected query (text) that finds more than ``total`` public hits, or None."""
    corrector = PublicCorrector(searcher, public)
    changed = False

    def fix(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group(0)
        folded = fold_accents(word.lower())
        if len(folded) < MIN_LENGTH or folded in STOP_WORDS or known(searcher, word, public):
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
