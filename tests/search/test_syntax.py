"""search.syntax: the query language, its recovery and its canonical text (no app)."""

from __future__ import annotations

import pytest

from archive.search.syntax import (
    MAX_WORDS,
    REPAIRED,
    SHORTENED,
    AllOf,
    AnyOf,
    Excluded,
    Words,
    parse,
    render,
)


def word(text: str, field: str | None = None) -> Words:
    return Words((text,), field=field)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("juf", word("juf")),
        ("juf AND school", AllOf((word("juf"), word("school")))),
        ('"de juf"', Words(("de", "juf"), quoted=True)),
        ("-juf", Excluded(word("juf"))),
        ("NOT juf", Excluded(word("juf"))),
        ("NOT -juf", word("juf")),
        ("a b OR c", AnyOf((AllOf((word("a"), word("b"))), word("c")))),
        ("a (b OR c)", AllOf((word("a"), AnyOf((word("b"), word("c")))))),
        ("-(a OR b)", Excluded(AnyOf((word("a"), word("b"))))),
        ("titel:juf", word("juf", "title")),
        ("Tekst:juf", word("juf", "text")),
        ('transcript:"de juf"', Words(("de", "juf"), quoted=True, field="transcript")),
        ("titel:(a -b)", AllOf((word("a", "title"), Excluded(word("b", "title"))))),
        ("co-ouder", word("co-ouder")),
        ("http://example.org", AllOf((word("http"), word("example.org")))),
        ("ideeën", word("ideeën")),
    ],
)
def test_queries_parse_into_their_tree(text: str, tree) -> None:
    assert parse(text).tree == tree


@pytest.mark.parametrize(
    ("text", "shown", "notes"),
    [
        ("", "", []),
        ("   ", "", []),
        ("((juf", "juf", [REPAIRED]),
        ("juf))", "juf", [REPAIRED]),
        ('"juf school', "juf school", [REPAIRED]),
        ("juf OR", "juf", [REPAIRED]),
        ("OR juf", "juf", [REPAIRED]),
        ("juf AND", "juf", [REPAIRED]),
        ("AND OR NOT", "", [REPAIRED]),
        ("juf ()", "juf", [REPAIRED]),
        ("juf -", "juf", []),
        ("titel:", "", [REPAIRED]),
        ("j*f~2 ^3 [a TO z]", "j f 2 3 a TO z", []),
        ("“de juf”", '"de juf"', []),
        ("juf\x00\u202eschool", "juf school", []),
        ('" " " " " " " - - - - - "', '"- - - - -"', [REPAIRED]),
        ("((((((((juf))))))))", "juf", [REPAIRED]),
        ("juf " * 20, " ".join(["juf"] * MAX_WORDS), [SHORTENED]),
        ("x" * 300, "x" * 200, [SHORTENED]),
    ],
)
def test_any_text_becomes_a_canonical_query(text: str, shown: str, notes: list[str]) -> None:
    parsed = parse(text)
    assert (parsed.text, parsed.notes) == (shown, notes)
    assert render(parse(shown).tree) == shown
