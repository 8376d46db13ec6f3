"""Benchmark the podcast feed and audio delivery with 1,000 episodes.

    .venv/bin/python benchmarks/feed.py [--episodes 1000] [--seconds 5] [--connections 4]
                                        [--stats-only] [--rounds 3]

Builds a throw-away archive (temporary database and media directory) with the
demo content plus generated episodes whose rows point at hard links of one
real MP3 (the demo audio looped with ffmpeg to more than 1 MB), then prints:

- in-process: the feed's build time when not cached, a repeat (cached)
  request and a ``304``;
- under gunicorn with 2 workers: requests per second for the feed and for a
  1 MB range request, each beside the same bytes served as a plain static file
  by the same server in the same run (Flask's static-file view), and the ratio.

- counting on and off (``ARCHIVE_STATS``): requests per second for the media
  range and the feed, each request from a new listener (a podcast app's
  User-Agent with a random number, so every request is hashed and buffered
  as a new visitor: the most work counting can cause), in alternating
  rounds; ``--stats-only`` runs just this part.

The load generator is wrk (Debian: ``apt-get install wrk``); without it the
gunicorn part is skipped. The machine's cores are shared with the load
generator, so compare ratios rather than absolute figures.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask, send_from_directory  # noqa: E402
from sqlalchemy import select  # noqa: E402

from archive import create_app, database  # noqa: E402
from archive.audio import probe  # noqa: E402
from archive.demo import HERE as DEMO_DIR  # noqa: E402
from archive.demo import load as load_demo  # noqa: E402
from archive.feed import build_podcast_feed  # noqa: E402
from archive.feed.state import podcast_state, public_episodes  # noqa: E402
from archive.models import Episode, Show, StatsDaily, db, utcnow  # noqa: E402
from archive.views.delivery import RequestUrls, feed_cache  # noqa: E402

RANGE_BYTES = 1024 * 1024
GZIP = {"Accept-Encoding": "gzip"}
SHOW_NOTES = """In aflevering {n} vertelt iemand over wat zij zag en deed.

- Wat viel op?
- Wie hielp er?
- Wat zou zij een ander aanraden?

Twijfel je? Bel **Veilig Thuis**: 0800-2000, gratis en dag en nacht bereikbaar.
"""


def bench_app() -> Flask:
    """The archive plus Flask's plain static-file view on ``BENCH_STATIC_DIR`` (for gunicorn)."""
    app = create_app()
    static_dir = os.environ["BENCH_STATIC_DIR"]
    app.add_url_rule(
        "/bench-static/<path:filename>",
        endpoint="bench_static",
        view_func=lambda filename: send_from_directory(static_dir, filename),
    )
    return app


def environment(workdir: Path) -> dict[str, str]:
    return {
        "ARCHIVE_DATABASE_URL": f"sqlite:///{workdir / 'archive.sqlite'}",
        "ARCHIVE_MEDIA_DIR": str(workdir / "media"),
        "ARCHIVE_INDEX_DIR": str(workdir / "index"),
        "ARCHIVE_SECRET_KEY": "benchmark",
        "BENCH_STATIC_DIR": str(workdir / "static"),
    }


def long_mp3(target: Path) -> Path:
    """The demo MP3 looped (stream copy) until it is well over 1 MB."""
    source = DEMO_DIR / "episodes" / "01-signalen-zien.mp3"
    loops = RANGE_BYTES // source.stat().st_size + 2
    command = ["ffmpeg", "-v", "error", "-y", "-stream_loop", str(loops - 1), "-i", str(source)]
    command += ["-c", "copy", str(target)]
    if shutil.which("ffmpeg") is None or subprocess.run(command, check=False).returncode:
        target.write_bytes(source.read_bytes() * loops)  # concatenated frames still decode
    return target


def populate(app: Flask, workdir: Path, count: int) -> None:
    media = workdir / "media"
    audio = long_mp3(workdir / "long.mp3")
    info = probe(audio)
    transcript = (DEMO_DIR / "episodes" / "01-signalen-zien.vtt").read_text(encoding="utf-8")
    with app.app_context():
        database.upgrade()
        load_demo()
        show = db.session.scalars(select(Show)).one()
        chapters = [{"start": 0.0, "title": "Begin", "url": None}]
        chapters.append({"start": info.duration / 2, "title": "Midden", "url": None})
        now = utcnow()
        episodes = []
        for n in range(count):
            episode = Episode(
                show=show,
                slug=f"bench-{n}",
                title=f"Benchmarkaflevering {n}",
                summary=f"Samenvatting van aflevering {n}.",
                show_notes=SHOW_NOTES.format(n=n),
                season=n // 100 + 1,
                number=n + 1,
                transcript_vtt=transcript,
                chapters=chapters,
            )
            episode.publish(now - timedelta(hours=count - n))
            episodes.append(episode)
        db.session.add_all(episodes)
        db.session.flush()
        for episode in episodes:
            name = f"{episode.id}-bench.mp3"
            os.link(audio, media / name)
            episode.audio_path = name
            episode.audio_mime = info.mime
            episode.audio_size = audio.stat().st_size
            episode.duration = info.duration
        db.session.commit()


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def ms(times: list[float]) -> str:
    return f"median {statistics.median(times) * 1000:8.2f} ms   min {min(times) * 1000:8.2f} ms"


def in_process(app: Flask) -> None:
    client = app.test_client()
    with app.test_request_context(base_url="http://localhost"):
        show = db.session.scalars(select(Show).order_by(Show.id)).first()
        urls = RequestUrls(None, show.id)

        def build() -> bytes:
            state = podcast_state(show)
            return build_podcast_feed(show, public_episodes(show), urls, state.last_modified)

        body = build()
        build_times = timed(build, 5)
    print(f"feed: {body.count(b'<item>'):,} items, {len(body):,} bytes")

    def uncached() -> None:
        feed_cache(app).clear()
        assert client.get("/podcast/feed.xml").status_code == 200

    uncached_times = timed(uncached, 5)
    first = client.get("/podcast/feed.xml")
    cached_times = timed(lambda: client.get("/podcast/feed.xml"), 50)
    etag = first.headers["ETag"]
    not_modified = timed(
        lambda: client.get("/podcast/feed.xml", headers={"If-None-Match": etag}), 50
    )
    assert client.get("/podcast/feed.xml", headers={"If-None-Match": etag}).status_code == 304
    gzipped = client.get("/podcast/feed.xml", headers={"Accept-Encoding": "gzip"})
    print(f"feed gzipped: {len(gzipped.data):,} bytes")
    print("In process (Flask test client):")
    print(f"  build feed, not cached (query + feedgen)  {ms(build_times)}")
    print(f"  request, cache empty (build + gzip)       {ms(uncached_times)}")
    print(f"  repeat request (cached)                   {ms(cached_times)}")
    print(f"  304 Not Modified                          {ms(not_modified)}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped; see its output above")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer")


#: wrk script: every request from another listener (a new User-Agent), as apps would be.
NEW_LISTENERS = """
counter = 0
request = function()
  counter = counter + 1
  local listener = math.random(1, 1e9) .. "-" .. counter
  wrk.headers["User-Agent"] = "AntennaPod/3.2.0 (bench " .. listener .. ")"
  return wrk.format(nil, nil)
end
"""


def wrk(
    url: str, seconds: int, connections: int, headers: dict[str, str], script: Path | None = None
) -> tuple[float, str]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s"]
    if script is not None:
        command += ["-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rate, f"{errors.group(1)} non-2xx" if errors else "all 2xx"


def start_gunicorn(workdir: Path, extra_env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, **environment(workdir), **extra_env}
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}"]
    command += ["--pythonpath", str(Path(__file__).resolve().parent), "feed:bench_app()"]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    wait_until_up(base + "/podcast/feed.xml", process)
    return process, base


def first_audio_name(base: str) -> str:
    with urllib.request.urlopen(base + "/podcast/feed.xml") as response:
        found = re.search(rb'<enclosure url="[^"]*/media/([^"]+)"', response.read())
    return found.group(1).decode()


def counting_on_off(workdir: Path, seconds: int, connections: int, rounds: int) -> None:
    """Requests per second with counting on and off, in alternating rounds."""
    if shutil.which("wrk") is None:
        print("wrk not found (apt-get install wrk): counting figures skipped")
        return
    script = workdir / "new-listeners.lua"
    script.write_text(NEW_LISTENERS, encoding="utf-8")
    (workdir / "static").mkdir(exist_ok=True)
    results: dict[tuple[str, str], list[float]] = {}
    print(
        f"Counting on and off, gunicorn 2 sync workers, wrk -c{connections}, {seconds} s, "
        f"{rounds} rounds, every request a new listener:"
    )
    for _ in range(rounds):
        for mode in ("on", "off"):
            process, base = start_gunicorn(workdir, {"ARCHIVE_STATS": "1" if mode == "on" else "0"})
            try:
                audio = first_audio_name(base)
                paths = {
                    "1 MB range of an MP3": (
                        f"/media/{audio}",
                        {"Range": f"bytes=0-{RANGE_BYTES - 1}"},
                    ),
                    "feed, gzip": ("/podcast/feed.xml", GZIP),
                }
                for label, (path, headers) in paths.items():
                    wrk(base + path, 1, connections, headers, script)  # warm up both workers
                    rate, status = wrk(base + path, seconds, connections, headers, script)
                    results.setdefault((label, mode), []).append(rate)
                    print(f"  {label:22} counting {mode:3} {rate:8.1f} req/s ({status})")
            finally:
                process.terminate()
                process.wait(timeout=30)
    for label in ("1 MB range of an MP3", "feed, gzip"):
        on = statistics.median(results[(label, "on")])
        off = statistics.median(results[(label, "off")])
        print(f"  {label:22} median on {on:8.1f}   off {off:8.1f}   ratio on/off {on / off:5.2f}")
    check_counted(workdir)


def check_counted(workdir: Path) -> None:
    """What the counting runs wrote: daily rows only (proof the benchmark counted)."""
    app = create_app()
    with app.app_context():
        total = db.session.scalar(select(db.func.sum(StatsDaily.count))) or 0
        print(f"  downloads counted during the 'on' runs: {total:,}")


def under_gunicorn(workdir: Path, seconds: int, connections: int, episodes: int) -> None:
    if shutil.which("wrk") is None:
        print("wrk not found (apt-get install wrk): gunicorn figures skipped")
        return
    static = workdir / "static"
    static.mkdir(exist_ok=True)
    process, base = start_gunicorn(workdir, {})
    try:
        with urllib.request.urlopen(base + "/podcast/feed.xml") as response:
            (static / "feed.xml").write_bytes(response.read())
        request = urllib.request.Request(base + "/podcast/feed.xml", headers=GZIP)
        with urllib.request.urlopen(request) as response:
            (static / "feed.xml.gz").write_bytes(response.read())
        audio_name = first_audio_name(base)
        os.link(workdir / "media" / audio_name, static / audio_name)
        ranges = {"Range": f"bytes=0-{RANGE_BYTES - 1}"}
        pairs = [
            (f"feed ({episodes:,} episodes)", "/podcast/feed.xml", "/bench-static/feed.xml", {}),
            ("feed, gzip", "/podcast/feed.xml", "/bench-static/feed.xml.gz", GZIP),
            ("1 MB range of an MP3", f"/media/{audio_name}", f"/bench-static/{audio_name}", ranges),
        ]
        print(f"Under gunicorn, 2 sync workers, wrk -c{connections} for {seconds} s each:")
        for label, app_path, static_path, headers in pairs:
            wrk(base + app_path, 1, connections, headers)  # warm up both workers
            ours, ours_status = wrk(base + app_path, seconds, connections, headers)
            wrk(base + static_path, 1, connections, headers)
            plain, plain_status = wrk(base + static_path, seconds, connections, headers)
            print(
                f"  {label:22} archive {ours:8.1f} req/s ({ours_status})   "
                f"static file {plain:8.1f} req/s ({plain_status})   ratio {ours / plain:5.2f}"
            )
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--episodes", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="counting on/off rounds")
    parser.add_argument("--stats-only", action="store_true", help="only counting on and off")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    try:
        (workdir / "media").mkdir()
        (workdir / "index").mkdir()
        os.environ.update(environment(workdir))
        app = create_app()
        populate(app, workdir, args.episodes)
        if not args.stats_only:
            in_process(app)
            under_gunicorn(workdir, args.seconds, args.connections, args.episodes)
        counting_on_off(workdir, args.seconds, args.connections, args.rounds)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
