"""Dutch compounds: split a visitor's compound, or join their words into one.

Dutch writes compounds as one word (``kindermishandeling``), and says the
same thing in words (``mishandeling van kinderen``); visitors write both, and
sometimes join words that are not joined (``huiselijkgeweld``). A query looks
for the other form too, but only forms whose parts the index knows, so no
dictionary is needed and nothing is made up:

- :func:`split`: ``kindermishandeling`` -> ``kind`` + ``mishandeling``
  (a known head, a known modifier, with or without a linking ``s``, ``en``,
  ``er`` or ``e``);
- :func:`joins`: ``huiselijk geweld`` -> ``huiselijkgeweld`` and
  ``mishandeling van kinderen`` -> ``kindermishandeling`` (the modifier's
  lemma, a linking element, the head).

``known(term)`` says whether an index term (see :func:`~.analysis.normalize_word`)
is in the index. Pure: no Whoosh here (``queries`` builds the alternatives).
"""

from __future__ import annotations

from collections.abc import Callable

from .analysis import STOP_WORDS, fold_accents, lemma, normalize_word

#: Is this index term in the index?
Known = Callable[[str], bool]

#: Linking elements between a compound's parts (tussenklanken); a modifier
#: is tried without one first (``kinder`` -> ``kind``), as written last.
LINKS: tuple[str, ...] = ("en", "er", "s", "e", "")
#: Parts shorter than this are not split off (``kind`` is the shortest we want).
MIN_PART = 4
#: The word between head and modifier in ``mishandeling van kinderen``.
OF = "van"


def _word(text: str) -> str:
    return fold_accents(text.lower())


def _usable(part: str, known: Known) -> bool:
    return len(part) >= MIN_PART and part not in STOP_WORDS and known(normalize_word(part))


def split(word: str, known: Known) -> tuple[str, str] | None:
    """The two known words ``word`` is made of (modifier, head), or None.

    The longest known head wins: ``kindermishandeling`` is ``kind`` + ``mishandeling``.
    A part with the word's own term makes it a form, not a compound:
    ``kinderen`` is no ``kind`` + ``eren``.
    """
    word = _word(word)
    own = normalize_word(word)
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        modifier, head = word[:cut], word[cut:]
        if not _usable(head, known) or normalize_word(head) == own:
            continue
        for link in LINKS:
            if modifier.endswith(link):
                stem = modifier[: len(modifier) - len(link)]
                if _usable(stem, known) and normalize_word(stem) != own:
                    return stem, head
    return None


def joins(first: str, second: str, between: str | None, known: Known) -> list[str]:
    """Known compounds of two neighbouring words (``between``: a word between them).

    ``huiselijk geweld`` -> ``huiselijkgeweld``; ``mishandeling van kinderen``
    -> ``kindermishandeling`` (the second word's lemma first).
    """
    first, second = _word(first), _word(second)
    if min(len(first), len(second)) < MIN_PART:
        return []
    if between is None:
        candidates = [first + link + second for link in LINKS]
    elif between.lower() == OF:
        candidates = [lemma(second) + link + first for link in LINKS]
    else:
        return []
    return [word for word in dict.fromkeys(candidates) if known(normalize_word(word))]
