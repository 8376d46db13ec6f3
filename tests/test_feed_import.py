"""``flask import-feed``: podcasts made by other tools, served from 127.0.0.1 by the test."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import FIXTURES
from feedgen.feed import FeedGenerator
from sqlalchemy import select

from archive.importing.podcast_feed import html_to_markdown
from archive.models import Episode, Show, db

AUDIO = FIXTURES / "audio"
#: Feeds as other tools write them; ``BASE`` stands for the test server's address.
FEEDS = FIXTURES / "feeds"
ARTWORK = Path(__file__).resolve().parents[1] / "archive" / "demo" / "artwork.jpg"
CHAPTERS_JSON = (
    '{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Begin"},'
    ' {"startTime": 1.5, "title": "Verder", "url": "https://example.org/"}]}'
)
SRT = "1\n00:00:00,500 --> 00:00:02,000\nWelkom bij de aflevering.\n"


class Site(SimpleHTTPRequestHandler):
    """Files from the site folder, and ``/hop/N/name``: N redirects before ``/name``."""

    def do_GET(self) -> None:
        if self.path.startswith("/hop/"):
            _, _, hops, name = self.path.split("/", 3)
            target = f"/hop/{int(hops) - 1}/{name}" if int(hops) > 1 else f"/{name}"
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A web server on 127.0.0.1 for the folder it yields, with its base URL."""
    folder = tmp_path / "site"
    folder.mkdir()
    for name in ("id3v24.mp3", "cbr.mp3", "id3v23.mp3", "vorbis.ogg", "text.mp3"):
        shutil.copy(AUDIO / name, folder / name)
    shutil.copy(ARTWORK, folder / "cover.jpg")
    (folder / "hoofdstukken.json").write_text(CHAPTERS_JSON, encoding="utf-8")
    (folder / "transcript.srt").write_text(SRT, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: Site(*a, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", folder
    finally:
        server.shutdown()
        server.server_close()


def feedgen_feed(base: str) -> bytes:
    generator = FeedGenerator()
    generator.load_extension("podcast")
    generator.title("Uit feedgen")
    generator.link(href=f"{base}/", rel="alternate")
    generator.description("Een podcast gemaakt met <b>feedgen</b>.")
    generator.language("nl")
    generator.podcast.itunes_author("Redactie Elders")
    generator.podcast.itunes_category("Society & Culture", "Documentary")
    generator.podcast.itunes_image(f"{base}/cover.jpg")
    generator.podcast.itunes_explicit("no")
    for number, (name, day) in enumerate((("id3v24.mp3", 3), ("cbr.mp3", 10)), start=1):
        entry = generator.add_entry(order="append")
        entry.id(f"feedgen-guid-{number}")
        entry.guid(f"feedgen-guid-{number}", permalink=False)
        entry.title(f"Feedgen aflevering {number}")
        entry.description(f"<p>Shownotes <a href='https://example.org/{number}'>link</a>.</p>")
        entry.published(datetime(2024, 5, day, 9, 0, tzinfo=UTC))
        url = f"{base}/hop/2/{name}" if number == 2 else f"{base}/{name}"
        entry.enclosure(url, str((AUDIO / name).stat().st_size), "audio/mpeg")
        entry.podcast.itunes_season(1)
        entry.podcast.itunes_episode(number)
        entry.podcast.itunes_episode_type("bonus" if number == 2 else "full")
    return generator.rss_str(pretty=True)


PODLOVE = (FEEDS / "podlove.xml").read_text(encoding="utf-8")

ITUNES_ONLY = (FEEDS / "itunes-only.xml").read_text(encoding="utf-8")

BAD_ENCLOSURES = (FEEDS / "bad-enclosures.xml").read_text(encoding="utf-8")


def publish(folder: Path, name: str, base: str, text: str | bytes) -> str:
    data = text if isinstance(text, bytes) else text.replace("BASE", base).encode("utf-8")
    (folder / name).write_bytes(data)
    return f"{base}/{name}"


def episode(guid: str) -> Episode:
    db.session.expire_all()
    return db.session.scalars(select(Episode).where(Episode.guid == guid)).one()


def test_import_feedgen_feed_keeps_guids_dates_and_show_then_adds_nothing_twice(
    runner, ctx, site, client
):
    base, folder = site
    url = publish(folder, "feedgen.xml", base, feedgen_feed(base))
    first = runner.invoke(args=["import-feed", url])
    print(first.output)
    assert first.exit_code == 0, first.output
    assert "nieuwe podcast: Uit feedgen" in first.output
    assert "2 nieuw, 0 ongewijzigd, 0 geweigerd." in first.output
    show = db.session.scalars(select(Show)).one()
    assert (show.author, show.category, show.subcategory) == (
        "Redactie Elders",
        "Society & Culture",
        "Documentary",
    )
    assert show.old_feed_url == url and show.artwork_path
    second = episode("feedgen-guid-2")
    assert second.published_at == datetime(2024, 5, 10, 9, 0, tzinfo=UTC)
    assert (second.season, second.number, second.episode_type) == (1, 2, "bonus")
    assert second.is_public and second.audio_sha256
    assert "[link](https://example.org/2)" in second.show_notes
    again = runner.invoke(args=["import-feed", url])
    print(again.output)
    assert again.exit_code == 0
    assert "0 nieuw, 2 ongewijzigd, 0 geweigerd." in again.output
    ours = client.get("/podcast/feed.xml").data.decode()
    assert ">feedgen-guid-1</guid>" in ours and ">feedgen-guid-2</guid>" in ours


def test_import_podlove_feed_keeps_chapters_transcript_art_and_podcast_guid(runner, ctx, site):
    base, folder = site
    url = publish(folder, "podlove.xml", base, PODLOVE)
    result = runner.invoke(args=["import-feed", url])
    print(result.output)
    assert result.exit_code == 0, result.output
    show = db.session.scalars(select(Show)).one()
    assert show.guid == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    assert (show.language, show.category) == ("nl-NL", "Education")
    podlove = episode(
        "https://oude-host.example.org/afleveringen/met-podlove-hoofdstukken-en-een-heel-lange-guid"
    )
    assert [c["title"] for c in podlove.chapters] == ["Intro", "Kern"]
    assert podlove.chapters[1] == {
        "start": 1.25,
        "title": "Kern",
        "url": "https://example.org/kern",
    }
    assert "00:00:00.500 --> 00:00:02.000" in podlove.transcript_vtt
    assert podlove.explicit and podlove.artwork_path
    assert "alert" not in podlove.show_notes and "- punt" in podlove.show_notes
    json_chapters = episode("podlove-2")
    assert [c["start"] for c in json_chapters.chapters] == [0.0, 1.5]
    assert json_chapters.audio_mime == "audio/ogg"


def test_import_feed_with_only_itunes_tags(runner, ctx, site):
    base, folder = site
    url = publish(folder, "itunes.xml", base, ITUNES_ONLY)
    result = runner.invoke(args=["import-feed", url])
    print(result.output)
    assert result.exit_code == 0, result.output
    show = db.session.scalars(select(Show)).one()
    assert show.description == "Beschrijving uit itunes:summary."
    assert (show.owner_name, show.owner_email) == ("Eigenaar", "eigenaar@example.org")
    item = episode("itunes-1")
    assert item.summary == "Ondertitel"
    assert item.show_notes == "Samenvatting uit itunes:summary."
    assert item.episode_type == "trailer"
    assert item.published_at == datetime(2024, 1, 1, 11, 0, tzinfo=UTC)


def test_import_feed_reports_each_bad_enclosure_and_imports_the_rest(runner, app, ctx, site):
    base, folder = site
    url = publish(folder, "kapot.xml", base, BAD_ENCLOSURES)
    result = runner.invoke(args=["import-feed", url])
    print(result.output)
    assert result.exit_code == 1
    assert "1 nieuw, 0 ongewijzigd, 4 geweigerd." in result.output
    lines = {line.split(" [")[0]: line for line in result.output.splitlines() if " [" in line}
    assert "GEWEIGERD: Tekst als mp3" in lines
    assert "404" in lines["GEWEIGERD: Bestaat niet"]
    assert "doorverwijzingen" in lines["GEWEIGERD: Te veel doorverwijzingen"]
    assert "geen http(s)-adres" in lines["GEWEIGERD: Geen http"]
    assert episode("good-1").audio_path
    media = Path(app.config["MEDIA_DIR"])
    assert sorted(p.name for p in media.iterdir() if p.name.startswith(".upload-")) == []


def test_import_feed_from_a_saved_file_and_an_unreadable_source(runner, ctx, site, tmp_path):
    base, _ = site
    saved = tmp_path / "opgeslagen.xml"
    saved.write_text(ITUNES_ONLY.replace("BASE", base), encoding="utf-8")
    assert runner.invoke(args=["import-feed", str(saved)]).exit_code == 0
    assert episode("itunes-1").audio_path
    missing = runner.invoke(args=["import-feed", f"{base}/bestaat-niet.xml"])
    assert missing.exit_code == 1 and "404" in missing.output
    garbage = runner.invoke(args=["import-feed", str(AUDIO / "cbr.mp3")])
    assert garbage.exit_code == 1 and "geen leesbare podcastfeed" in garbage.output


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<p>Een <b>vet</b> woord.</p><p>Tweede.</p>", "Een **vet** woord.\n\nTweede."),
        ('<a href="javascript:alert(1)">klik</a>', "[klik]"),
        ("<ul><li>een</li><li>twee</li></ul>", "- een\n- twee"),
        ("Gewoon &amp; tekst", "Gewoon & tekst"),
    ],
)
def test_show_notes_html_becomes_sanitised_markdown(html, markdown):
    assert html_to_markdown(html) == markdown
