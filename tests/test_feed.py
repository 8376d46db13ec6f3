"""The podcast feed, read by real clients (podcastparser, feedparser) and checked with lxml."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import podcastparser
import pytest
from lxml import etree
from sqlalchemy import select

from archive import create_app, database
from archive.feed.build import fit_markdown, fit_text
from archive.feed.itunes import (
    DESCRIPTION_LIMIT_BYTES,
    ItunesEntryExtension,
    ItunesExtension,
    LimitedEntry,
    LimitedFeedGenerator,
)
from archive.models import Episode, Show, db, utcnow

FEED_URL = "/podcast/feed.xml"

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
}

#: Channel elements directories require (XPath below <channel>).
CHANNEL_REQUIRED = [
    "title",
    "link",
    "description",
    "language",
    "copyright",
    "atom:link[@rel='self']",
    "itunes:image",
    "itunes:category",
    "itunes:explicit",
    "itunes:author",
    "itunes:owner/itunes:name",
    "itunes:owner/itunes:email",
    "podcast:locked",
    "podcast:guid",
]

#: Item elements every episode carries (the demo episodes have all of them).
ITEM_REQUIRED = [
    "title",
    "description",
    "guid",
    "pubDate",
    "enclosure",
    "itunes:duration",
    "itunes:episode",
    "itunes:season",
    "itunes:episodeType",
    "itunes:explicit",
    "podcast:transcript[@type='text/vtt']",
    "podcast:transcript[@type='application/x-subrip']",
    "podcast:chapters",
    "podcast:season",
    "podcast:episode",
]

RFC_2822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"
)


def public_episodes() -> list[Episode]:
    query = select(Episode).where(Episode.public_clause()).order_by(Episode.published_at.desc())
    return list(db.session.scalars(query))


def fetch_feed(client) -> bytes:
    response = client.get(FEED_URL)
    assert response.status_code == 200
    assert response.mimetype == "application/rss+xml"
    return response.data


def parse_xml(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def media_size(app, episode: Episode) -> int:
    return (Path(app.config["MEDIA_DIR"]) / episode.audio_path).stat().st_size


def test_podcastparser_finds_every_public_episode_with_its_enclosure(app, client, demo):
    expected = public_episodes()
    assert len(expected) == 4  # the demo: three monologues and a conversation
    parsed = podcastparser.parse("http://localhost" + FEED_URL, io.BytesIO(fetch_feed(client)))
    assert [item["guid"] for item in parsed["episodes"]] == [e.guid for e in expected]
    for item, episode in zip(parsed["episodes"], expected, strict=True):
        assert item["title"] == episode.title
        assert item["total_time"] == round(episode.duration)
        [enclosure] = item["enclosures"]
        assert enclosure["url"] == f"http://localhost/media/{episode.audio_path}"
        assert enclosure["file_size"] == media_size(app, episode)
        assert enclosure["mime_type"] == episode.audio_mime == "audio/mpeg"
        assert item["season"] == episode.season
        assert item["number"] == episode.number
        assert item["explicit"] is False
    show = db.session.scalars(select(Show)).one()
    assert parsed["title"] == show.title
    assert parsed["language"] == "nl"
    assert parsed["cover_url"].endswith(".jpg")
    assert parsed["itunes_owner"] == {"name": show.owner_name, "email": show.owner_email}


def test_feedparser_reads_the_feed_without_error(app, client, demo):
    expected = public_episodes()
    parsed = feedparser.parse(fetch_feed(client))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert [entry.id for entry in parsed.entries] == [e.guid for e in expected]
    for entry, episode in zip(parsed.entries, expected, strict=True):
        assert entry.title == episode.title
        assert entry.guidislink is False
        [enclosure] = entry.enclosures
        assert enclosure.href == f"http://localhost/media/{episode.audio_path}"
        assert int(enclosure.length) == media_size(app, episode)
        assert enclosure.type == episode.audio_mime
        assert int(entry.itunes_duration) == round(episode.duration)
        assert entry.published_parsed is not None
    assert parsed.feed.link == "http://localhost/"


def test_feed_declares_namespaces_and_required_channel_elements(client, demo):
    root = parse_xml(fetch_feed(client))
    assert root.tag == "rss" and root.get("version") == "2.0"
    for prefix, uri in NS.items():
        assert root.nsmap[prefix] == uri
    channel = root.find("channel")
    for path in CHANNEL_REQUIRED:
        assert channel.find(path, NS) is not None, path
    show = db.session.scalars(select(Show)).one()
    assert channel.findtext("language") == "nl"
    assert channel.find("itunes:category", NS).get("text") == show.category
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    assert channel.find("itunes:image", NS).get("href").endswith(".jpg")
    assert channel.findtext("podcast:guid", namespaces=NS) == show.guid
    locked = channel.find("podcast:locked", NS)
    assert (locked.text, locked.get("owner")) == ("yes", show.owner_email)
    assert RFC_2822.match(channel.findtext("lastBuildDate"))


def test_channel_link_is_the_website_and_self_link_is_the_feed(client, demo):
    channel = parse_xml(fetch_feed(client)).find("channel")
    assert channel.findtext("link") == "http://localhost/"
    assert channel.find("atom:link[@rel='self']", NS).get("href") == "http://localhost" + FEED_URL


def test_every_item_has_required_elements_and_rfc2822_dates(client, demo):
    items = parse_xml(fetch_feed(client)).findall("channel/item")
    episodes = {e.guid: e for e in public_episodes()}
    assert len(items) == len(episodes)
    for item in items:
        for path in ITEM_REQUIRED:
            assert item.find(path, NS) is not None, path
        episode = episodes[item.findtext("guid")]
        assert item.find("guid").get("isPermaLink") == "false"
        assert RFC_2822.match(item.findtext("pubDate"))
        assert parsedate_to_datetime(item.findtext("pubDate")) == episode.published_at.replace(
            microsecond=0
        )
        assert item.findtext("itunes:explicit", namespaces=NS) in {"true", "false"}
        assert item.findtext("itunes:duration", namespaces=NS) == str(round(episode.duration))
        assert item.findtext("itunes:episodeType", namespaces=NS) == "full"
        assert item.findtext("podcast:season", namespaces=NS) == str(episode.season)
        assert item.findtext("podcast:episode", namespaces=NS) == str(episode.number)
        chapters = item.find("podcast:chapters", NS)
        assert chapters.get("type") == "application/json+chapters"
        assert chapters.get("url") == f"http://localhost/podcast/{episode.slug}/chapters.json"
        transcripts = {t.get("type"): t.get("url") for t in item.findall("podcast:transcript", NS)}
        assert transcripts == {
            "text/vtt": f"http://localhost/podcast/{episode.slug}/transcript.vtt",
            "application/x-subrip": f"http://localhost/podcast/{episode.slug}/transcript.srt",
            "application/json": f"http://localhost/podcast/{episode.slug}/transcript.json",
        }
        assert len(item.findtext("description").encode()) <= DESCRIPTION_LIMIT_BYTES


def test_items_are_newest_first(client, demo):
    items = parse_xml(fetch_feed(client)).findall("channel/item")
    dates = [parsedate_to_datetime(item.findtext("pubDate")) for item in items]
    assert dates == sorted(dates, reverse=True)


def test_show_notes_are_rendered_markdown(client, demo):
    episode = db.session.scalar(select(Episode).where(Episode.slug == "signalen-zien"))
    item = next(
        i for i in parse_xml(fetch_feed(client)).iter("item") if i.findtext("guid") == episode.guid
    )
    assert "<strong>meldcode</strong>" in item.findtext("description")
    assert "<li>" in item.findtext("content:encoded", namespaces=NS)


def test_explicit_show_and_episode_say_true(client, demo):
    show = db.session.scalars(select(Show)).one()
    show.explicit = True
    episode = public_episodes()[0]
    episode.explicit = True
    db.session.commit()
    channel = parse_xml(fetch_feed(client)).find("channel")
    assert channel.findtext("itunes:explicit", namespaces=NS) == "true"
    explicit = {
        item.findtext("guid"): item.findtext("itunes:explicit", namespaces=NS)
        for item in channel.findall("item")
    }
    assert explicit.pop(episode.guid) == "true"
    assert set(explicit.values()) == {"false"}


def test_draft_episode_is_not_in_feed(client, demo):
    episode = public_episodes()[0]
    episode.withdraw("test")
    db.session.commit()
    guids = [item.findtext("guid") for item in parse_xml(fetch_feed(client)).iter("item")]
    assert episode.guid not in guids
    assert len(guids) == 3  # of the demo's four


def test_scheduled_episode_appears_when_its_time_comes(client, demo):
    episode = public_episodes()[0]
    episode.publish(utcnow() + timedelta(days=1))
    db.session.commit()
    before = client.get(FEED_URL)
    assert episode.guid not in before.get_data(as_text=True)

    # The time comes: published_at passes without any other change to the row
    # (updated_at kept as it was, as when the clock simply moves on).
    went_public = utcnow() - timedelta(seconds=5)
    db.session.execute(
        Episode.__table__.update()
        .where(Episode.id == episode.id)
        .values(published_at=went_public, updated_at=episode.updated_at)
    )
    db.session.commit()
    db.session.expire_all()

    after = client.get(FEED_URL, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert episode.guid in after.get_data(as_text=True)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.last_modified >= went_public.replace(microsecond=0)


def test_long_show_notes_are_cut_to_whole_blocks_within_the_limit(client, demo):
    episode = public_episodes()[0]
    paragraph = "Dit is een alinea met een **vet** woord en een [link](https://example.org). "
    episode.show_notes = "\n\n".join(f"{number}. {paragraph * 3}" for number in range(200))
    db.session.commit()
    item = next(
        i for i in parse_xml(fetch_feed(client)).iter("item") if i.findtext("guid") == episode.guid
    )
    description = item.findtext("description")
    assert len(description.encode()) <= DESCRIPTION_LIMIT_BYTES
    assert len(item.findtext("content:encoded", namespaces=NS).encode()) <= DESCRIPTION_LIMIT_BYTES
    assert "<strong>vet</strong>" in description
    assert f'href="http://localhost/podcast/{episode.slug}"' in description
    etree.fromstring(f"<div>{description}</div>")  # still well-formed HTML


def test_one_huge_paragraph_falls_back_to_shortened_text():
    source = "Woord & nog een <woord> " * 1000
    html = fit_markdown(source, "https://example.org/podcast/x")
    assert len(html.encode()) <= DESCRIPTION_LIMIT_BYTES
    assert html.startswith("<p>Woord &amp; nog een &lt;woord&gt;")
    etree.fromstring(f"<div>{html}</div>")


@pytest.mark.parametrize(
    ("text", "limit"),
    [("kort", 4000), ("ë" * 5000, 4000), ("a b " * 3000, 100), ("x" * 50, 10)],
)
def test_fit_text_stays_within_the_byte_limit(text, limit):
    fitted = fit_text(text, limit)
    assert len(fitted.encode()) <= limit
    assert fitted == text or fitted.endswith("…")


def test_long_show_description_fits_the_channel_limit(client, demo):
    show = db.session.scalars(select(Show)).one()
    show.description = "Een lange beschrijving van de podcast. " * 300
    db.session.commit()
    channel = parse_xml(fetch_feed(client)).find("channel")
    assert len(channel.findtext("description").encode()) <= DESCRIPTION_LIMIT_BYTES


@pytest.mark.parametrize("base", ["https://podcast.example.org", "https://example.org/archief"])
def test_absolute_urls_use_the_configured_base_url(app_config, base):
    app = create_app({**app_config, "BASE_URL": base + "/"})
    with app.app_context():
        database.upgrade()
        assert app.test_cli_runner().invoke(args=["load-demo"]).exit_code == 0
        # Asked over plain http at the root: the feed's URLs still follow the base URL.
        asked = f"http://{urlsplit(base).hostname}"
        channel = parse_xml(app.test_client().get(FEED_URL, base_url=asked).data).find("channel")
        db.engine.dispose()
    assert channel.findtext("link") == base + "/"
    assert channel.find("atom:link[@rel='self']", NS).get("href") == base + FEED_URL
    enclosures = [e.get("url") for e in channel.iter("enclosure")]
    assert enclosures and all(url.startswith(base + "/media/") for url in enclosures)
    assert channel.find("itunes:image", NS).get("href").startswith(base + "/afbeeldingen/")


def test_absolute_urls_follow_the_reverse_proxy_when_proxy_fix_is_on(app_config):
    app = create_app({**app_config, "PROXY_FIX": 1})
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "archief.example.nl"}
    with app.app_context():
        database.upgrade()
        assert app.test_cli_runner().invoke(args=["load-demo"]).exit_code == 0
        channel = parse_xml(app.test_client().get(FEED_URL, headers=headers).data).find("channel")
        db.engine.dispose()
    self_link = channel.find("atom:link[@rel='self']", NS).get("href")
    assert self_link == "https://archief.example.nl" + FEED_URL
    assert all(
        e.get("url").startswith("https://archief.example.nl/media/")
        for e in channel.iter("enclosure")
    )


def test_each_show_has_its_own_feed(client, demo):
    other = Show(slug="tweede", title="Tweede podcast", author="Redactie")
    db.session.add(other)
    episode = public_episodes()[0]
    episode.show = other
    db.session.commit()
    first = parse_xml(fetch_feed(client)).find("channel")
    second_response = client.get("/podcast/tweede/feed.xml")
    assert second_response.status_code == 200
    second = parse_xml(second_response.data).find("channel")
    assert second.findtext("title") == "Tweede podcast"
    assert [i.findtext("guid") for i in second.iter("item")] == [episode.guid]
    assert episode.guid not in [i.findtext("guid") for i in first.iter("item")]
    self_link = second.find("atom:link[@rel='self']", NS).get("href")
    assert self_link == "http://localhost/podcast/tweede/feed.xml"
    assert client.get("/podcast/bestaat-niet/feed.xml").status_code == 404


def test_feed_without_a_show_is_not_found(client, ctx):
    assert client.get(FEED_URL).status_code == 404


# The feedgen extensions on their own.


def new_generator() -> LimitedFeedGenerator:
    generator = LimitedFeedGenerator()
    generator.register_extension("itunes", ItunesExtension, ItunesEntryExtension)
    generator.title("T")
    generator.description("D")
    return generator


def test_website_stays_the_channel_link_whatever_order_links_come_in():
    generator = new_generator()
    generator.website("https://example.org/")
    generator.link(href="https://example.org/feed.xml", rel="self")
    channel = etree.fromstring(generator.rss_str()).find("channel")
    assert channel.findtext("link") == "https://example.org/"
    assert channel.find("atom:link", NS).get("href") == "https://example.org/feed.xml"


@pytest.mark.parametrize("url", ["https://example.org/a.gif", "https://example.org/a.jpeg", "x"])
def test_artwork_url_must_end_in_jpg_or_png(url):
    with pytest.raises(ValueError, match=r"\.jpg or \.png"):
        new_generator().itunes.itunes_image(url)


def test_descriptions_over_the_limit_are_refused():
    too_long = "x" * (DESCRIPTION_LIMIT_BYTES + 1)
    with pytest.raises(ValueError, match="limit"):
        new_generator().description(too_long)
    with pytest.raises(ValueError, match="limit"):
        LimitedEntry().description(too_long)


def test_naive_dates_are_refused():
    with pytest.raises(ValueError, match="timezone"):
        new_generator().lastBuildDate(datetime(2021, 11, 15))
    entry = LimitedEntry()
    with pytest.raises(ValueError, match="timezone"):
        entry.published(datetime(2021, 11, 15))
    entry.published(datetime(2021, 11, 15, tzinfo=UTC))
