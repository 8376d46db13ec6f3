"""The embeddable player, oEmbed and sharing a moment (test client; the browser tests play it)."""

from __future__ import annotations

from urllib.parse import quote

from lxml import html as lxml_html

from archive import editorial
from archive.models import Episode, db

EPISODE = "http://localhost/podcast/signalen-zien"


def test_only_the_embed_page_may_be_framed(client, demo):
    embed = client.get("/podcast/signalen-zien/insluiten")
    assert embed.status_code == 200
    policy = embed.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in policy and "script-src 'self'" in policy
    assert "X-Frame-Options" not in embed.headers
    assert "Set-Cookie" not in embed.headers
    for url in ("/podcast/signalen-zien", "/", "/oembed?url=" + quote(EPISODE)):
        response = client.get(url)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url
        assert response.headers["X-Frame-Options"] == "DENY", url


def test_the_embed_page_has_player_chapters_transcript_help_and_a_way_back(client, demo):
    tree = lxml_html.fromstring(client.get("/podcast/signalen-zien/insluiten").get_data())
    assert tree.xpath("//audio[@controls]/@src")[0].startswith("/media/")
    assert tree.xpath("//details/summary[text()='Transcript']")
    assert tree.xpath("//details[@class='embed-transcript']//ol[@class='cues']/li")
    text = tree.text_content()
    assert "0800-2000" in text and "0800-0432" in text
    assert tree.xpath(f"//a[@href='{EPISODE}' and @target='_blank']")
    assert not tree.xpath("//script[not(@src)] | //iframe | //*[@style]")


def test_unpublished_episodes_have_no_embed(client, demo):
    episode = db.session.query(Episode).filter_by(slug="signalen-zien").one()
    editorial.withdraw("episode", episode.id, "test", editorial.COMMAND_LINE)
    assert client.get("/podcast/signalen-zien/insluiten").status_code == 404
    assert client.get("/oembed?url=" + quote(EPISODE)).status_code == 404


def test_oembed_answers_for_an_episode_address(client, demo):
    response = client.get("/oembed?format=json&url=" + quote(EPISODE))
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data = response.get_json()
    assert (data["version"], data["type"]) == ("1.0", "rich")
    assert data["title"] == "Signalen zien in de klas"
    frame = lxml_html.fromstring(data["html"])
    assert frame.tag == "iframe"
    assert frame.get("src") == EPISODE + "/insluiten"
    assert (int(frame.get("width")), int(frame.get("height"))) == (data["width"], data["height"])
    assert frame.get("title") == "Podcast: Signalen zien in de klas"
    assert data["thumbnail_url"].startswith("http://localhost/afbeeldingen/")
    small = client.get(f"/oembed?url={quote(EPISODE)}&maxwidth=300&maxheight=99999").get_json()
    assert (small["width"], small["height"]) == (300, 360)
    # The player's own address works too.
    assert client.get("/oembed?url=" + quote(EPISODE + "/insluiten")).status_code == 200


def test_oembed_refuses_what_is_not_an_episode_of_this_site(client, demo):
    for url in (
        "http://localhost/verhalen/de-juf-die-doorvroeg",
        "http://elders.example/podcast/signalen-zien",
        "javascript:alert(1)",
        "",
        "http://localhost/podcast/bestaat-niet",
    ):
        assert client.get("/oembed?url=" + quote(url)).status_code == 404, url
    assert client.get("/oembed?format=xml&url=" + quote(EPISODE)).status_code == 501
    assert client.get("/oembed?maxwidth=abc&url=" + quote(EPISODE)).status_code == 200


def test_the_episode_page_offers_embed_code_and_oembed_discovery(client, demo):
    tree = lxml_html.fromstring(client.get("/podcast/signalen-zien").get_data())
    (code,) = tree.xpath("//textarea[@id='insluit-code']/text()")
    frame = lxml_html.fromstring(code)
    assert frame.get("src") == EPISODE + "/insluiten"
    (discovery,) = tree.xpath("//link[@type='application/json+oembed']/@href")
    assert client.get(discovery).get_json()["type"] == "rich"
    assert tree.xpath("//section[@data-moment]//button[@data-share-moment]")
