"""Hostile search input: no query string makes /zoeken or /zoeken.json fail.

One app with a small indexed corpus serves the whole module (building one
per example would be most of the time). The property test sends generated
queries from a grammar of words (Dutch, with diacritics), operators,
brackets, quotes, field names and odd Unicode, in batches, through both
endpoints and the ``soort``/``sorteer``/``pagina`` variants: every answer
must be a 200 with a canonical query text. Its size follows the hypothesis
profile (``ci``: 5,000 queries, always the same; ``HYPOTHESIS_PROFILE=fuzz``:
20,000 random ones): ``make fuzz`` runs it that way.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import fresh_database, make_config  # tests/conftest.py (on sys.path)
from flask.testing import FlaskClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from archive import create_app, database, search
from archive.models import Episode, Show, Story, db, utcnow
from archive.search import syntax

TRANSCRIPT = """WEBVTT

00:00:00.000 --> 00:00:10.000
Welkom bij de podcast over opgroeien.

00:00:40.000 --> 00:00:50.000
We praten over school, vriendschap en ideeën.

00:12:34.000 --> 00:12:50.000
Toen vertelde ze dat haar stiefvader haar sloeg als hij dronk.
"""

#: Queries per run of the property test in the ``ci`` profile (at least).
QUERIES_PER_RUN = 5_000
BATCH = 10
EXAMPLES = max(QUERIES_PER_RUN // BATCH, settings.default.max_examples)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    """A client on an app with public, scheduled and draft stories and an episode."""
    folder: Path = tmp_path_factory.mktemp("search-input")
    with fresh_database(folder) as url:
        app = create_app(make_config(folder, url))
        with app.app_context():
            database.upgrade()
            _corpus()
        yield app.test_client()
        with app.app_context():
            db.engine.dispose()


def _corpus() -> None:
    now = utcnow()
    show = Show(slug="testshow", title="Testpodcast", author="Redactie")
    items = [
        Story(slug="de-juf", title="De juf", body="De juf vroeg door. Kinderen en ideeën."),
        Story(slug="op-school", title="Op school gepest", body="Mijn vader sloeg ons, co-ouder."),
        Story(slug="cafe", title="Café België", body="Een ruïne, zeeën en Straße."),
        Episode(slug="over-school", show=show, title="Over school", transcript_vtt=TRANSCRIPT),
    ]
    for item in items:
        item.publish(now - timedelta(hours=1))
    later = Story(slug="later", title="Later", body="Een toekomstgeheim over school.")
    later.publish(now + timedelta(days=30))
    draft = Story(slug="concept", title="Concept", body="Een conceptgeheim over school.")
    db.session.add_all([show, *items, later, draft])
    db.session.commit()
    for item in [*items, later, draft]:
        assert search.update_item(item)


# -- the cases the review found ------------------------------------------------

REPORTED = [
    "/zoeken.json?q=a+(b+-c)",  # NotImplementedError: Minus
    "/zoeken.json?q=a+NOT+-b+AND+c",  # IndexError
    "/zoeken.json?q=-xyz+NOT+abc&soort=episode",  # KeyError 'start' in _best_passages
    "/zoeken.json?q=school+(juf+-c)",
    "/zoeken.json?q=school+NOT+-juf+AND+vader",
    "/zoeken.json?q=school+-xyz+NOT+abc&soort=episode",
    "/zoeken.json?q=titel:school+-xyz&soort=episode",
    "/zoeken?q=school+(juf+OR+-(vader+NOT+sloeg))",
]


@pytest.mark.parametrize("url", REPORTED)
def test_queries_that_failed_get_an_answer(site: FlaskClient, url: str) -> None:
    assert site.get(url).status_code == 200


def test_an_episode_found_with_an_exclusion_still_points_at_its_moment(site: FlaskClient) -> None:
    data = site.get("/zoeken.json?q=stiefvader+sloeg+-xyz&soort=episode").get_json()
    assert [hit["url"] for hit in data["hits"]] == ["/podcast/over-school#t=754"]


def test_an_episode_found_by_its_title_with_an_exclusion_has_no_moment(site: FlaskClient) -> None:
    data = site.get("/zoeken.json?q=titel:school+-xyz&soort=episode").get_json()
    assert [hit["url"] for hit in data["hits"]] == ["/podcast/over-school"]


@pytest.mark.parametrize(
    ("text", "searched"),
    [
        ("a (b -c)", "a b -c"),
        ("school NOT -juf AND vader", "school juf vader"),
        ("-xyz NOT abc", "-xyz -abc"),
        ('" " " " " " " - - - - - "', '"- - - - -"'),
        ("((juf", "juf"),
        ('"juf school', "juf school"),
        ("juf OR", "juf"),
        ("titel:(juf OR school)", "titel:juf OR titel:school"),
        ("onbekend:juf", "onbekend juf"),
    ],
)
def test_broken_syntax_is_repaired_into_a_search(site: FlaskClient, text: str, searched) -> None:
    data = site.get("/zoeken.json", query_string={"q": text}).get_json()
    assert data["text"] == searched


def test_a_repaired_query_says_so_in_dutch(site: FlaskClient) -> None:
    data = site.get("/zoeken.json", query_string={"q": "(juf"}).get_json()
    assert any("aangepast" in message for message in data["messages"])
    assert data["total"] == 1


# -- the property test -------------------------------------------------------

DUTCH = [
    "juf", "school", "kinderen", "kind", "ideeën", "ideeen", "café", "België", "ruïne",
    "zeeën", "Straße", "co-ouder", "auto's", "stiefvader", "sloeg", "de", "het", "een",
    "or", "and", "not", "geweld", "ĳs", "Ĳssel", "x" * 45,
]  # fmt: skip
ODD = [
    "\u0301", "e\u0301", "\u200f", "\u202e", "\u200b", "\u2066", "\x00", "\x1b[31m", "\ufeff",
    "🙂", "👍🏽", "👨‍👩‍👧", "🏳️‍🌈", "שלום", "مرحبا", "ﷺ", "\u00a0", "\u3000", "\ufffd",
    "\U0010ffff", "ǅ", "ﬁ", "İ", "Σ", "\t", "\n", "\r\n", "%", "&", "#", "<b>", "'",
]  # fmt: skip
SYNTAX = [
    "-", "--", "NOT", "AND", "OR", "(", ")", "()", '"', '""', "“", "”", "„", "«", "»",
    ":", "*", "?", "~", "~2", "^3", "[", "]", "{", "}", "+", "\\", "/", "=", "TO",
]  # fmt: skip
FIELDS = ["titel", "Titel", "title", "tekst", "text", "transcript", "soort", "http", ""]
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=6)

ATOM = st.one_of(
    st.sampled_from(DUTCH),
    st.sampled_from(ODD),
    st.sampled_from(SYNTAX),
    st.builds("{}:{}".format, st.sampled_from(FIELDS), st.sampled_from(DUTCH + SYNTAX)),
    TEXT,
)
QUERY = st.lists(st.tuples(ATOM, st.sampled_from(["", " ", " ", "  "])), max_size=40).map(
    lambda parts: "".join(atom + gap for atom, gap in parts)
)
REQUEST = st.fixed_dictionaries(
    {"q": QUERY},
    optional={
        "soort": st.sampled_from(["story", "episode", "passage", "x"]),
        "sorteer": st.just("datum"),
        "pagina": st.sampled_from(["2", "0", "-1"]),
    },
)
PATHS = ("/zoeken", "/zoeken.json")
BATCHES = st.lists(st.tuples(st.sampled_from(PATHS), REQUEST), min_size=BATCH, max_size=BATCH)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(requests=BATCHES)
@example(requests=[("/zoeken.json", {"q": '" " " " " " " - - - - - "'})] * BATCH)
@example(requests=[("/zoeken.json", {"q": "-xyz NOT abc", "soort": "episode"})] * BATCH)
def test_any_query_gets_an_answer(site: FlaskClient, requests) -> None:
    for path, args in requests:
        response = site.get(path, query_string=args)
        assert response.status_code == 200, (path, args, response.status_code)
        if path.endswith(".json"):
            searched = response.get_json()["text"]
            assert len(searched) <= syntax.MAX_QUERY_CHARS
            assert syntax.clean_query(searched)[0] == searched  # canonical: stable


@settings(max_examples=EXAMPLES * 2, deadline=None)
@given(text=QUERY)
@example(text='" " " " " " " - - - - - "')
def test_the_searched_text_parses_to_the_same_query(text: str) -> None:
    parsed = syntax.parse(text)
    again = syntax.parse(parsed.text)
    assert again.tree == parsed.tree and again.text == parsed.text
    assert parsed.text.count('"') % 2 == 0 and len(parsed.text) <= syntax.MAX_QUERY_CHARS
