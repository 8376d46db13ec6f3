"""A parsed query (``syntax``) -> the Whoosh query objects it stands for.

Each word or phrase is analysed like the documents (``analysis.terms``) and
looked for in every field it may be in: a word that analyses to one term is a
``Term``, one that splits (``co-ouder``) or a quoted phrase is a ``Phrase``.
A leaf without terms (a stop word, an emoji) counts for nothing, in an AND
and in an OR alike. Exclusions inside a group become ``AndNot``, so the
Whoosh queries built here are only ``Term``, ``Phrase``, ``And``, ``Or``,
``AndNot`` and ``Not``, and never a parser's error.

Given what the index knows (``known``), a visitor's word also finds
compounds both ways (``compounds``): ``kindermishandeling`` also finds
``mishandeling van kinderen``, and the other way round.

:func:`exact_words` lists the words an item should have as written to rank
above items with only another form of them (``collecting`` adds their bonus).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from whoosh.query import And, AndNot, Not, Or, Phrase, Query, Term

from . import compounds
from .analysis import fold_word, terms
from .compounds import OF, Known
from .documents import SEARCH_FIELDS, spell_words
from .syntax import AllOf, Excluded, Node, Words, leaves

#: A leaf's field (None: any) -> the index fields to look in (empty: leave it out).
FieldMap = Callable[[str | None], tuple[str, ...]]


def item_fields(field: str | None) -> tuple[str, ...]:
    """Items: a leaf without a field is looked for in every searched field."""
    return tuple(SEARCH_FIELDS) if field is None else (field,)


def passage_fields(field: str | None) -> tuple[str, ...]:
    """Passages hold transcript text: leaves for the title or text are left out."""
    return ("passage",) if field in (None, "transcript") else ()


def leaf_terms(leaf: Words) -> list[str]:
    return terms(" ".join(leaf.words))


def searchable(tree: Node | None, fields: FieldMap = item_fields) -> bool:
    """Does the query look for anything (a term, not excluded, in one of ``fields``)?"""
    return any(
        not negated and fields(leaf.field) and leaf_terms(leaf) for leaf, negated in leaves(tree)
    )


def build(
    tree: Node | None, fields: FieldMap = item_fields, known: Known | None = None
) -> Query | None:
    """The Whoosh query for ``tree``, or None when nothing in it can match a term.

    With ``known`` (is this term in the index?), an items query also finds
    compounds both ways (see the module's doc).
    """
    if tree is None:
        return None
    if isinstance(tree, Words):
        return _leaf(tree, fields, known)
    if isinstance(tree, Excluded):
        inner = build(tree.child, fields, known)
        return Not(inner) if inner is not None else None
    if isinstance(tree, AllOf):
        return _all(tree, fields, known)
    built = [query for child in tree.children if (query := build(child, fields, known)) is not None]
    return _one_or(Or, built)


def exact_words(tree: Node | None) -> list[tuple[str, Words]]:
    """The words an item may have as written (``documents.spell_words``), with their leaves.

    Single words looked for in every field and not excluded; phrases and
    fielded words already say what they want.
    """
    found: dict[str, Words] = {}
    for leaf, negated in leaves(tree):
        if negated or leaf.quoted or leaf.field is not None or len(leaf.words) != 1:
            continue
        word = fold_word(leaf.words[0].lower())
        if word in spell_words(leaf.words[0]) and leaf_terms(leaf):
            found.setdefault(word, leaf)
    return list(found.items())


def _widens(leaf: Words, fields: FieldMap) -> bool:
    """Whether a leaf may stand for a compound: one unquoted word, in every items field."""
    return fields is item_fields and leaf.field is None and not leaf.quoted and len(leaf.words) == 1


def _term(word: str, fields: FieldMap) -> Query | None:
    """``word`` in every field of ``fields``."""
    return _one_or(Or, [Term(name, term) for term in terms(word) for name in fields(None)])


def _leaf(leaf: Words, fields: FieldMap, known: Known | None = None) -> Query | None:
    found = leaf_terms(leaf)
    names = fields(leaf.field)
    if not found or not names:
        return None
    if len(found) == 1:
        per_field: list[Query] = [Term(name, found[0]) for name in names]
    else:
        per_field = [Phrase(name, found) for name in names]
    if known is not None and _widens(leaf, fields) and len(found) == 1:
        parts = compounds.split(leaf.words[0], known)
        if parts is not None:
            modifier, head = (_term(part, fields) for part in parts)
            if modifier is not None and head is not None:
                per_field.append(And([modifier, head]))
    return _one_or(Or, per_field)


def _joined(
    children: tuple[Node, ...], fields: FieldMap, known: Known | None
) -> list[tuple[set[int], Query]]:
    """Compounds of neighbouring words: (the children they stand for, the query)."""
    if known is None or fields is not item_fields:
        return []
    words = [
        (number, child.words[0])
        for number, child in enumerate(children)
        if isinstance(child, Words) and _widens(child, fields) and leaf_terms(child)
    ]
    found = []
    for (first_at, first), (second_at, second) in pairwise(words):
        between = None
        if second_at - first_at == 2:
            middle = children[first_at + 1]
            if not isinstance(middle, Words) or middle.words != (OF,):
                continue
            between = OF
        elif second_at - first_at != 1:
            continue
        for compound in compounds.joins(first, second, between, known):
            if (query := _term(compound, fields)) is not None:
                found.append(({first_at, second_at}, query))
    return found


def _all(tree: AllOf, fields: FieldMap, known: Known | None = None) -> Query | None:
    """Required children AND-ed; excluded ones subtracted (``AndNot``).

    Two neighbouring words that the index knows as one compound may also be
    found as that compound (with the other required children).
    """
    required: list[tuple[int, Query]] = []
    excluded: list[Query] = []
    for number, child in enumerate(tree.children):
        if isinstance(child, Excluded):
            if (query := build(child.child, fields, known)) is not None:
                excluded.append(query)
        elif (query := build(child, fields, known)) is not None:
            required.append((number, query))
    wanted = _one_or(And, [query for _, query in required])
    alternatives = [
        _one_or(And, [compound, *(query for number, query in required if number not in pair)])
        for pair, compound in _joined(tree.children, fields, known)
    ]
    if wanted is not None and alternatives:
        wanted = Or([wanted, *(query for query in alternatives if query is not None)])
    unwanted = _one_or(Or, excluded)
    if unwanted is None:
        return wanted
    if wanted is None:
        return Not(unwanted)
    return AndNot(wanted, unwanted)


def _one_or(kind: type[And] | type[Or], queries: list[Query]) -> Query | None:
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else kind(queries)
