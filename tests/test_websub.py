"""WebSub: feeds declare the hub, and ``flask publish-due`` notifies a hub stand-in on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from lxml import etree

from archive import editorial
from archive.models import utcnow

BASE_URL = "https://verhalen.example.nl"
PODCAST_FEED = f"{BASE_URL}/podcast/feed.xml"
STORIES_FEED = f"{BASE_URL}/verhalen/feed.xml"


class Hub:
    """Records every notification; answers 503 to the first ``failures`` of them."""

    def __init__(self) -> None:
        self.received: list[dict[str, list[str]]] = []
        self.failures = 0
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                failing = hub.failures > 0
                hub.failures -= failing
                hub.received.append(form)
                self.send_response(503 if failing else 204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hub"

    def urls(self) -> list[str]:
        urls = [form["hub.url"][0] for form in self.received]
        assert all(form["hub.mode"] == ["publish"] for form in self.received)
        self.received.clear()
        return sorted(urls)


@pytest.fixture
def hub() -> Iterator[Hub]:
    stand_in = Hub()
    thread = threading.Thread(target=stand_in.server.serve_forever, daemon=True)
    thread.start()
    yield stand_in
    stand_in.server.shutdown()
    stand_in.server.server_close()


@pytest.fixture
def app_config(app_config: dict, hub: Hub) -> dict:
    return {**app_config, "WEBSUB_HUB": hub.url, "BASE_URL": BASE_URL}


def test_both_feeds_declare_the_hub_and_themselves(client, demo, hub):
    podcast = etree.fromstring(client.get("/podcast/feed.xml", base_url=BASE_URL).data)
    links = {
        link.get("rel"): link.get("href")
        for link in podcast.iterfind("channel/{http://www.w3.org/2005/Atom}link")
    }
    assert links == {"hub": hub.url, "self": PODCAST_FEED}
    stories = etree.fromstring(client.get("/verhalen/feed.xml", base_url=BASE_URL).data)
    links = {
        link.get("rel"): link.get("href")
        for link in stories.iterfind("{http://www.w3.org/2005/Atom}link")
    }
    assert links["hub"] == hub.url and links["self"] == STORIES_FEED


def test_publish_due_notifies_each_changed_feed_once_and_then_nothing(runner, demo, hub):
    first = runner.invoke(args=["publish-due"])
    assert first.exit_code == 0, first.output
    assert hub.urls() == [PODCAST_FEED, STORIES_FEED]
    again = runner.invoke(args=["publish-due"])
    assert "Nothing due." in again.output
    assert hub.urls() == []


def test_a_scheduled_publication_is_notified_when_its_moment_comes(runner, demo, hub, ctx):
    assert runner.invoke(args=["publish-due"]).exit_code == 0
    hub.urls()
    moment = utcnow() + timedelta(seconds=2)
    story = editorial.save(
        "story", None, {"title": "Ingepland", "body": "Tekst."}, editorial.COMMAND_LINE
    )
    editorial.publish("story", story.id, editorial.COMMAND_LINE, at=moment)
    assert runner.invoke(args=["publish-due"]).exit_code == 0
    assert hub.urls() == [STORIES_FEED]  # the scheduling itself is a change
    assert "Nothing due." in runner.invoke(args=["publish-due"]).output
    time.sleep(max(0.0, (moment - utcnow()).total_seconds()) + 0.1)
    assert runner.invoke(args=["publish-due"]).exit_code == 0
    assert hub.urls() == [STORIES_FEED]  # the moment came
    assert "Nothing due." in runner.invoke(args=["publish-due"]).output


def test_publish_due_retries_with_backoff_and_keeps_what_failed_for_the_next_run(runner, demo, hub):
    hub.failures = 2
    retried = runner.invoke(args=["publish-due"])
    assert retried.exit_code == 0, retried.output
    assert len(hub.received) == 4  # two failures, then each feed once
    hub.urls()
    editorial.save(
        "story", None, {"title": "Nieuw", "body": "Tekst."}, editorial.COMMAND_LINE,
        publication=editorial.NOW,
    )  # fmt: skip
    hub.failures = 10
    down = runner.invoke(args=["publish-due"])
    assert down.exit_code == 1
    assert "503" in down.output and "the next run tries again" in down.output
    hub.received.clear()
    hub.failures = 0
    assert runner.invoke(args=["publish-due"]).exit_code == 0
    assert hub.urls() == [STORIES_FEED]


def test_publish_due_without_a_hub_does_nothing(app, runner, ctx):
    app.config["WEBSUB_HUB"] = None
    result = runner.invoke(args=["publish-due"])
    assert result.exit_code == 0
    assert "not set" in result.output
