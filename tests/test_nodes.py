"""Two app nodes on one database, each with its own search index, kept current by itself.

Node A and node B are gunicorn servers with their own index directories; B's
index is kept current by its `flask follow` process (woken by PostgreSQL's
NOTIFY, polling on SQLite). An editor publishes on A; B's search finds it,
without any timer. Killing B's follower with SIGKILL loses nothing: restarted,
it carries on from the position stored with its index.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import requests
from editor.conftest import PASSWORD, make_editor
from live import ROOT, Browser, serve

from archive.editorial import changelog

FLASK = Path(sys.executable).with_name("flask")
OUTPUT = ROOT / "test-output"
#: Generous bound for one edit to reach the other node (a failure, not a target).
PATIENCE = 30.0
#: The issue asks for p50/p95 over 50 edits.
EDITS = 50


def node_environment(config: dict, index: Path) -> dict:
    return {
        **os.environ,
        "FLASK_APP": "archive",
        "ARCHIVE_DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "ARCHIVE_MEDIA_DIR": config["MEDIA_DIR"],
        "ARCHIVE_INDEX_DIR": str(index),
        "ARCHIVE_SECRET_KEY": config["SECRET_KEY"],
        "ARCHIVE_FOLLOW_POLL_SECONDS": "1",
    }


@contextmanager
def follower(config: dict, index: Path) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(
        [str(FLASK), "follow"], cwd=ROOT, env=node_environment(config, index)
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=30)


def publish(editor: Browser, word: str) -> None:
    editor.page("/beheer/verhalen/nieuw")
    response = editor.submit(
        "/beheer/verhalen/nieuw",
        {
            "title": f"Verhaal over {word}",
            "slug": "",
            "author_name": "Anoniem",
            "summary": "",
            "body": f"Een verhaal over {word}.",
            "perspective": "",
            "tags": "",
            "campaign_id": "0",
            "content_note": "",
            "publication": "now",
            "scheduled_at": "",
            "embargo_until": "",
            "save": "Opslaan",
        },
    )
    assert response.status_code == 302, response.text[:500]


def found_on(base: str, word: str) -> bool:
    answer = requests.get(f"{base}/zoeken.json", params={"q": word}, timeout=10)
    assert answer.status_code == 200
    return any(hit["slug"] == f"verhaal-over-{word}" for hit in answer.json()["hits"])


def wait_until_found(base: str, word: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < PATIENCE:
        if found_on(base, word):
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"{word!r} did not reach the other node within {PATIENCE} s")


def word(number: int) -> str:
    return "knooppunt" + "".join(chr(ord("a") + int(d)) for d in f"{number:03d}")


@pytest.fixture
def cluster(app, app_config, ctx, tmp_path):
    make_editor("a@example.org")
    index_a, index_b = tmp_path / "index-a", tmp_path / "index-b"
    index_a.mkdir()
    index_b.mkdir()
    with ExitStack() as stack:
        node_a = stack.enter_context(serve({**app_config, "INDEX_DIR": str(index_a)}, workers=2))
        node_b = stack.enter_context(serve({**app_config, "INDEX_DIR": str(index_b)}, workers=2))
        editor = Browser(node_a)
        editor.log_in("a@example.org", PASSWORD)
        yield editor, node_b, index_b


def test_an_edit_on_one_node_is_found_on_the_other_by_itself(cluster, app_config):
    editor, node_b, index_b = cluster
    latencies = []
    with follower(app_config, index_b):
        for number in range(EDITS):
            publish(editor, word(number))
            latencies.append(wait_until_found(node_b, word(number)))
    quantiles = statistics.quantiles(latencies, n=20)
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / "propagation.txt").write_text(
        f"{EDITS} edits on node A found on node B: p50 {statistics.median(latencies):.3f} s,"
        f" p95 {quantiles[18]:.3f} s, max {max(latencies):.3f} s\n"
    )


def test_a_killed_follower_carries_on_from_where_it_was(cluster, app_config):
    editor, node_b, index_b = cluster
    with follower(app_config, index_b) as process:
        publish(editor, word(100))
        wait_until_found(node_b, word(100))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    for number in range(101, 104):  # saved while B's follower is down
        publish(editor, word(number))
    assert not any(found_on(node_b, word(n)) for n in range(101, 104))
    with follower(app_config, index_b):
        for number in range(100, 104):
            wait_until_found(node_b, word(number))
    generation = (index_b / "current").resolve()
    assert int((generation / "changes.position").read_text()) == changelog.last_id()
