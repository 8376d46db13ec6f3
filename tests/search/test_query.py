"""search.query: matching, syntax, ranking, facets, highlights and the public rule."""

from __future__ import annotations

from datetime import timedelta

import pytest

from archive import search
from archive.models import db, utcnow

from .conftest import slugs

TRANSCRIPT = """WEBVTT

00:00:00.000 --> 00:00:10.000
Welkom bij de podcast over opgroeien.

00:00:10.000 --> 00:00:40.000
We praten eerst over school en over vriendschap.

00:12:34.000 --> 00:12:50.000
Toen vertelde ze dat haar stiefvader haar sloeg als hij dronk.
"""


@pytest.fixture
def corpus(indexed_story, indexed_episode):
    indexed_story(
        "op-school-gepest",
        title="Op school gepest",
        body="De kinderen in mijn klas pestten mij elke dag. De juf zag het niet.",
        perspective="child",
        tags=("pesten", "school"),
    )
    indexed_story(
        "de-meldcode",
        title="Werken met de meldcode",
        body="Als huisarts zie ik signalen van mishandeling. De meldcode helpt mij.",
        perspective="professional",
        tags=("meldcode", "signalen"),
    )
    indexed_story(
        "mijn-vader",
        title="Mijn vader",
        body="Mijn vader sloeg ons. Jeugdzorg kwam pas veel later. Ideeën had ik niet.",
        perspective="survivor",
        tags=("huiselijk geweld",),
    )
    indexed_episode(
        "stiefvader",
        title="Een stiefvader die drinkt",
        summary="Een gesprek over thuis.",
        transcript_vtt=TRANSCRIPT,
        perspective="child",
    )


def run(index_dir: str, text: str, **options):
    return search.query(index_dir, text, **options)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pesten", ["op-school-gepest"]),
        ("gepest", ["op-school-gepest"]),
        ("kind", ["op-school-gepest"]),
        ("juf", ["op-school-gepest"]),
        ("mishandeld", ["de-meldcode"]),
        ("meldcode", ["de-meldcode"]),
        ("signaal", ["de-meldcode"]),
        ("jeugdzorg", ["mijn-vader"]),
        ("ideeen", ["mijn-vader"]),
        ("slaan", ["mijn-vader", "stiefvader"]),
        ("stiefvader drinken", ["stiefvader"]),
    ],
)
def test_dutch_words_find_their_forms(corpus, index_dir, text, expected) -> None:
    assert sorted(slugs(run(index_dir, text))) == sorted(expected)


def test_mijn_vader_ranks_the_story_about_the_father_first(corpus, index_dir) -> None:
    assert slugs(run(index_dir, "mijn vader"))[0] == "mijn-vader"


def test_phrase_and_exclusion_and_or(corpus, index_dir) -> None:
    assert slugs(run(index_dir, '"vader sloeg"')) == ["mijn-vader"]
    assert slugs(run(index_dir, '"sloeg vader"')) == []
    assert slugs(run(index_dir, "slaan -jeugdzorg")) == ["stiefvader"]
    assert sorted(slugs(run(index_dir, "meldcode OR jeugdzorg"))) == ["de-meldcode", "mijn-vader"]
    assert slugs(run(index_dir, "meldcode jeugdzorg")) == []


def test_episode_hit_points_at_the_spoken_moment(corpus, index_dir) -> None:
    (hit,) = run(index_dir, "stiefvader sloeg").hits
    assert hit.kind == "episode"
    assert hit.start == 754.0
    assert "<mark>sloeg</mark>" in hit.excerpt


def test_episode_found_by_title_only_has_no_moment(corpus, index_dir) -> None:
    (hit,) = run(index_dir, "drinkt thuis").hits
    assert hit.start is None


def test_highlights_are_escaped(indexed_story, index_dir) -> None:
    indexed_story("xss", title="<script>alert(1)</script> pesten", body="<b>pesten</b> & meer")
    (hit,) = run(index_dir, "pesten").hits
    assert "<script>" not in hit.title and "&lt;script&gt;" in hit.title
    assert "<mark>pesten</mark>" in hit.title
    assert "<b>" not in hit.excerpt


def test_facets_count_and_filter(corpus, index_dir) -> None:
    results = run(index_dir, "slaan OR pesten OR meldcode")
    facets = {name: {v.key: v.count for v in values} for name, values in results.facets.items()}
    assert facets["kind"] == {"story": 3, "episode": 1}
    assert facets["perspective"] == {"child": 2, "professional": 1, "survivor": 1}
    assert facets["tags"]["pesten"] == 1 and facets["tags"]["huiselijk-geweld"] == 1
    filtered = run(index_dir, "slaan OR pesten OR meldcode", filters={"perspective": "child"})
    assert sorted(slugs(filtered)) == ["op-school-gepest", "stiefvader"]
    assert next(v for v in filtered.facets["perspective"] if v.selected).key == "child"
    assert slugs(run(index_dir, "slaan OR pesten", filters={"kind": "episode"})) == ["stiefvader"]
    assert slugs(run(index_dir, "slaan OR pesten", filters={"tags": "school"})) == [
        "op-school-gepest"
    ]


def test_campaign_facet(indexed_story, index_dir, campaign) -> None:
    indexed_story("a", body="pesten", campaign=campaign)
    indexed_story("b", body="pesten")
    results = run(index_dir, "pesten")
    assert [(v.key, v.count) for v in results.facets["campaign"]] == [("week-2021", 1)]
    assert slugs(run(index_dir, "pesten", filters={"campaign": "week-2021"})) == ["a"]


def test_unknown_filters_are_ignored(corpus, index_dir) -> None:
    results = run(index_dir, "pesten", filters={"tags": "<script>", "colour": "red"})
    assert results.filters == {} and slugs(results) == ["op-school-gepest"]


def test_sort_by_date_and_pagination(make_story, index_dir) -> None:
    now = utcnow()
    for number in range(25):
        story = make_story(f"verhaal-{number:02d}", body="Een verhaal over de juf.")
        story.published_at = now - timedelta(days=number)
        db.session.commit()
        search.update_item(story)
    first = run(index_dir, "juf", sort="date")
    assert first.total == 25 and first.pages == 3
    assert slugs(first) == [f"verhaal-{n:02d}" for n in range(10)]
    third = run(index_dir, "juf", sort="date", page=3)
    assert slugs(third) == [f"verhaal-{n:02d}" for n in range(20, 25)]
    beyond = run(index_dir, "juf", sort="date", page=99)
    assert beyond.page == 3


def test_only_public_items_are_found(indexed_story, index_dir) -> None:
    indexed_story("openbaar", body="pesten")
    indexed_story("concept", state="draft", body="pesten")
    indexed_story("ingepland", state="scheduled", body="pesten")
    assert slugs(run(index_dir, "pesten")) == ["openbaar"]
    tomorrow = utcnow() + timedelta(days=2)
    assert sorted(slugs(run(index_dir, "pesten", now=tomorrow))) == ["ingepland", "openbaar"]


def test_did_you_mean(corpus, index_dir) -> None:
    results = run(index_dir, "jeugdzrog")
    assert results.total == 0
    assert results.suggestion == "jeugdzorg"
    assert run(index_dir, "jeugdzorg").suggestion is None


def test_no_suggestion_for_words_found_through_their_lemma(corpus, index_dir) -> None:
    assert run(index_dir, "pesten").suggestion is None
