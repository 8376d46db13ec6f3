"""The visitors' query language: any text -> a small query tree -> canonical text.

What a visitor may type (the README's Search section says the same):

- words: all must occur (``juf school``); ``AND`` between them changes nothing;
- ``"a phrase"``: the words in this order;
- ``-word``, ``-"a phrase"``, ``-(a OR b)`` or ``NOT word``: must not occur;
- ``OR`` between alternatives (it binds looser than the implicit AND:
  ``a b OR c`` is ``(a b) OR c``), and brackets to group;
- ``titel:word``, ``tekst:…`` or ``transcript:…`` (also ``title:``/``text:``)
  to look in one field only, before a word, a phrase or a bracketed group.

Everything else is text, and nothing is an error. The parser recovers:
an unclosed bracket is closed at the end, an unclosed quote and a stray ``)``
are dropped, so is an operator with nothing to work on, an empty group
disappears, ``NOT NOT x`` is ``x``; a name before ``:`` that is no field is
just a word. Input is cut at :data:`MAX_QUERY_CHARS` characters and
:data:`MAX_WORDS` words, and brackets nest at most :data:`MAX_DEPTH` deep, so
no input makes a slow or failing search. :func:`render` writes a tree back as
text that parses to the same tree (the search box and links show it).

Pure: no Whoosh and no Flask here (``queries`` turns a tree into Whoosh queries).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from enum import Enum

#: Longer queries are cut (at a word boundary) before parsing.
MAX_QUERY_CHARS = 200
#: Words beyond this many are dropped (a phrase counts its words).
MAX_WORDS = 12
#: Deeper brackets are ignored (their words still count).
MAX_DEPTH = 6

#: Field name a visitor types -> index field (Dutch first; English works too).
FIELDS: dict[str, str] = {
    "titel": "title",
    "title": "title",
    "tekst": "text",
    "text": "text",
    "transcript": "transcript",
}
#: Index field -> the name :func:`render` writes.
FIELD_NAMES: dict[str, str] = {"title": "titel", "text": "tekst", "transcript": "transcript"}

#: What the parser may have to tell the visitor (``querying.MESSAGES`` has the Dutch).
SHORTENED = "shortened"
REPAIRED = "repaired"

#: Characters of query syntax we do not offer (wildcards, ranges, boosts, fuzzy, ``+``).
_UNSUPPORTED = re.compile(r"[*?~^\[\]{}<>\\/=+]")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "＂": '"'})
#: Where a bare word ends.
_WORD_END = re.compile(r'[\s"():]')


# -- the tree ----------------------------------------------------------------


@dataclass(frozen=True)
class Words:
    """A word, or a quoted phrase (``quoted``), optionally in one ``field``."""

    words: tuple[str, ...]
    quoted: bool = False
    field: str | None = None


@dataclass(frozen=True)
class Excluded:
    child: Node


@dataclass(frozen=True)
class AllOf:
    """Every child must match (the implicit AND)."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    """One of the children must match (``OR``)."""

    children: tuple[Node, ...]


Node = Words | Excluded | AllOf | AnyOf


def negate(node: Node | None) -> Node | None:
    if node is None:
        return None
    return node.child if isinstance(node, Excluded) else Excluded(node)


def all_of(children: list[Node | None]) -> Node | None:
    """An :class:`AllOf` of the children that are there, flattened; one child is itself."""
    kept: list[Node] = []
    for child in children:
        if isinstance(child, AllOf):
            kept.extend(child.children)
        elif child is not None:
            kept.append(child)
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else AllOf(tuple(kept))


def any_of(children: list[Node | None]) -> Node | None:
    """An :class:`AnyOf` of the children that are there, flattened; one child is itself."""
    kept: list[Node] = []
    for child in children:
        if isinstance(child, AnyOf):
            kept.extend(child.children)
        elif child is not None:
            kept.append(child)
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else AnyOf(tuple(kept))


def leaves(node: Node | None, negated: bool = False) -> Iterator[tuple[Words, bool]]:
    """Every word or phrase, with whether it is under an odd number of NOTs."""
    if node is None:
        return
    if isinstance(node, Words):
        yield node, negated
    elif isinstance(node, Excluded):
        yield from leaves(node.child, not negated)
    else:
        for child in node.children:
            yield from leaves(child, negated)


def map_words(node: Node | None, change: Callable[[Words, bool], Words]) -> Node | None:
    """The tree with every leaf replaced by ``change(leaf, negated)``."""

    def walk(node: Node, negated: bool) -> Node:
        if isinstance(node, Words):
            return change(node, negated)
        if isinstance(node, Excluded):
            return Excluded(walk(node.child, not negated))
        return type(node)(tuple(walk(child, negated) for child in node.children))

    return None if node is None else walk(node, False)


# -- text -> tokens ------------------------------------------------------------


class Kind(Enum):
    WORD = "word"
    PHRASE = "phrase"
    FIELD = "field"
    MINUS = "-"
    NOT = "NOT"
    AND = "AND"
    OR = "OR"
    OPEN = "("
    CLOSE = ")"


_OPERATORS: dict[str, Kind] = {"AND": Kind.AND, "OR": Kind.OR, "NOT": Kind.NOT}


@dataclass(frozen=True)
class Token:
    kind: Kind
    text: str = ""


def clean_text(text: str) -> tuple[str, list[str]]:
    """Normalised input: NFKC, no control or format characters, at most 200 characters."""
    notes: list[str] = []
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    text = _UNSUPPORTED.sub(" ", text.translate(_QUOTES))
    if len(text) > MAX_QUERY_CHARS:
        cut = text[:MAX_QUERY_CHARS]
        text = cut.rsplit(None, 1)[0] if " " in cut.strip() else cut
        notes.append(SHORTENED)
    return text, notes


def tokenize(text: str) -> tuple[list[Token], list[str]]:
    """The tokens of (cleaned) ``text``, and notes on what was dropped."""
    tokens: list[Token] = []
    notes: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char.isspace() or char == ":":
            position += 1
        elif char == '"':
            end = text.find('"', position + 1)
            if end == -1:  # an unclosed quote: the rest is read as words
                notes.append(REPAIRED)
                position += 1
            else:
                tokens.append(Token(Kind.PHRASE, text[position + 1 : end]))
                position = end + 1
        elif char in "()":
            tokens.append(Token(Kind.OPEN if char == "(" else Kind.CLOSE))
            position += 1
        elif char == "-":
            while position < len(text) and text[position] == "-":
                position += 1
            if position < len(text) and not text[position].isspace():
                tokens.append(Token(Kind.MINUS))
        else:
            match = _WORD_END.search(text, position)
            end = match.start() if match else len(text)
            if end == position:  # a separator the branches above do not know
                position += 1
                continue
            word = text[position:end]
            position = end
            if end < len(text) and text[end] == ":" and word.lower() in FIELDS:
                tokens.append(Token(Kind.FIELD, FIELDS[word.lower()]))
                position += 1
            else:
                tokens.append(Token(_OPERATORS.get(word, Kind.WORD), word))
    return tokens, notes


# -- tokens -> tree ----------------------------------------------------------


class _Parser:
    """Recursive descent with recovery; every method makes progress or returns None."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.position = 0
        self.words = 0
        self.notes: list[str] = []

    @property
    def full(self) -> bool:
        return self.words >= MAX_WORDS

    def peek(self) -> Kind | None:
        if self.full or self.position >= len(self.tokens):
            return None
        return self.tokens[self.position].kind

    def take(self) -> Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def note(self, note: str) -> None:
        if note not in self.notes:
            self.notes.append(note)

    def parse(self) -> Node | None:
        tree = self.alternatives(0)
        if self.full and self.position < len(self.tokens):
            self.note(SHORTENED)
        return tree

    def alternatives(self, depth: int) -> Node | None:
        """``a b OR c d OR …``"""
        found = [self.conjunction(depth)]
        while self.peek() is Kind.OR:
            self.take()
            found.append(self.conjunction(depth))
        if len(found) > 1 and None in found:
            self.note(REPAIRED)  # OR with nothing on one side
        return any_of(found)

    def conjunction(self, depth: int) -> Node | None:
        """``a AND b -c …`` up to an OR, a closing bracket (inside one) or the end."""
        found: list[Node | None] = []
        while (kind := self.peek()) not in (None, Kind.OR):
            if kind is Kind.CLOSE:
                if depth:
                    break
                self.take()
                self.note(REPAIRED)  # a ")" nobody opened
            elif kind is Kind.AND:
                self.take()
                if not found or self.peek() in (None, Kind.OR, Kind.CLOSE):
                    self.note(REPAIRED)
            else:
                found.append(self.negation(depth))
        return all_of(found)

    def negation(self, depth: int) -> Node | None:
        negated = False
        while self.peek() in (Kind.NOT, Kind.MINUS):
            self.take()
            negated = not negated
        node = self.primary(depth)
        if node is None:
            self.note(REPAIRED)
        return negate(node) if negated else node

    def primary(self, depth: int, field: str | None = None) -> Node | None:
        kind = self.peek()
        if kind is Kind.OPEN:
            self.take()
            if depth >= MAX_DEPTH:
                self.note(REPAIRED)
                return self.primary(depth, field)
            inner = self.alternatives(depth + 1)
            if self.peek() is Kind.CLOSE:
                self.take()
            elif not self.full:
                self.note(REPAIRED)  # closed at the end
            return _in_field(inner, field)
        if kind is Kind.FIELD:
            token = self.take()
            return self.primary(depth, field or token.text)
        if kind in (Kind.WORD, Kind.PHRASE):
            token = self.take()
            words = tuple(token.text.split())[: MAX_WORDS - self.words]
            if not words:
                return None
            self.words += len(words)
            return Words(words, quoted=kind is Kind.PHRASE, field=field)
        return None


def _in_field(node: Node | None, field: str | None) -> Node | None:
    """``titel:(a "b c")``: the field goes to the leaves that have none."""
    if field is None:
        return node
    return map_words(node, lambda leaf, _: leaf if leaf.field else replace(leaf, field=field))


# -- tree -> text ------------------------------------------------------------


def render(node: Node | None) -> str:
    """Canonical text for ``node``: parsing it gives the same tree."""
    if node is None:
        return ""
    if isinstance(node, Words):
        prefix = f"{FIELD_NAMES[node.field]}:" if node.field else ""
        text = " ".join(node.words)
        return f'{prefix}"{text}"' if node.quoted else f"{prefix}{text}"
    if isinstance(node, Excluded):
        child = node.child
        inner = render(child)
        return f"-({inner})" if isinstance(child, AllOf | AnyOf) else f"-{inner}"
    if isinstance(node, AllOf):
        return " ".join(
            f"({render(child)})" if isinstance(child, AnyOf) else render(child)
            for child in node.children
        )
    return " OR ".join(render(child) for child in node.children)


@dataclass
class ParsedQuery:
    """A visitor's query: the tree (None: nothing to search), its text, and notes."""

    tree: Node | None
    text: str
    notes: list[str] = field(default_factory=list)


def parse(text: str) -> ParsedQuery:
    """AnyOf text -> a :class:`ParsedQuery`; never raises."""
    cleaned, notes = clean_text(text)
    tokens, token_notes = tokenize(cleaned)
    parser = _Parser(tokens)
    tree = parser.parse()
    for note in [*notes, *token_notes, *parser.notes]:
        if note not in notes:
            notes.append(note)
    shown = render(tree)
    while len(shown) > MAX_QUERY_CHARS and tree is not None:  # rendering added brackets
        tree = _without_last_leaf(tree)
        shown = render(tree)
        if SHORTENED not in notes:
            notes.append(SHORTENED)
    return ParsedQuery(tree, shown, notes)


def _without_last_leaf(node: Node) -> Node | None:
    if isinstance(node, Words):
        return None
    if isinstance(node, Excluded):
        return negate(_without_last_leaf(node.child))
    rest = _without_last_leaf(node.children[-1])
    children = [*node.children[:-1], rest]
    return all_of(children) if isinstance(node, AllOf) else any_of(children)


def clean_query(text: str) -> tuple[str, list[str]]:
    """The canonical text of ``text`` (what is searched for) and the notes on it."""
    parsed = parse(text)
    return parsed.text, parsed.notes
