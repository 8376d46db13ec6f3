"""Benchmark the campaign-week setup: nginx in front of two app nodes on PostgreSQL.

    .venv/bin/python benchmarks/cluster.py [--seconds 60] [--connections 200]

Builds a throw-away archive in a new schema of the local PostgreSQL
(``ARCHIVE_BENCH_DATABASE_URL``, default
``postgresql://postgres@127.0.0.1:5432/test``): the demo content plus 1,000
stories and 200 episodes, inserted in bulk (the episodes' audio are hard links
of one demo MP3 looped past 1 MB), then each node's index rebuilt. Two gunicorn
nodes run ``deploy/gunicorn.conf.py`` with their own ``flask follow``; nginx
runs ``deploy/nginx/archive.conf`` as rendered by ``deploy/nginx/render.py``,
with ``flask count-downloads`` counting its media lines (see ``tests/serving.py``).

The campaign-week mix is ``--connections`` connections in all (200, as the
issue asks), for ``--seconds``, shared evenly by one wrk per route, all at
once: the home page, a story, an episode page, a search, the podcast feed and
a 1 MB range of an episode's audio. It runs three times in the same run:

- ``site``: the real nginx site (micro-cache on);
- ``app only``: the same site with ``proxy_cache off`` (every request reaches
  a node; every media request asks a node whether its episode is public);
- ``static``: nginx serving a saved copy of the same responses as plain files
  (each body as a file, sent with the site's headers).

With ``--alone`` each route runs on its own in turn instead, with all the
connections (six times as long), so a route's ratio is not moved by what the
others take of the CPU.

It prints requests per second, p50/p99 latency and errors per route, and the
ratios to ``static`` beside the targets (0 errors, p99 < 500 ms, pages and
feed >= 0.8x static, media >= 0.9x). The machine's cores are shared by nginx,
the nodes, PostgreSQL and wrk, so compare ratios rather than absolute figures.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from serving import (  # noqa: E402
    app_node,
    download_counter,
    free_port,
    nginx,
    nginx_binary,
    render_site,
)
from sqlalchemy import create_engine, make_url, select, text  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from archive import create_app, database  # noqa: E402
from archive.audio import probe  # noqa: E402
from archive.config import database_url  # noqa: E402
from archive.demo import HERE as DEMO_DIR  # noqa: E402
from archive.demo import load as load_demo  # noqa: E402
from archive.models import Campaign, Episode, Show, Story, Tag, db, utcnow  # noqa: E402
from archive.search.sync import rebuild  # noqa: E402

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/test"
RANGE_BYTES = 1024 * 1024
#: Dutch words the generated stories are made of (so search has something to find).
WORDS = [
    "school", "juf", "meester", "ouder", "kind", "thuis", "buren", "zorg", "hulp",
    "vertrouwen", "praten", "luisteren", "signalen", "twijfel", "melden", "huisarts",
    "sportclub", "vriendin", "broertje", "pleegzorg", "wijkagent", "veilig", "bang",
    "boos", "verdriet", "moed", "steun", "gesprek",
]  # fmt: skip
TAGS = ["School", "Thuis", "Buren", "Sport", "Hulp zoeken", "Zorg", "Vriendschap", "Melden"]
SEARCH_WORD = "school"
PLAYER = "AntennaPod/3.2.0"

#: Route -> the request wrk sends (path filled in from the content), and its kind.
ROUTES: dict[str, str] = {
    "home": "page",
    "story": "page",
    "episode": "page",
    "search": "page",
    "feed": "feed",
    "media 1 MB": "media",
}
#: Kind -> the lowest acceptable ratio to static.
RATIO_TARGETS = {"page": 0.8, "feed": 0.8, "media": 0.9}
P99_TARGET_MS = 500.0

STATIC_SITE = """\
server {{
    listen 127.0.0.1:{port};
    server_tokens off;
    # Logged like the site (one line per request), and files kept open as the
    # site keeps them, so the ratio does not favour the site.
    access_log {log};
    open_file_cache max=10000 inactive=30s;
    open_file_cache_valid 5s;
    open_file_cache_errors off;
    root {root};
    location / {{ }}
{locations}
}}
"""
#: Headers nginx writes itself for a static file (or that describe one connection):
#: not copied from the site's response.
OWN_HEADERS = {
    "date", "server", "connection", "keep-alive", "transfer-encoding", "content-length",
    "content-type", "etag", "last-modified", "accept-ranges", "content-range",
}  # fmt: skip


@dataclass(frozen=True)
class Request:
    path: str
    headers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    #: What the errors were: "non-2xx 3, timeout 12".
    kinds: str = ""


# --- the archive ---------------------------------------------------------------------


@contextmanager
def fresh_schema(url: str) -> Iterator[str]:
    """A new schema ``bench_<random>`` in ``url``'s database; its URL; dropped afterwards."""
    schema = f"bench_{secrets.token_hex(4)}"
    admin = create_engine(url, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        parsed = make_url(url)
        options = f"{parsed.query.get('options', '')} -csearch_path={schema}".strip()
        yield parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def long_mp3(target: Path) -> Path:
    """The demo MP3 looped (stream copy) until it is well over 1 MB."""
    source = DEMO_DIR / "episodes" / "01-signalen-zien.mp3"
    loops = RANGE_BYTES // source.stat().st_size + 2
    command = ["ffmpeg", "-v", "error", "-y", "-stream_loop", str(loops - 1), "-i", str(source)]
    command += ["-c", "copy", str(target)]
    if shutil.which("ffmpeg") is None or subprocess.run(command, check=False).returncode:
        target.write_bytes(source.read_bytes() * loops)  # concatenated frames still decode
    return target


def story_body(n: int) -> str:
    paragraphs = []
    for p in range(4):
        words = [WORDS[(n * 7 + p * 3 + i * i) % len(WORDS)] for i in range(60)]
        paragraphs.append(" ".join(words).capitalize() + ".")
    return "\n\n".join(paragraphs)


def populate(config: dict, workdir: Path, stories: int, episodes: int) -> None:
    """Demo content plus generated stories and episodes, in bulk; search rebuilt later."""
    app = create_app(config)
    audio = long_mp3(workdir / "long.mp3")
    info = probe(audio)
    transcript = (DEMO_DIR / "episodes" / "01-signalen-zien.vtt").read_text(encoding="utf-8")
    with app.app_context():
        database.upgrade()
        load_demo()
        now = utcnow()
        tags = [Tag(slug=name.lower().replace(" ", "-"), name=name) for name in TAGS]
        tags = [db.session.scalar(select(Tag).where(Tag.slug == t.slug)) or t for t in tags]
        campaign = db.session.scalars(select(Campaign)).first()
        for n in range(stories):
            story = Story(
                slug=f"verhaal-{n}",
                title=f"Verhaal {n} over {WORDS[n % len(WORDS)]}",
                summary=f"Samenvatting van verhaal {n}.",
                body=story_body(n),
                author_name="Anoniem",
                campaign=campaign,
                tags=[tags[n % len(tags)], tags[(n * 3 + 1) % len(tags)]],
            )
            story.publish(now - timedelta(minutes=stories - n))
            db.session.add(story)
        show = db.session.scalars(select(Show).order_by(Show.id)).first()
        made = []
        for n in range(episodes):
            episode = Episode(
                show=show,
                slug=f"aflevering-{n}",
                title=f"Aflevering {n}: {WORDS[n % len(WORDS)]}",
                summary=f"Samenvatting van aflevering {n}.",
                show_notes=f"In aflevering {n} vertelt iemand wat zij zag en deed.",
                season=n // 100 + 1,
                number=n + 1,
                transcript_vtt=transcript,
                tags=[tags[n % len(tags)]],
            )
            episode.publish(now - timedelta(hours=episodes - n))
            made.append(episode)
        db.session.add_all(made)
        db.session.flush()
        for episode in made:
            name = f"{episode.id}-bench.mp3"
            os.link(audio, Path(config["MEDIA_DIR"]) / name)
            episode.audio_path = name
            episode.audio_mime = info.mime
            episode.audio_size = audio.stat().st_size
            episode.duration = info.duration
        db.session.commit()
        # Fresh statistics after the bulk load, as autovacuum would soon make them.
        with db.engine.connect() as connection:
            connection.execute(text("ANALYZE"))
        db.engine.dispose()


def build_index(config: dict, index: Path) -> None:
    index.mkdir()
    app = create_app({**config, "INDEX_DIR": str(index)})
    with app.app_context():
        rebuild(procs=2)
        db.engine.dispose()


def requests_for(config: dict, stories: int, episodes: int) -> dict[str, Request]:
    app = create_app(config)
    with app.app_context():
        story = f"verhaal-{stories // 2}"
        episode = db.session.scalar(
            select(Episode).where(Episode.slug == f"aflevering-{episodes // 2}")
        )
        audio = episode.audio_path
        episode_slug = episode.slug
        db.engine.dispose()
    paths = {
        "home": Request("/"),
        "story": Request(f"/verhalen/{story}"),
        "episode": Request(f"/podcast/{episode_slug}"),
        "search": Request(f"/zoeken?q={SEARCH_WORD}"),
        "feed": Request("/podcast/feed.xml"),
        # A podcast app's User-Agent: each request is a line flask count-downloads counts.
        "media 1 MB": Request(
            f"/media/{audio}", (f"Range: bytes=0-{RANGE_BYTES - 1}", f"User-Agent: {PLAYER}")
        ),
    }
    assert list(paths) == list(ROUTES)
    return paths


# --- load ------------------------------------------------------------------------------


def wrk(base: str, request: Request, seconds: int, connections: int) -> subprocess.Popen:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for header in request.headers:
        command += ["-H", header]
    return subprocess.Popen(
        [*command, base + request.path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _latency_ms(output: str, percent: str) -> float:
    match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    return float(match.group(1)) * _UNITS_MS[match.group(2)] if match else float("nan")


def parse(output: str) -> Result:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rate is None:
        raise SystemExit(f"wrk failed:\n{output}")
    counts: dict[str, int] = {}
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        counts["non-2xx"] = int(non_2xx.group(1))
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if sockets:
        kinds = ("connect", "read", "write", "timeout")
        counts.update(zip(kinds, (int(n) for n in sockets.groups()), strict=True))
    found = {kind: n for kind, n in counts.items() if n}
    return Result(
        float(rate.group(1)),
        _latency_ms(output, "50"),
        _latency_ms(output, "99"),
        sum(found.values()),
        ", ".join(f"{kind} {n}" for kind, n in found.items()),
    )


def load(
    base: str, requests: dict[str, Request], seconds: int, connections: int, alone: bool
) -> dict[str, Result]:
    """Every route at once, one wrk each (the mix), or each route ``alone`` in turn."""
    if alone:
        results = {}
        for name, request in requests.items():
            results |= load(base, {name: request}, seconds, connections, alone=False)
        return results
    each = max(1, connections // len(requests))
    for request in requests.values():  # warm: caches, connections, the index's readers
        warm = urllib.request.Request(base + request.path)
        for header in request.headers:
            name, value = header.split(": ", 1)
            warm.add_header(name, value)
        with urllib.request.urlopen(warm, timeout=30) as answer:
            answer.read()
    running = {name: wrk(base, request, seconds, each) for name, request in requests.items()}
    return {name: parse(process.communicate()[0]) for name, process in running.items()}


def save_static_copy(
    base: str, requests: dict[str, Request], folder: Path
) -> tuple[dict[str, Request], str]:
    """The same responses as files under ``folder``: the requests that fetch them, and the
    nginx locations that send each file with the site's headers (type, caching, security).

    The copies are the same responses, not only the same bodies: the site's
    headers are a real part of what it sends (about a kilobyte of security
    headers on a page), so the static copy sends them too.
    """
    folder.mkdir()
    (folder / "hulp").write_text("")  # what tests/serving.py asks for to see nginx is up
    static = {}
    locations = []
    for name, request in requests.items():
        # The whole file for media: the same range is asked of it.
        file_name = re.sub(r"\W+", "-", name) + (".mp3" if ROUTES[name] == "media" else "")
        with urllib.request.urlopen(base + request.path, timeout=30) as answer:
            (folder / file_name).write_bytes(answer.read())
            headers = [(k, v) for k, v in answer.headers.items() if k.lower() not in OWN_HEADERS]
            content_type = answer.headers.get("Content-Type", "application/octet-stream")
        lines = [f'        types {{ }} default_type "{content_type}";']
        lines += [f'        add_header {k} "{_quoted(v)}";' for k, v in headers]
        locations.append(f"    location = /{file_name} {{\n" + "\n".join(lines) + "\n    }")
        static[name] = Request(f"/{file_name}", request.headers)
    return static, "\n".join(locations)


def _quoted(value: str) -> str:
    if "$" in value:
        raise ValueError(f"a header value nginx would read as a variable: {value!r}")
    return value.replace("\\", "\\\\").replace('"', '\\"')


def error_log_summary(prefix: Path, top: int = 3) -> str:
    """The nginx error log's most frequent messages (times, ids and clients left out)."""
    log = prefix / "error.log"
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    messages = Counter(
        re.sub(r", client: .*|\*\d+ |\d+#\d+: ", "", line.split(" ", 2)[-1]) for line in lines
    )
    if not messages:
        return "  nginx error log: empty"
    shown = [f"  {n:>6} x {message[:110]}" for message, n in messages.most_common(top)]
    return "\n".join([f"  nginx error log: {len(lines)} lines, most frequent:", *shown])


def counted(log: Path) -> str:
    """What ``flask count-downloads`` said when it stopped (lines read, fetches counted)."""
    said = [line for line in log.read_text().splitlines() if line.startswith("Stopped:")]
    return "\n  flask count-downloads: " + (said[-1] if said else "no report")


# --- report ------------------------------------------------------------------------------


def table(title: str, results: dict[str, Result], log: str) -> None:
    print(f"\n{title}")
    print(f"  {'route':<12} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7}  kinds")
    for name, result in results.items():
        print(
            f"  {name:<12} {result.requests_per_second:>9.0f} {result.p50_ms:>9.1f}"
            f" {result.p99_ms:>9.1f} {result.errors:>7}  {result.kinds}"
        )
    print(log)


def verdicts(site: dict[str, Result], app: dict[str, Result], static: dict[str, Result]) -> None:
    print("\nRatio to static (req/s), and the targets:")
    print(f"  {'route':<12} {'site':>6} {'app only':>9} {'target':>7}   site: errors, p99, ratio")
    for name, kind in ROUTES.items():
        ratio = site[name].requests_per_second / static[name].requests_per_second
        app_ratio = app[name].requests_per_second / static[name].requests_per_second
        target = RATIO_TARGETS[kind]
        checks = [
            "ok" if site[name].errors == 0 else "ERRORS",
            "ok" if site[name].p99_ms < P99_TARGET_MS else "SLOW",
            "ok" if ratio >= target else "BELOW",
        ]
        print(f"  {name:<12} {ratio:>6.2f} {app_ratio:>9.2f} {target:>7.1f}   {', '.join(checks)}")


# --- main ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of each mix")
    parser.add_argument(
        "--connections", type=int, default=200, help="in all, shared by the routes at once"
    )
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--episodes", type=int, default=200)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per node")
    parser.add_argument(
        "--alone", action="store_true", help="each route on its own in turn, not all at once"
    )
    args = parser.parse_args()
    missing = [tool for tool in ("wrk", "nginx") if shutil.which(tool) is None]
    if "nginx" in missing and nginx_binary() is not None:
        missing.remove("nginx")
    if missing:
        print(f"cluster benchmark skipped: {', '.join(missing)} not installed (apt-get install)")
        return
    url = database_url(os.environ.get("ARCHIVE_BENCH_DATABASE_URL") or DEFAULT_DATABASE)

    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cluster-")))
        try:
            schema_url = stack.enter_context(fresh_schema(url))
        except Exception as error:  # the reason, in one line, for any driver's error
            shown = make_url(url).render_as_string()
            print(f"cluster benchmark skipped: PostgreSQL at {shown}: {error}".splitlines()[0])
            return
        (workdir / "media").mkdir()
        config = {
            "SECRET_KEY": "benchmark",
            "SQLALCHEMY_DATABASE_URI": schema_url,
            "MEDIA_DIR": str(workdir / "media"),
            "INDEX_DIR": str(workdir / "media"),  # replaced per node below
        }
        print(f"Loading the demo, {args.stories:,} stories and {args.episodes:,} episodes ...")
        populate(config, workdir, args.stories, args.episodes)
        nodes = []
        for name in ("one", "two"):
            index = workdir / f"index-{name}"
            build_index(config, index)
            log = stack.enter_context((workdir / f"node-{name}.log").open("w"))
            nodes.append(
                stack.enter_context(app_node(config, index, workers=args.workers, output=log))
            )
        requests = requests_for(
            {**config, "INDEX_DIR": str(nodes[0].index)}, args.stories, args.episodes
        )
        upstreams = [f"127.0.0.1:{node.port}" for node in nodes]
        if args.alone:
            how = f"one route at a time, {args.connections} connections"
        else:
            each = args.connections // len(ROUTES)
            how = f"{len(ROUTES)} routes at once, {each} connections each"
        print(f"Two nodes with {args.workers} sync workers each; {how}, {args.seconds} s each.")

        results = {}
        logs = {}
        for label, cached in (("site", True), ("app only", False)):
            prefix = workdir / f"nginx-{label.replace(' ', '-')}"
            port = free_port()
            counter_log = stack.enter_context((workdir / f"counter-{port}.log").open("w"))
            with ExitStack() as running:
                counter = running.enter_context(
                    download_counter(config, nodes[0].index, counter_log)
                )
                site = render_site(upstreams, port, prefix, config["MEDIA_DIR"], counter)
                if not cached:
                    site = site.replace("proxy_cache archive_micro;", "proxy_cache off;")
                base = running.enter_context(nginx(prefix, site, worker_processes="auto"))
                if cached:
                    static_requests, locations = save_static_copy(
                        base, requests, workdir / "static"
                    )
                results[label] = load(base, requests, args.seconds, args.connections, args.alone)
            logs[label] = error_log_summary(prefix) + counted(workdir / f"counter-{port}.log")
        prefix = workdir / "nginx-static"
        port = free_port()
        static_site = STATIC_SITE.format(
            port=port, root=workdir / "static", log=prefix / "access.log", locations=locations
        )
        with nginx(prefix, static_site, worker_processes="auto") as base:
            results["static"] = load(
                base, static_requests, args.seconds, args.connections, args.alone
            )
        logs["static"] = error_log_summary(prefix)

    table("site: nginx with the micro-cache, two app nodes", results["site"], logs["site"])
    table("app only: the same nginx without the micro-cache", results["app only"], logs["app only"])
    table(
        "static: nginx serving saved copies of the same responses",
        results["static"],
        logs["static"],
    )
    verdicts(results["site"], results["app only"], results["static"])


if __name__ == "__main__":
    main()
