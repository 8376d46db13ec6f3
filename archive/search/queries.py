"""A parsed query (``syntax``) -> the Whoosh query objects it stands for.

Each word or phrase is analysed like the documents (``analysis.terms``) and
looked for in every field it may be in: a word that analyses to one term is a
``Term``, one that splits (``co-ouder``) or a quoted phrase is a ``Phrase``.
A leaf without terms (a stop word, an emoji) counts for nothing, in an AND
and in an OR alike. Exclusions inside a group become ``AndNot``, so the
Whoosh queries built here are only ``Term``, ``Phrase``, ``And``, ``Or``,
``AndNot`` and ``Not``, and never a parser's error.
"""

from __future__ import annotations

from collections.abc import Callable

from whoosh.query import And, AndNot, Not, Or, Phrase, Query, Term

from .analysis import terms
from .documents import SEARCH_FIELDS
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


def build(tree: Node | None, fields: FieldMap = item_fields) -> Query | None:
    """The Whoosh query for ``tree``, or None when nothing in it can match a term."""
    if tree is None:
        return None
    if isinstance(tree, Words):
        return _leaf(tree, fields)
    if isinstance(tree, Excluded):
        inner = build(tree.child, fields)
        return Not(inner) if inner is not None else None
    if isinstance(tree, AllOf):
        return _all(tree, fields)
    built = [query for child in tree.children if (query := build(child, fields)) is not None]
    return _one_or(Or, built)


def _leaf(leaf: Words, fields: FieldMap) -> Query | None:
    found = leaf_terms(leaf)
    names = fields(leaf.field)
    if not found or not names:
        return None
    if len(found) == 1:
        per_field: list[Query] = [Term(name, found[0]) for name in names]
    else:
        per_field = [Phrase(name, found) for name in names]
    return _one_or(Or, per_field)


def _all(tree: AllOf, fields: FieldMap) -> Query | None:
    """Required children AND-ed; excluded ones subtracted (``AndNot``)."""
    required: list[Query] = []
    excluded: list[Query] = []
    for child in tree.children:
        if isinstance(child, Excluded):
            if (query := build(child.child, fields)) is not None:
                excluded.append(query)
        elif (query := build(child, fields)) is not None:
            required.append(query)
    wanted = _one_or(And, required)
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
