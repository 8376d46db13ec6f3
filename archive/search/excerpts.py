"""A hit's highlighted excerpts, and where in a long text they should come from.

Whoosh's highlighter runs the whole analyzer over the entire stored text of
every hit on the page (a story of 800 words is 800 tokens through the
pipeline), which was half of a query's time. Here a plain regular expression
and the cached word normaliser find where the matched terms are, and only the
densest stretches of text go to the highlighter: the same marks, a fraction
of the work.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

from markupsafe import Markup, escape
from whoosh import highlight

from .analysis import MAX_WORD_LENGTH, STOP_WORDS, normalize_word

_WORD = re.compile(r"\w+")
#: Characters of text after the first match of a window, and before it.
WINDOW = 320
LEAD = 80


def match_positions(text: str, terms: set[str]) -> list[int]:
    """Offsets of the words of ``text`` whose index term is in ``terms``.

    Each distinct word is normalised once; the matching words are then found
    by one regular expression (the loops run in C, not per word in Python).
    """
    words = set(_WORD.findall(text.lower()))
    matching = {
        word
        for word in words
        if 2 <= len(word) <= MAX_WORD_LENGTH
        and word not in STOP_WORDS
        and normalize_word(word) in terms
    }
    if not matching:
        return []
    alternatives = "|".join(re.escape(word) for word in sorted(matching, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)
    return [match.start() for match in pattern.finditer(text)]


def best_windows(text: str, terms: set[str], count: int = 2) -> list[str]:
    """Up to ``count`` stretches of ``text`` with the most matches, in text order."""
    remaining = match_positions(text, terms)
    chosen: list[int] = []
    while remaining and len(chosen) < count:
        densest = max(
            range(len(remaining)),
            key=lambda i: (bisect_left(remaining, remaining[i] + WINDOW) - i, -remaining[i]),
        )
        start = remaining[densest]
        chosen.append(start)
        remaining = [p for p in remaining if not start - LEAD <= p < start + WINDOW]
    return [_cut(text, start) for start in sorted(chosen)]


def _cut(text: str, first_match: int) -> str:
    """The window around ``first_match``, widened to whole words."""
    start = max(0, first_match - LEAD)
    if start:
        space = text.find(" ", start, first_match)
        start = space + 1 if space != -1 else first_match
    end = first_match + WINDOW
    if end < len(text):
        space = text.find(" ", end)
        end = space if space != -1 else len(text)
    return text[start:end]


class MarkFormatter(highlight.Formatter):
    """Matches in ``<mark>``; all other text HTML-escaped."""

    between = " … "

    def _text(self, text: str) -> str:
        return str(escape(text))

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"


_FRAGMENTER = highlight.ContextFragmenter(maxchars=240, surround=60)
_WHOLE = highlight.WholeFragmenter()


def highlight_field(
    hit: Any, fieldname: str, whole: bool = False, text: str | None = None, top: int = 2
) -> str:
    """``fieldname`` of ``hit`` (or ``text``) with its matches marked, in ``top`` fragments."""
    results = hit.results
    results.fragmenter = _WHOLE if whole else _FRAGMENTER
    return hit.highlights(fieldname, text=text, top=top)


def text_excerpt(hit: Any, text: str) -> str:
    """Highlighted fragments from the densest stretches of a long text (:func:`best_windows`)."""
    matched = {term.decode("utf-8") for name, term in hit.matched_terms() if name == "text"}
    parts = [
        highlight_field(hit, "text", text=window, top=1) for window in best_windows(text, matched)
    ]
    return " … ".join(part for part in parts if part)


def plain_excerpt(text: str, limit: int = 240) -> Markup:
    """The start of ``text``, escaped, cut at a word (for hits without a marked match)."""
    if len(text) <= limit:
        return escape(text)
    return escape(text[:limit].rsplit(None, 1)[0] + " …")
