"""Ingest a generated 200 MB MP3 and print wall time, probe time and memory growth.

Run from the checkout: ``.venv/bin/python benchmarks/ingest.py [MEGABYTES]``.
Never run by the test suite.

The MP3 is the frames of ``tests/fixtures/audio/vbr-no-xing.mp3`` repeated:
VBR without a Xing header, the worst case for the probe, which must count
every frame to know the duration. Memory is measured two ways: tracemalloc's
peak of Python allocations during the ingest, and the growth of the process's
peak resident set (``ru_maxrss``); both must stay far below the file size.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive import (  # noqa: E402
    create_app,
    database,
    editorial,
)
from archive.audio import probe  # noqa: E402
from archive.models import db  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "audio" / "vbr-no-xing.mp3"
FIXTURE_SECONDS = 8.46  # tests/fixtures/durations.json


def make_mp3(path: Path, megabytes: int) -> int:
    """Write ``megabytes`` MB of repeated fixture frames; returns the repeat count."""
    frames = FIXTURE.read_bytes()
    repeats = megabytes * 1024 * 1024 // len(frames)
    per_write = 64
    with path.open("wb") as out:
        for done in range(0, repeats, per_write):
            out.write(frames * min(per_write, repeats - done))
    return repeats


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        (work / "media").mkdir()
        (work / "index").mkdir()
        source = work / "groot.mp3"
        repeats = make_mp3(source, megabytes)
        size = source.stat().st_size
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'bench.sqlite'}",
                "MEDIA_DIR": str(work / "media"),
                "INDEX_DIR": str(work / "index"),
            }
        )
        with app.app_context():
            database.upgrade()
            editorial.create_show({"slug": "bench", "title": "Bench"}, None, editorial.COMMAND_LINE)

            # Run 1: plain timing and the growth of the peak resident set.
            rss_before = max_rss_mb()
            started = time.perf_counter()
            with source.open("rb") as stream:  # the editor's upload path, commit included
                first = editorial.create_episode(stream, "groot.mp3", editorial.IMPORT).episode
            wall = time.perf_counter() - started
            rss_peak = max_rss_mb()
            rss_growth = rss_peak - rss_before

            # Run 2: Python allocations (tracemalloc slows the run, so it is apart).
            tracemalloc.start()
            with source.open("rb") as stream:
                editorial.create_episode(stream, "groot.mp3", editorial.IMPORT)
            _, traced_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()

            stored = Path(app.config["MEDIA_DIR"]) / first.audio_path
            started = time.perf_counter()
            info = probe(stored)
            probe_seconds = time.perf_counter() - started
            expected = repeats * FIXTURE_SECONDS
            db.engine.dispose()

    print(f"file:                {size / 1e6:.1f} MB MP3, VBR without Xing header")
    print(f"duration found:      {info.duration:.1f} s (expected {expected:.1f} s)")
    print(f"ingest wall time:    {wall:.2f} s ({size / 1e6 / wall:.0f} MB/s)")
    print(f"probe alone:         {probe_seconds:.2f} s (counts every frame; warm cache)")
    print(f"tracemalloc peak:    {traced_peak / 1e6:.2f} MB")
    print(f"peak RSS growth:     {rss_growth:.1f} MB (process peak {rss_peak:.0f} MB)")
    print(f"memory / file size:  {max(traced_peak / 1e6, rss_growth) / (size / 1e6):.2%}")


if __name__ == "__main__":
    main()
