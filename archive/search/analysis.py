"""Dutch text analysis for the search index: the same on documents and queries.

Tokens are lower-cased, Dutch stop words dropped, then each word is
lemmatised (simplemma ships its Dutch data), accent-folded and stemmed with
Snowball's Dutch stemmer. Lemmatising first is what makes irregular forms
meet: Snowball alone leaves ``kinderen``/``kind``, ``gepest``/``pesten`` and
``sloeg``/``slaan`` apart. Accent folding makes ``ideeën`` and ``ideeen`` one
term. The per-word work is cached: it is the indexing hot path.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import simplemma
from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
)
from whoosh.analysis.acore import Token
from whoosh.analysis.analyzers import Analyzer
from whoosh.lang.snowball.dutch import DutchStemmer
from whoosh.lang.stopwords import stoplists

#: Words: letters and digits; apostrophes and hyphens split (``auto's``, ``co-ouder``).
WORD_PATTERN = r"\w+"

#: Whoosh's Dutch stop list, plus what people type around their question.
STOP_WORDS: frozenset[str] = stoplists["nl"] | frozenset(
    ["hoe", "wat", "waarom", "wanneer", "welke", "waar", "over", "bij", "als", "een"]
)

#: Longer "words" are noise (base64, URLs run together) and would bloat the index.
MAX_WORD_LENGTH = 40

_stemmer = DutchStemmer()
_WORD = re.compile(WORD_PATTERN)


def fold_accents(word: str) -> str:
    """``ideeën`` -> ``ideeen``: strip combining marks after NFKD decomposition."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


#: Lemmas simplemma gets wrong for this archive: ``ouder`` is a parent here
#: (simplemma reads it as ``oud``, older, and ``ouders`` as ``ouder``).
LEMMAS: dict[str, str] = {"ouder": "ouder"}

#: Changes with anything that changes index terms: an index analysed otherwise
#: is outdated (``IndexStore.schema_is_current``) and must be rebuilt.
ANALYSIS_VERSION = 2


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """One word's Dutch lemma, lower-case and accent-folded (``kinderen`` -> ``kind``)."""
    word = word.lower()
    return fold_accents(LEMMAS.get(word) or simplemma.lemmatize(word, lang="nl").lower())


@lru_cache(maxsize=500_000)
def normalize_word(word: str) -> str:
    """One lower-case word to its index term: lemma, folded, stemmed."""
    return _stemmer.stem(lemma(word))


def load_language_data() -> None:
    """Read simplemma's Dutch data now (about a second), e.g. once before forking workers."""
    normalize_word("kinderen")


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    return fold_accents(word)


class DutchMorphFilter(Filter):
    """Lemmatise, fold and stem each token (cached per word)."""

    is_morph = True

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = normalize_word(token.text)
            yield token


class FoldFilter(Filter):
    """Accent folding only: for the spelling field, where words stay words."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = fold_word(token.text)
            yield token


def dutch_analyzer() -> Analyzer:
    """The analyzer of every searchable text field."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=2, maxsize=MAX_WORD_LENGTH)
        | DutchMorphFilter()
    )


def spelling_analyzer() -> Analyzer:
    """Whole, folded words (no stop words, no stemming) for "Bedoelde je …?"."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=3, maxsize=MAX_WORD_LENGTH)
        | FoldFilter()
    )


def terms(text: str) -> list[str]:
    """The index terms of ``text`` (for tests and for reading a query)."""
    return [token.text for token in dutch_analyzer()(text)]


def term_positions(text: str) -> dict[str, list[int]]:
    """Index term -> its positions in ``text``: what :func:`dutch_analyzer` yields, in one loop.

    The indexing hot path. Whoosh's filter chain costs a generator step and a
    ``Token`` update per filter and word; this does the same work (tokenise,
    lower-case, drop stop words and over-long words, renumber, normalise)
    without them. ``tests/search/test_analysis.py`` checks both agree.
    """
    positions: dict[str, list[int]] = {}
    position = -1
    for index, match in enumerate(_WORD.finditer(text)):
        word = match.group().lower()
        if len(word) < 2 or len(word) > MAX_WORD_LENGTH or word in STOP_WORDS:
            continue
        # Whoosh's StopFilter keeps the first kept word's position and counts on from there.
        position = index if position < 0 else position + 1
        positions.setdefault(normalize_word(word), []).append(position)
    return positions
