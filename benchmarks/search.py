"""Search benchmark: the app's Whoosh index against SQLite FTS5 on the same corpus.

Generates a deterministic Dutch-like corpus (10,000 stories of ~800 words,
1,000 episodes with ~6,000-word WebVTT transcripts at ``--scale 1``), stores
it in a temporary app database, then:

* Whoosh: rebuilds the index through the app's own code (``search.rebuild``,
  what ``flask reindex`` runs) and times 200 fixed one- to three-word queries
  through ``search.query`` (top 10, highlights, facet counts, best passage).
* FTS5: builds the same documents (the app's document builder) into SQLite
  FTS5 (``unicode61 remove_diacritics 2``) and times the same queries with
  ``bm25``, ``snippet``, facet counts and the best passage per episode.

With ``--load`` it then serves the same corpus with gunicorn
(``deploy/gunicorn.conf.py``) and runs wrk at 32 connections for 30 s with a
Zipf mix of the 500 fixed Dutch search requests in ``search_queries.txt``
(``search_load.lua``): once with the result cache (default size), once
without (``ARCHIVE_SEARCH_CACHE_ENTRIES=0``), printing req/s, p50/p99 and
errors for both.

Run: ``.venv/bin/python benchmarks/search.py [--scale 0.1] [--procs 2] [--load]``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive import create_app, database, search  # noqa: E402
from archive.models import (  # noqa: E402
    PERSPECTIVES,
    Campaign,
    Episode,
    Show,
    Story,
    Tag,
    db,
)
from archive.search.documents import documents_for  # noqa: E402

SEED = 20211118
STORIES = 10_000
EPISODES = 1_000
STORY_WORDS = 800
TRANSCRIPT_WORDS = 6_000
QUERIES = 200
SECONDS_PER_CUE = 5

#: Real Dutch words (with inflections the analyzer must bring together) ...
DUTCH = """
kind kinderen kindje jongen meisje vader moeder ouders ouder broer zus oma opa juf meester
school klas leerkracht huisarts wijkagent buren buurvrouw vriendin vriend pleegkind pleegouders
jeugdzorg veilig thuis meldcode signalen signaal zorgen zorg hulp helpen hielp geholpen praten
vertellen vertelde verteld luisteren luisterde bang angst verdriet boos schaamte stil stiller
slaan sloeg geslagen schoppen pesten gepest pestte mishandeling mishandeld mishandelen
verwaarlozing verwaarloosd misbruik geweld huiselijk ruzie schreeuwen schreeuwde huilen huilde
blauwe plekken gebroken pols ziekenhuis spreekuur melding gemeld melden twijfel twijfelde
vertrouwen vertrouwenspersoon gesprek gesprekken gevoel gevoelens veiligheid onveilig thuissituatie
eten honger kleren vies moe slapen nachten weekend vakantie sportclub trainer voetbal zwemmen
""".split()  # noqa: SIM905
#: ... and syllables for a long tail of made-up words, as real text has.
SYLLABLES = """
ba be bi bo bu da de di do du ge go ha he ho ka ke ko la le li lo lu ma me mi mo na ne no
pa pe po ra re ri ro sa se si so ta te ti to va ve vo wa we zo aar eer oor ijn ing heid lijk
sch str kr gr bl vl
""".split()  # noqa: SIM905


def vocabulary(rng: random.Random, size: int = 30_000) -> list[str]:
    words = list(dict.fromkeys(DUTCH))
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    # Interleave: real words spread over the frequent and the rare ranks.
    real, made = words[: len(DUTCH)], words[len(DUTCH) :]
    for position, word in enumerate(real):
        made.insert(min(len(made), 30 + position * 37), word)
    return made


class Corpus:
    """Zipf-distributed words from a fixed vocabulary; same seed, same text."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.words = vocabulary(self.rng)
        weights = [1.0 / (rank + 1) for rank in range(len(self.words))]
        total, running = sum(weights), 0.0
        self.cumulative = []
        for weight in weights:
            running += weight / total
            self.cumulative.append(running)

    def take(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def sentences(self, count: int) -> Iterator[str]:
        words = self.take(count)
        position = 0
        while position < len(words):
            length = self.rng.randint(6, 16)
            sentence = words[position : position + length]
            position += length
            yield " ".join(sentence).capitalize() + "."

    def paragraphs(self, count: int) -> str:
        sentences = list(self.sentences(count))
        return "\n\n".join(" ".join(sentences[i : i + 6]) for i in range(0, len(sentences), 6))

    def transcript(self, count: int) -> str:
        blocks, start = [], 0
        for sentence in self.sentences(count):
            end = start + SECONDS_PER_CUE
            blocks.append(f"{_stamp(start)} --> {_stamp(end)}\n{sentence}")
            start = end
        return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"

    def queries(self, count: int) -> list[str]:
        rng = random.Random(SEED + 1)
        # Ranks 10..3,000: common enough to match, rare enough to mean something.
        pool = self.words[10:3000]
        return [" ".join(rng.sample(pool, rng.randint(1, 3))) for _ in range(count)]


def _stamp(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.000"


def populate(corpus: Corpus, stories: int, episodes: int) -> None:
    """Fill the app's database with the corpus (published, in the past)."""
    rng = corpus.rng
    campaigns = [
        Campaign(
            slug=f"week-{year}",
            name=f"Week tegen Kindermishandeling {year}",
            year=year,
            starts_on=date(year, 11, 18),
            ends_on=date(year, 11, 25),
        )
        for year in range(2018, 2025)
    ]
    tags = [
        Tag(slug=f"onderwerp-{n}", name=f"onderwerp {word}") for n, word in enumerate(DUTCH[:40])
    ]
    show = Show(slug="bench", title="Benchmark")
    db.session.add_all([*campaigns, *tags, show])
    db.session.commit()
    perspectives = list(PERSPECTIVES)
    start = datetime(2018, 1, 1, tzinfo=UTC)

    def common(number: int) -> dict[str, Any]:
        return {
            "title": " ".join(corpus.take(rng.randint(3, 7))).capitalize(),
            "summary": " ".join(corpus.sentences(30)),
            "perspective": rng.choice(perspectives),
            "campaign": rng.choice(campaigns),
            "tags": rng.sample(tags, rng.randint(1, 4)),
            "status": "published",
            "published_at": start + timedelta(hours=number * 3),
        }

    for number in range(stories):
        db.session.add(
            Story(slug=f"verhaal-{number}", body=corpus.paragraphs(STORY_WORDS), **common(number))
        )
        if number % 500 == 499:
            db.session.commit()
    for number in range(episodes):
        db.session.add(
            Episode(
                slug=f"aflevering-{number}",
                show=show,
                show_notes=corpus.paragraphs(150),
                transcript_vtt=corpus.transcript(TRANSCRIPT_WORDS),
                **common(number),
            )
        )
        if number % 100 == 99:
            db.session.commit()
    db.session.commit()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_queries(run: Callable[[str], Any], queries: list[str]) -> tuple[float, float]:
    for text in queries[:20]:  # warm caches, as a running server would have
        run(text)
    timings = []
    for text in queries:
        started = time.perf_counter()
        run(text)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), percentile(timings, 0.95)


def directory_size(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


# -- FTS5 ------------------------------------------------------------------

FTS_SCHEMA = """
CREATE VIRTUAL TABLE docs USING fts5(
    item UNINDEXED, kind UNINDEXED, slug UNINDEXED, perspective UNINDEXED,
    campaign UNINDEXED, published UNINDEXED,
    title, text, transcript,
    tokenize = "unicode61 remove_diacritics 2"
);
CREATE TABLE doc_tags (doc INTEGER, tag TEXT);
CREATE INDEX doc_tags_doc ON doc_tags (doc);
CREATE VIRTUAL TABLE passages USING fts5(
    item UNINDEXED, start UNINDEXED, passage,
    tokenize = "unicode61 remove_diacritics 2"
);
"""


def build_fts(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.executescript(FTS_SCHEMA)
    with connection:
        for model in (Story, Episode):
            rows = db.session.scalars(select(model).execution_options(yield_per=200))
            for item in rows:
                item_doc, *passages = documents_for(item)
                cursor = connection.execute(
                    "INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        item_doc["item"],
                        item_doc["kind"],
                        item_doc["slug"],
                        item_doc["perspective"],
                        item_doc["campaign"],
                        item_doc["published"].isoformat(),
                        item_doc["title"],
                        item_doc["text"],
                        item_doc.get("transcript", ""),
                    ),
                )
                connection.executemany(
                    "INSERT INTO doc_tags VALUES (?,?)",
                    [(cursor.lastrowid, tag) for tag in item_doc["tags"].split(",") if tag],
                )
                connection.executemany(
                    "INSERT INTO passages VALUES (?,?,?)",
                    [(p["item"], p["start"], p["passage"]) for p in passages],
                )
            db.session.expunge_all()
    connection.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    connection.execute("INSERT INTO passages(passages) VALUES ('optimize')")
    connection.commit()
    return connection


def fts_query(connection: sqlite3.Connection, text: str) -> dict[str, Any]:
    """Top 10 by bm25 with snippets, facet counts, best passage per episode hit."""
    match = " ".join(f'"{word}"' for word in text.split())
    now = datetime.now(UTC).replace(tzinfo=None).isoformat()
    hits = connection.execute(
        "SELECT item, kind, slug, title,"
        " snippet(docs, 7, '<mark>', '</mark>', ' … ', 24)"
        " FROM docs WHERE docs MATCH ? AND published <= ?"
        " ORDER BY bm25(docs, 0, 0, 0, 0, 0, 0, 3.0, 1.0, 0.8) LIMIT 10",
        (match, now),
    ).fetchall()
    facets = {
        column: connection.execute(
            f"SELECT {column}, count(*) FROM docs WHERE docs MATCH ? AND published <= ?"
            f" GROUP BY {column}",
            (match, now),
        ).fetchall()
        for column in ("kind", "perspective", "campaign")
    }
    facets["tags"] = connection.execute(
        "SELECT tag, count(*) FROM doc_tags WHERE doc IN"
        " (SELECT rowid FROM docs WHERE docs MATCH ? AND published <= ?) GROUP BY tag",
        (match, now),
    ).fetchall()
    passages = {}
    for item, kind, *_ in hits:
        if kind == "episode":
            passages[item] = connection.execute(
                "SELECT start, snippet(passages, 2, '<mark>', '</mark>', ' … ', 24)"
                " FROM passages WHERE passages MATCH ? AND item = ? ORDER BY rank LIMIT 1",
                (match, item),
            ).fetchone()
    return {"hits": hits, "facets": facets, "passages": passages}


# -- load ------------------------------------------------------------------

LOAD_QUERIES = ROOT / "benchmarks" / "search_queries.txt"
LOAD_SCRIPT = ROOT / "benchmarks" / "search_load.lua"
_RESULT = re.compile(r"RESULT (.*)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, seconds: float = 300.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=120) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


def _wrk(base: str, connections: int, seconds: int) -> dict[str, float]:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(LOAD_SCRIPT), base, "--", str(LOAD_QUERIES)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = _RESULT.search(output)
    if found is None:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    return {key: float(value) for key, value in (p.split("=") for p in found.group(1).split())}


def load(
    tmp: Path, cache_entries: int, workers: int, connections: int, seconds: int, warmup: int
) -> dict:
    """Serve the corpus in ``tmp`` with gunicorn and run wrk's Zipf mix against it."""
    port = _free_port()
    environment = {
        **os.environ,
        "ARCHIVE_DATABASE_URL": f"sqlite:///{tmp / 'archive.sqlite'}",
        "ARCHIVE_INDEX_DIR": str(tmp / "index"),
        "ARCHIVE_MEDIA_DIR": str(tmp / "media"),
        "ARCHIVE_SECRET_KEY": "benchmark",
        "ARCHIVE_SEARCH_CACHE_ENTRIES": str(cache_entries),
        "ARCHIVE_BIND": f"127.0.0.1:{port}",
        "ARCHIVE_WORKERS": str(workers),
    }
    log = (tmp / f"gunicorn-{cache_entries}.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--config",
         str(ROOT / "deploy" / "gunicorn.conf.py"), "archive:create_app()"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/zoeken?q=kinderen")
        _wrk(base, connections, warmup)  # warm up: open searchers, fill caches as a live site has
        return _wrk(base, connections, seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        if os.environ.get("BENCH_SHOW_LOG"):
            print(log.name, (tmp / log.name).read_text()[-3000:])


def print_load(results: dict[str, dict], connections: int, seconds: int, warmup: int) -> None:
    print(f"load: wrk, {connections} connections, {seconds} s after {warmup} s of warm-up, "
          f"Zipf mix of {LOAD_QUERIES.name} (500 requests)")  # fmt: skip
    print(f"{'':18}{'req/s':>10}{'p50 (ms)':>10}{'p99 (ms)':>10}{'errors':>8}{'non-2xx':>9}")
    for label, figures in results.items():
        print(
            f"{label:18}{figures['requests'] / figures['seconds']:10.1f}"
            f"{figures['p50_ms']:10.1f}{figures['p99_ms']:10.1f}"
            f"{figures['errors']:8.0f}{figures['status_errors']:9.0f}"
        )


# -- main ------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full corpus")
    parser.add_argument("--procs", type=int, default=2, help="Whoosh indexing processes")
    parser.add_argument("--load", action="store_true", help="also run the gunicorn/wrk load test")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (--load)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (--load)")
    parser.add_argument("--seconds", type=int, default=30, help="wrk duration (--load)")
    parser.add_argument(
        "--warmup", type=int, default=15, help="seconds of load before measuring (--load)"
    )
    args = parser.parse_args()
    loads: dict[str, dict] = {}
    stories = max(10, round(STORIES * args.scale))
    episodes = max(2, round(EPISODES * args.scale))

    with tempfile.TemporaryDirectory(prefix="search-bench-") as temporary:
        tmp = Path(temporary)
        (tmp / "media").mkdir()
        (tmp / "index").mkdir()
        app = create_app(
            {
                "SECRET_KEY": "benchmark",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'archive.sqlite'}",
                "MEDIA_DIR": str(tmp / "media"),
                "INDEX_DIR": str(tmp / "index"),
            }
        )
        with app.app_context():
            database.upgrade()
            corpus = Corpus()
            started = time.perf_counter()
            populate(corpus, stories, episodes)
            print(
                f"corpus: {stories} stories x ~{STORY_WORDS} words, {episodes} episodes x "
                f"~{TRANSCRIPT_WORDS}-word transcripts "
                f"(generated and stored in {time.perf_counter() - started:.1f} s)"
            )
            queries = corpus.queries(QUERIES)

            started = time.perf_counter()
            report = search.rebuild(procs=args.procs)
            whoosh_build = time.perf_counter() - started
            whoosh_size = directory_size(report.generation)
            store = search.index_store()
            sample = search.query(store, queries[0])
            assert sample.total and sample.hits, "the Whoosh index finds nothing"
            whoosh_p50, whoosh_p95 = time_queries(lambda q: search.query(store, q), queries)

            fts_path = tmp / "fts.sqlite"
            started = time.perf_counter()
            connection = build_fts(fts_path)
            fts_build = time.perf_counter() - started
            fts_size = fts_path.stat().st_size
            assert fts_query(connection, queries[0])["hits"], "FTS5 finds nothing"
            fts_p50, fts_p95 = time_queries(lambda q: fts_query(connection, q), queries)
            connection.close()
            if args.load:
                db.session.remove()
                db.engine.dispose()
                for label, entries in (("with cache", 1000), ("without cache", 0)):
                    loads[label] = load(
                        tmp, entries, args.workers, args.connections, args.seconds, args.warmup
                    )

    mb = 1024 * 1024
    print(
        f"documents indexed: {report.documents} ({report.stories} stories, "
        f"{report.episodes} episodes, the rest transcript passages); procs={args.procs}"
    )
    print(f"{'':18}{'Whoosh':>12}{'FTS5':>12}{'Whoosh/FTS5':>14}")
    rows = [
        ("rebuild (s)", whoosh_build, fts_build),
        ("size (MB)", whoosh_size / mb, fts_size / mb),
        ("query p50 (ms)", whoosh_p50, fts_p50),
        ("query p95 (ms)", whoosh_p95, fts_p95),
    ]
    for label, ours, theirs in rows:
        print(f"{label:18}{ours:12.1f}{theirs:12.1f}{ours / theirs:14.2f}")
    checks = [
        ("rebuild <= 3x FTS5", whoosh_build <= 3 * fts_build),
        ("size <= 1.5x FTS5", whoosh_size <= 1.5 * fts_size),
        ("single-client p95 <= 50 ms", whoosh_p95 <= 50),
    ]
    if loads:
        print_load(loads, args.connections, args.seconds, args.warmup)
        cached, uncached = loads["with cache"], loads["without cache"]
        checks += [
            ("with cache >= 300 req/s", cached["requests"] / cached["seconds"] >= 300),
            ("with cache p99 < 300 ms", cached["p99_ms"] < 300),
            ("without cache >= 60 req/s", uncached["requests"] / uncached["seconds"] >= 60),
            ("no errors", not any(f["errors"] or f["status_errors"] for f in loads.values())),
        ]
    print(
        "targets (issue 14): "
        + "; ".join(f"{name}: {'met' if ok else 'NOT met'}" for name, ok in checks)
    )


if __name__ == "__main__":
    main()
