"""Link previews and search engines: descriptions, Open Graph, JSON-LD, sitemap and robots.txt.

The JSON-LD is parsed and checked against what the same page shows.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from lxml import etree
from lxml import html as lxml_html
from sqlalchemy import event

from archive import editorial
from archive.models import Story, db

from .conftest import DEMO_PAGES

MORE_PAGES = {
    **DEMO_PAGES,
    "campaigns": "/campagnes",
    "agenda": "/agenda",
    "event": "/agenda/webinar-signalen-in-de-klas",
    "search": "/zoeken?q=school",
}


def page_tree(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.get_data())


def json_ld(tree) -> list[dict]:
    return [json.loads(s.text) for s in tree.xpath("//script[@type='application/ld+json']")]


def meta(tree, name: str) -> str | None:
    found = tree.xpath(f"//meta[@name='{name}' or @property='{name}']/@content")
    return found[0] if found else None


@pytest.mark.parametrize("kind", sorted(MORE_PAGES))
def test_every_public_page_has_a_description_and_a_preview(client, demo, kind):
    tree = page_tree(client, MORE_PAGES[kind])
    description = meta(tree, "description")
    assert description and 50 <= len(description) <= 160, description
    assert meta(tree, "og:description") == description
    assert meta(tree, "og:title") == tree.findtext(".//title").split(" – ")[0]
    assert meta(tree, "og:locale") == "nl_NL"
    assert meta(tree, "og:image").startswith("http://localhost/afbeeldingen/")
    (canonical,) = tree.xpath("//link[@rel='canonical']/@href")
    assert canonical == meta(tree, "og:url")
    assert canonical == "http://localhost" + urlsplit(MORE_PAGES[kind]).path


def test_episode_structured_data_matches_the_page(client, demo):
    tree = page_tree(client, "/podcast/signalen-zien")
    (data,) = json_ld(tree)
    assert data["@context"] == "https://schema.org" and data["@type"] == "PodcastEpisode"
    assert data["name"] == tree.findtext(".//h1")
    assert data["url"] == "http://localhost/podcast/signalen-zien"
    audio = tree.xpath("//audio/@src")[0]
    media, transcript = data["associatedMedia"]
    assert media["@type"] == "AudioObject"
    assert media["contentUrl"] == "http://localhost" + audio
    assert meta(tree, "og:audio") == media["contentUrl"]
    assert media["encodingFormat"] == "audio/mpeg" == meta(tree, "og:audio:type")
    shown = tree.xpath("//p[@class='meta']/time/@datetime")
    assert media["duration"] in shown and data["timeRequired"] == media["duration"]
    # The transcript is linked (its text is on the page): the same cues as the page shows.
    assert transcript["encodingFormat"] == "text/vtt"
    vtt = client.get(urlsplit(transcript["contentUrl"]).path).get_data(as_text=True)
    first_cue = tree.xpath("//ol[@class='cues']/li/a")[0].tail.strip()
    assert first_cue in vtt
    series = data["partOfSeries"]
    assert series["@type"] == "PodcastSeries"
    assert series["webFeed"] == "http://localhost/podcast/feed.xml"
    assert data["datePublished"].startswith(tree.xpath("//p[@class='meta']/time/@datetime")[0])


def test_story_structured_data_names_the_storyteller_as_shown(client, demo):
    tree = page_tree(client, "/verhalen/de-juf-die-doorvroeg")
    (data,) = json_ld(tree)
    assert data["@type"] == "Article"
    assert data["headline"] == tree.findtext(".//h1") == "De juf die doorvroeg"
    assert data["author"] == {"@type": "Person", "name": "Juf Marieke (pseudoniem)"}
    assert "Juf Marieke (pseudoniem)" in tree.text_content()
    assert data["datePublished"].startswith("2021-11-15T08:00:00+01:00")
    assert meta(tree, "og:type") == "article"


def test_podcast_and_campaign_and_event_structured_data(client, demo):
    (series,) = json_ld(page_tree(client, "/podcast"))
    assert series["@type"] == "PodcastSeries" and series["inLanguage"] == "nl"
    (week,) = json_ld(page_tree(client, "/campagne/week-2021"))
    assert (week["@type"], week["startDate"], week["endDate"]) == (
        "Event",
        "2021-11-15",
        "2021-11-21",
    )
    assert week["location"]["name"] == "Landelijk"
    (webinar,) = json_ld(page_tree(client, "/agenda/webinar-signalen-in-de-klas"))
    assert webinar["location"] == {"@type": "VirtualLocation", "url": "https://example.org/webinar"}
    assert webinar["startDate"] == "2021-11-16T19:30:00+01:00"
    assert webinar["eventStatus"] == "https://schema.org/EventScheduled"
    (evening,) = json_ld(page_tree(client, "/agenda/avond-in-de-bibliotheek"))
    assert evening["eventStatus"] == "https://schema.org/EventCancelled"
    (launch,) = json_ld(page_tree(client, "/agenda/lancering-podcast"))
    assert (launch["startDate"], launch["endDate"]) == ("2021-11-15", "2021-11-15")


def test_a_hostile_title_cannot_break_out_of_the_json_ld(client, demo):
    story = db.session.query(Story).filter_by(slug="de-juf-die-doorvroeg").one()
    title = '</script><script>alert(1)</script>"'
    editorial.save("story", story.id, {"title": title}, editorial.COMMAND_LINE)
    raw = client.get("/verhalen/de-juf-die-doorvroeg").get_data(as_text=True)
    assert "<script>alert(1)" not in raw
    (data,) = json_ld(lxml_html.fromstring(raw))
    assert data["headline"] == title


def test_sitemap_lists_public_pages_only_with_lastmod(client, demo):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    tree = etree.fromstring(response.get_data())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = tree.xpath("//s:url/s:loc/text()", namespaces=ns)
    assert "http://localhost/verhalen/de-juf-die-doorvroeg" in urls
    assert "http://localhost/podcast/signalen-zien" in urls
    assert "http://localhost/agenda/webinar-signalen-in-de-klas" in urls
    assert "http://localhost/campagne/week-2022-voorbeeld" in urls
    assert "http://localhost/verhalen/voor-mijn-broertje" not in urls  # a draft
    assert not [url for url in urls if "/beheer" in url]
    assert len(urls) == len(set(urls))
    for url in urls:
        assert client.get(urlsplit(url).path).status_code == 200, url
    stamped = tree.xpath("//s:url[s:lastmod]", namespaces=ns)
    assert len(stamped) == len(urls) - 7  # all but the pages without an item


def test_robots_txt_keeps_crawlers_out_of_the_editors_area(client, demo):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines and "Disallow: /beheer" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines


def test_a_preview_never_quotes_a_text_behind_its_content_note(client, make_story):
    make_story(
        "met-waarschuwing",
        body="Hij sloeg ons elke avond.",
        content_note="Gaat over geweld thuis.",
        author_name="Sanne (pseudoniem)",
    )
    page = client.get("/verhalen/met-waarschuwing").get_data(as_text=True)
    head = page[: page.index("</head>")]
    assert "sloeg" not in head
    tree = lxml_html.fromstring(page)
    assert meta(tree, "description") == (
        "Een verhaal van Sanne (pseudoniem). Let op: Gaat over geweld thuis."
    )
    make_story("zonder-waarschuwing", body="Een gewone dag op school.", summary="")
    tree = page_tree(client, "/verhalen/zonder-waarschuwing")
    assert meta(tree, "description") == "Een gewone dag op school."


@pytest.mark.parametrize("kind", ["home", "podcast", "episode", "search"])
def test_a_page_reads_the_main_podcast_once(app, client, demo, kind):
    """Links, preview image and subscribe box all need the main show: one query, not one each."""
    statements: list[str] = []

    def remember(conn, cursor, statement, *rest):  # type: ignore[no-untyped-def]
        statements.append(statement)

    client.get(MORE_PAGES[kind])  # warm: templates, searchers
    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        assert client.get(MORE_PAGES[kind]).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    show_reads = [s for s in statements if "FROM shows ORDER BY shows.id" in " ".join(s.split())]
    assert len(show_reads) == 1, statements
