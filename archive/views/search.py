"""Search: ``/zoeken`` (the results page) and ``/zoeken.json`` (the same as JSON).

The index says which items match; the database says what is shown: hits
are read back from their current public rows, so an item withdrawn or
deleted a moment ago never appears, even if its index update failed.

The page's answer part (hits, facets, paging) is rendered once per answer
and state of the database and then kept (:func:`_answer_html`): in a
campaign week most searches repeat one a visitor asked a moment ago.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, current_app, g, jsonify, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.wrappers import Response

from .. import search, stats
from ..editorial import changelog
from ..models import (
    ITEM_MODELS,
    PERSPECTIVES,
    SPEAKER_PERSPECTIVES,
    Campaign,
    Person,
    Tag,
    db,
)
from ..search import Hit, SearchResults
from ..search.querying import SearchUnavailable
from ..text import clock
from . import params

bp = Blueprint("search", __name__)

PAGES_EXTENSION = "archive.search_pages"

#: Facet -> query parameter (Dutch, as in the site's other filters).
FILTER_PARAMS: dict[str, str] = {
    "kind": "soort",
    "perspective": "perspectief",
    "campaign": "campagne",
    "tags": "onderwerp",
    "speakers": "spreker",
}
#: Query parameter value -> sort order.
SORT_PARAMS: dict[str, str] = {"relevantie": "relevance", "datum": "date"}
FACET_TITLES: dict[str, str] = {
    "kind": "Soort",
    "perspective": "Wie vertelt",
    "campaign": "Campagne",
    "tags": "Onderwerp",
    "speakers": "Wie spreekt",
}
KIND_LABELS: dict[str, str] = {"story": "Verhaal", "episode": "Podcastaflevering"}
#: Public page endpoint per kind.
PAGES: dict[str, str] = {"story": "public.story", "episode": "public.episode"}


@dataclass(frozen=True)
class ShownHit:
    hit: Hit
    title: Markup
    url: str
    kind_label: str
    moment: str | None
    #: Who says the passage shown: "Sanne (ervaringsdeskundige)", from the database.
    speaker: str | None = None


def item_url(kind: str, slug: str, start: float | None = None) -> str:
    """The item's public page; an episode hit links to the moment (``#t=754``)."""
    anchor = f"t={int(start)}" if start is not None else None
    return url_for(PAGES[kind], slug=slug, _anchor=anchor)


def _shown(hits: list[Hit]) -> list[ShownHit]:
    """The hits whose rows are public now, with their current slug and a URL."""
    slugs: dict[tuple[str, int], str] = {}
    for kind, model in ITEM_MODELS.items():
        ids = [hit.id for hit in hits if hit.kind == kind]
        if ids:
            query = select(model.id, model.slug).where(model.id.in_(ids), model.public_clause())
            slugs.update(((kind, row.id), row.slug) for row in db.session.execute(query))
    speaker_ids = [hit.speaker for hit in hits if hit.speaker is not None]
    persons = {
        person.id: person
        for person in db.session.scalars(select(Person).where(Person.id.in_(speaker_ids)))
    }
    shown = []
    for hit in hits:
        slug = slugs.get((hit.kind, hit.id))
        if slug is None:
            continue
        person = persons.get(hit.speaker) if hit.speaker is not None else None
        shown.append(
            ShownHit(
                hit=hit,
                title=hit.title,
                url=item_url(hit.kind, slug, hit.start),
                kind_label=KIND_LABELS[hit.kind],
                moment=clock(hit.start) if hit.start is not None else None,
                speaker=person.label if person and person.episode_id == hit.id else None,
            )
        )
    return shown


def _names(slug: Any, name: Any, keys: list[str]) -> dict[str, str]:
    if not keys:
        return {}
    return {row[0]: row[1] for row in db.session.execute(select(slug, name).where(slug.in_(keys)))}


def _labels(results: SearchResults) -> dict[str, dict[str, str]]:
    """Facet key -> label (Dutch) for every facet value shown."""
    keys = {name: [value.key for value in values] for name, values in results.facets.items()}
    return {
        "kind": {"story": "Verhalen", "episode": "Podcastafleveringen"},
        "perspective": dict(PERSPECTIVES),
        "campaign": _names(Campaign.slug, Campaign.name, keys.get("campaign", [])),
        "tags": _names(Tag.slug, Tag.name, keys.get("tags", [])),
        "speakers": {key: label.capitalize() for key, label in SPEAKER_PERSPECTIVES.items()},
    }


def _arguments() -> tuple[str, int, str, dict[str, str]]:
    text = request.args.get("q", "", type=str)
    page = params.PAGE.clamped(request.args)
    sort = SORT_PARAMS.get(request.args.get("sorteer", ""), "relevance")
    filters = {name: request.args.get(param, "", type=str) for name, param in FILTER_PARAMS.items()}
    return text, page, sort, filters


def _run() -> tuple[SearchResults, int]:
    text, page, sort, filters = _arguments()
    try:
        found = search.query(
            search.index_store(),
            text,
            page=page,
            sort=sort,
            filters=filters,
            cache=search.result_cache(),
        )
        return found, 200
    except SearchUnavailable as error:
        return SearchResults(text=text[:200], messages=[error.message]), 503


def link_args(results: SearchResults, **changes: Any) -> dict[str, Any]:
    """Query parameters for a link from this page, with ``changes`` applied (None removes)."""
    args: dict[str, Any] = {"q": results.text}
    args.update({FILTER_PARAMS[name]: value for name, value in results.filters.items()})
    if results.sort == "date":
        args["sorteer"] = "datum"
    args.update(changes)
    return {key: value for key, value in args.items() if value not in (None, "")}


#: What ``url_for`` leaves unescaped in query values (Werkzeug's ``_urlencode``).
_QUERY_SAFE = "!$'()*,/:;?@"


def search_link(results: SearchResults, **changes: Any) -> str:
    """``url_for("search.results", **link_args(results, **changes))``, built cheaply.

    A results page links every facet value (dozens of links); building each
    through the URL map was a tenth of a cached answer's time. The path is
    built once per request, the query string as ``url_for`` builds it.
    """
    path = g.get("search_path")
    if path is None:
        path = g.search_path = url_for("search.results")
    query = urlencode(list(link_args(results, **changes).items()), safe=_QUERY_SAFE)
    return f"{path}?{query}" if query else path


@bp.record_once
def _attach_page_cache(state: Any) -> None:
    state.app.extensions[PAGES_EXTENSION] = search.ResultCache(
        state.app.config.get("SEARCH_CACHE_ENTRIES", 1000)
    )


def page_cache(app: Flask | None = None) -> search.ResultCache:
    """Rendered answer parts of the search page (bounded like the answers)."""
    return (app or current_app).extensions[PAGES_EXTENSION]


def _answer_key(found: SearchResults, labels: dict[str, dict[str, str]]) -> Hashable:
    """Everything the answer part shows, and the database state its hits are read in.

    Every change to an item or a person moves the change log's newest id
    (``changelog.last_id``); campaign and tag names are not in the log, so
    the labels read for this request are part of the key.
    """
    return (
        found.text,
        found.page,
        found.page_size,
        found.sort,
        tuple(sorted(found.filters.items())),
        found.total,
        tuple(found.hits),
        tuple((name, tuple(values)) for name, values in found.facets.items()),
        tuple(found.messages),
        found.suggestion,
        changelog.last_id(),
        tuple((name, tuple(sorted(labels[name].items()))) for name in ("campaign", "tags")),
        request.script_root,
    )


def _answer_html(found: SearchResults) -> Markup:
    """The page's answer part: kept per answer and database state, rendered when new."""
    labels = _labels(found)
    key = _answer_key(found, labels)
    cache = page_cache()
    owner = current_app._get_current_object()  # type: ignore[attr-defined]
    moment = datetime.now(UTC)
    kept = cache.get(owner, key, moment)
    if kept is None:
        kept = Markup(
            render_template(
                "partials/search_answer.html",
                results=found,
                hits=_shown(found.hits),
                labels=labels,
                facet_titles=FACET_TITLES,
                filter_params=FILTER_PARAMS,
                link_args=link_args,
                search_link=search_link,
            )
        )
        cache.put(owner, key, kept, moment)
    return kept


@bp.get("/zoeken")
def results() -> tuple[str, int]:
    found, status = _run()
    if status == 200 and found.page == 1:
        # The search page counts; the JSON behind suggestions and paging does not.
        stats.recorder().search(found.text, found.total)
    return render_template(
        "public/search.html",
        results=found,
        query=found.text,
        answer=_answer_html(found),
        filter_params=FILTER_PARAMS,
    ), status


@bp.get("/zoeken.json")
def results_json() -> tuple[Response, int]:
    found, status = _run()
    data = found.to_dict()
    shown = _shown(found.hits)
    data["hits"] = [
        {**hit.hit.to_dict(), "url": hit.url, "kind_label": hit.kind_label, "speaker": hit.speaker}
        for hit in shown
    ]
    labels = _labels(found)
    for name, values in data["facets"].items():
        for value in values:
            value["label"] = labels.get(name, {}).get(value["key"], value["key"])
    return jsonify(data), status
