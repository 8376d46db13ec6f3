"""A visitor's words -> ranked, highlighted, faceted results (plain values).

The query language and its recovery from any input are in ``syntax``, the
Whoosh queries it stands for in ``queries``, "Bedoelde je …?" in ``suggest``.
Here: running the query on the public documents, facets, the hits (marked
up by ``excerpts``) with an episode's best passage, and the messages (Dutch)
for visitors.
"""

from __future__ import annotations

import functools
import math
import os
import re
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup, escape
from whoosh import collectors
from whoosh import index as whoosh_index
from whoosh.idsets import BitSet
from whoosh.query import And, DateRange, Or, Query, Term
from whoosh.searching import Searcher

from ..errors import ArchiveError
from . import syntax
from .analysis import STOP_WORDS
from .cache import ResultCache
from .collecting import Bonus, MatchMask, TopMatches, exact_bonus
from .documents import FACET_FIELDS, LIST_FACETS, SEARCH_FIELDS
from .excerpts import MarkFormatter, highlight_field, plain_excerpt, text_excerpt
from .facets import value_masks
from .queries import build, exact_words, leaf_terms, passage_fields, searchable
from .store import IndexStore
from .suggest import suggest
from .syntax import Node, leaves

PAGE_SIZE = 10
MAX_PAGE = 100
#: Below this many hits, a spelling suggestion is looked for.
SUGGEST_BELOW = 3
SORTS: tuple[str, ...] = ("relevance", "date")

_WORD = re.compile(r"\w+")
_FACET_VALUE = re.compile(r"^[a-z0-9_]+(?:-[a-z0-9_]+)*$")

#: Friendly messages (Dutch), by situation.
MESSAGES: dict[str, str] = {
    "empty": "Typ een of meer woorden om te zoeken.",
    "no_words": "We konden geen zoekwoorden in je vraag vinden. Probeer het met gewone woorden.",
    "only_common": "Deze woorden komen te vaak voor om op te zoeken. Probeer een ander woord.",
    "only_excluded": "Je gaf alleen woorden om uit te sluiten. Geef ook een woord om op te zoeken.",
    "unavailable": "Zoeken lukt op dit moment niet. Probeer het over een paar minuten opnieuw.",
    "shortened": "Je zoekvraag was erg lang; we hebben op het begin ervan gezocht.",
    "repaired": (
        "We hebben je zoekvraag wat aangepast: losse haakjes, aanhalingstekens"
        " en OR, AND of NOT zonder woord erbij tellen niet mee."
    ),
}


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    slug: str
    title: Markup
    excerpt: Markup
    score: float
    published: datetime | None
    #: For an episode: the start (seconds) of the passage that matches best.
    start: float | None = None
    perspective: str = ""
    campaign: str = ""
    tags: tuple[str, ...] = ()
    #: For an episode: the id of the person who speaks in the best passage (shown by name
    #: from the database; the index holds no names).
    speaker: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["title"] = str(self.title)
        data["excerpt"] = str(self.excerpt)
        data["published"] = self.published.isoformat() if self.published else None
        data["tags"] = list(self.tags)
        return data


@dataclass(frozen=True)
class FacetValue:
    key: str
    count: int
    selected: bool = False


@dataclass
class SearchResults:
    text: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    page_size: int = PAGE_SIZE
    sort: str = "relevance"
    filters: dict[str, str] = field(default_factory=dict)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str | None = None
    messages: list[str] = field(default_factory=list)
    #: The moment "public" is judged at (None: now).
    now: datetime | None = field(default=None, repr=False, compare=False)

    def copy(self) -> SearchResults:
        """A copy whose lists and dicts may be changed; hits and facet values are immutable."""
        return replace(
            self,
            hits=list(self.hits),
            filters=dict(self.filters),
            facets={name: list(values) for name, values in self.facets.items()},
            messages=list(self.messages),
        )

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    # The pagination interface of Flask-SQLAlchemy's ``Pagination`` (for the partial).
    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    def iter_pages(
        self, left_edge: int = 1, left_current: int = 1, right_current: int = 2, right_edge: int = 1
    ) -> Iterator[int | None]:
        """Page numbers to link, with None for a gap (as Flask-SQLAlchemy does)."""
        last, pages = 0, self.pages
        for number in range(1, pages + 1):
            if (
                number <= left_edge
                or self.page - left_current <= number <= self.page + right_current
                or number > pages - right_edge
            ):
                if last + 1 != number:
                    yield None
                yield number
                last = number

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "hits": [hit.to_dict() for hit in self.hits],
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "page_size": self.page_size,
            "sort": self.sort,
            "filters": dict(self.filters),
            "facets": {
                name: [asdict(value) for value in values] for name, values in self.facets.items()
            },
            "suggestion": self.suggestion,
            "messages": list(self.messages),
        }


class SearchUnavailable(ArchiveError):
    """The index cannot be read (missing, damaged, disk trouble)."""

    status_code = 503


# -- input -----------------------------------------------------------------


def clean_filters(filters: Mapping[str, str] | None) -> dict[str, str]:
    """Only known facets with slug-like values; everything else is ignored."""
    clean: dict[str, str] = {}
    for name in FACET_FIELDS:
        value = (filters or {}).get(name)
        if value and len(value) <= 80 and _FACET_VALUE.match(value):
            clean[name] = value
    return clean


# -- searching -------------------------------------------------------------


def _facet_counts(
    searcher: Searcher, matched: int, filters: dict[str, str]
) -> dict[str, list[FacetValue]]:
    """Per facet, its values among the ``matched`` documents (a bit mask), most first."""
    facets: dict[str, list[FacetValue]] = {}
    for name in FACET_FIELDS:
        counts = {
            key: count
            for key, mask in value_masks(searcher, name, name in LIST_FACETS).items()
            if (count := (mask & matched).bit_count())
        }
        values = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
        facets[name] = [FacetValue(key, count, filters.get(name) == key) for key, count in values]
    return facets


#: (start seconds, highlighted passage, the speaker's person id or None)
BestPassage = tuple[float, str, int | None]


def _passage_query(tree: Node | None, speakers: str | None) -> Query | None:
    """The transcript words of ``tree`` in passages (by speakers of that perspective)."""
    words = build(tree, passage_fields)
    if words is None or not searchable(tree, passage_fields):
        return None
    clauses = [words, Term("kind", "passage")]
    if speakers:
        clauses.append(Term("speakers", speakers))
    return And(clauses)


def _best_passages(
    searcher: Searcher,
    tree: Node | None,
    episode_keys: Iterable[str],
    speakers: str | None = None,
) -> dict[str, BestPassage]:
    """Episode key -> its best-matching passage (spoken by ``speakers``, when given).

    Only passage documents are looked at: an exclusion (``-word``) alone would
    also match the episode's own document, which has no start. A query that
    looks for nothing in the transcript (``titel:…``) points at no moment.
    """
    keys = list(episode_keys)
    passage_query = _passage_query(tree, speakers)
    if not keys or passage_query is None:
        return {}
    query = And([passage_query, Or([Term("item", key) for key in keys])])
    results = searcher.search(query, limit=None, terms=True)
    results.formatter = MarkFormatter()
    best: dict[str, BestPassage] = {}
    for hit in results:
        key = hit["item"]
        if key not in best:
            speaker = hit.get("speaker")
            best[key] = (
                float(hit["start"]),
                highlight_field(hit, "passage"),
                int(speaker) if speaker else None,
            )
        if len(best) == len(keys):
            break
    return best


def _spoken_by(searcher: Searcher, tree: Node, speakers: str) -> BitSet:
    """The episode documents with a passage by ``speakers`` that matches ``tree``."""
    passage_query = _passage_query(tree, speakers)
    items = set()
    if passage_query is not None:
        items = {hit["item"] for hit in searcher.search(passage_query, limit=None)}
    size = searcher.doc_count_all()
    if not items:
        return BitSet(size=size)
    episodes = And([Term("kind", "episode"), Or([Term("item", key) for key in sorted(items)])])
    return BitSet(searcher.docs_for_query(episodes), size=size)


def _make_hit(hit: Any, passage: BestPassage | None) -> Hit:
    stored = hit.fields()
    title = highlight_field(hit, "title", whole=True) or escape(stored.get("title", ""))
    excerpt = ""
    if passage is not None:
        excerpt = passage[1]
    if not excerpt:
        text = f"{stored.get('summary', '')}\n\n{stored.get('body', '')}"
        excerpt = text_excerpt(hit, text)
    if not excerpt:
        excerpt = plain_excerpt(stored.get("summary") or stored.get("body") or "")
    published = stored.get("published")
    return Hit(
        kind=stored["kind"],
        id=int(stored["item"].partition(":")[2]),
        slug=stored.get("slug", ""),
        title=Markup(title),
        excerpt=Markup(excerpt),
        score=float(hit.score or 0.0),
        published=published.replace(tzinfo=UTC) if published else None,
        start=passage[0] if passage else None,
        perspective=stored.get("perspective", ""),
        campaign=stored.get("campaign", ""),
        tags=tuple(tag for tag in stored.get("tags", "").split(",") if tag),
        speaker=passage[2] if passage else None,
    )


def _filter_query(filters: dict[str, str], now: datetime) -> Query:
    moment = now.astimezone(UTC).replace(tzinfo=None)
    clauses: list[Query] = [DateRange("published", None, moment)]
    clauses.extend(Term(name, value) for name, value in filters.items())
    return And(clauses)


#: Searcher -> filters -> (documents, computed for, valid until): the public (and
#: filtered) documents, found once per searcher and reused until the next
#: scheduled item's moment. Searchers are per thread, so no lock is needed.
_FILTERS: weakref.WeakKeyDictionary[Searcher, dict[tuple[tuple[str, str], ...], tuple]] = (
    weakref.WeakKeyDictionary()
)


def _filter_docs(
    searcher: Searcher, filters: dict[str, str], now: datetime
) -> tuple[Any, datetime | None]:
    """The document set of :func:`_filter_query`, cached while it cannot change.

    Also the moment it stops holding (the next scheduled item's, naive UTC), or None.
    """
    moment = now.astimezone(UTC).replace(tzinfo=None)
    per_searcher = _FILTERS.setdefault(searcher, {})
    key = tuple(sorted(filters.items()))
    cached = per_searcher.get(key)
    if cached is not None and cached[1] <= moment and (cached[2] is None or moment < cached[2]):
        return cached[0], cached[2]
    docs = BitSet(
        searcher.docs_for_query(_filter_query(filters, now)), size=searcher.doc_count_all()
    )
    upcoming = searcher.search(
        DateRange("published", moment, None, startexcl=True),
        limit=1,
        sortedby="published",
        scored=False,
    )
    valid_until = upcoming[0]["published"] if upcoming.scored_length() else None
    per_searcher[key] = (docs, moment, valid_until)
    return docs, valid_until


def query(
    store: IndexStore | str | os.PathLike[str],
    text: str,
    *,
    page: int = 1,
    sort: str = "relevance",
    filters: Mapping[str, str] | None = None,
    now: datetime | None = None,
    page_size: int = PAGE_SIZE,
    cache: ResultCache | None = None,
) -> SearchResults:
    """Search the public stories and episodes; never raises for bad input.

    With a ``cache``, an answer given before is reused while the index and the
    set of public items are the same (see :mod:`.cache`).
    """
    if not isinstance(store, IndexStore):
        store = IndexStore(store)
    parsed = syntax.parse(text)
    messages = [MESSAGES[note] for note in parsed.notes]
    active = clean_filters(filters)
    results = SearchResults(
        text=parsed.text,
        page=min(max(1, page), MAX_PAGE),
        page_size=page_size,
        sort=sort if sort in SORTS else "relevance",
        filters=active,
        messages=messages,
        now=now,
    )
    if parsed.tree is None:
        results.messages.append(MESSAGES["empty"] if not text.strip() else MESSAGES["no_words"])
        return results
    if not searchable(parsed.tree):
        results.messages.append(_why_nothing(parsed.tree))
        return results
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    key = (text, results.page, results.sort, page_size, tuple(sorted(active.items())))
    try:
        searcher = store.searcher()
        if cache is not None and (kept := cache.get(searcher, key, moment)) is not None:
            return kept.copy()
        answer, valid_until = _run(searcher, parsed.tree, results)
    except (OSError, whoosh_index.IndexError) as error:
        raise SearchUnavailable(MESSAGES["unavailable"], repr(error)) from error
    if cache is not None:
        cache.put(searcher, key, answer.copy(), moment, valid_until)
    return answer


def _known(searcher: Searcher) -> Callable[[str], bool]:
    """Is this term in one of the searched fields of ``searcher``'s index?

    Remembered for the query: its exact-word bonuses build each word's query again.
    """
    reader = searcher.reader()

    @functools.cache
    def known(term: str) -> bool:
        return any((name, term) in reader for name in SEARCH_FIELDS)

    return known


def _exact_bonuses(searcher: Searcher, tree: Node, known: Callable[[str], bool]) -> list[Bonus]:
    """Exact words first: a bonus for the items that have a word of ``tree`` as written."""
    found = []
    for word, leaf in exact_words(tree):
        query = build(leaf, known=known)
        if query is not None and (bonus := exact_bonus(searcher, word, query)) is not None:
            found.append(bonus)
    return found


def _run(
    searcher: Searcher, tree: Node, results: SearchResults
) -> tuple[SearchResults, datetime | None]:
    """The answer, and the moment it stops holding (the next scheduled item's)."""
    now = datetime.now(UTC)
    page_size = results.page_size
    active = results.filters
    known = _known(searcher)
    parsed = build(tree, known=known)
    if parsed is None:  # not reached: ``searchable`` said there is a term
        return results, None
    filter_query, valid_until = _filter_docs(searcher, active, results.now or now)
    if filter_query and active.get("speakers"):
        # "Wie spreekt": only what those speakers said, not just episodes they speak in.
        filter_query = filter_query & _spoken_by(searcher, tree, active["speakers"])
    if not filter_query:
        # Nothing public (with these filters). Whoosh would read an empty filter as none.
        return results, valid_until
    # Every match is seen (none skipped for not reaching the top): total and
    # facets are counted from a bit mask of them, not by Whoosh's facet
    # collector, which reads every matching document's columns (most of the
    # time of a query for a common word).
    if results.sort == "date":
        top: collectors.Collector = collectors.TermsCollector(
            collectors.SortingCollector("published", results.page * page_size, reverse=True)
        )
    else:
        top = TopMatches(results.page * page_size, _exact_bonuses(searcher, tree, known))
    recorder = MatchMask(top, searcher.doc_count_all())
    searcher.search_with_collector(parsed, collectors.FilterCollector(recorder, filter_query))
    found = recorder.results()
    found.formatter = MarkFormatter()
    matched = recorder.mask()
    results.total = matched.bit_count()
    results.page = min(results.page, results.pages)
    results.facets = _facet_counts(searcher, matched, active)
    window = found[(results.page - 1) * page_size : results.page * page_size]
    passages = _best_passages(
        searcher,
        tree,
        (hit["item"] for hit in window if hit["kind"] == "episode"),
        active.get("speakers"),
    )
    results.hits = [_make_hit(hit, passages.get(hit["item"])) for hit in window]
    if results.total < SUGGEST_BELOW:
        results.suggestion = suggest(searcher, tree, results.total, filter_query)
    return results, valid_until


def _why_nothing(tree: Node) -> str:
    """The message for a query that looks for no term."""
    excluded = any(leaf_terms(leaf) for leaf, negated in leaves(tree) if negated)
    words = [
        word.lower()
        for leaf, negated in leaves(tree)
        if not negated
        for word in _WORD.findall(" ".join(leaf.words))
    ]
    if words and all(word in STOP_WORDS for word in words) and not excluded:
        return MESSAGES["only_common"]
    return MESSAGES["only_excluded"] if excluded else MESSAGES["no_words"]
