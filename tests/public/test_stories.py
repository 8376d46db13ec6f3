"""Stories: the filtered, paginated list and the story page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from lxml import html as lxml_html

from archive.editorial import tags_named
from archive.models import Campaign, db, utcnow
from archive.views.public import queries

HOSTILE_MARKDOWN = """\
<script>alert("script")</script>

<img src="x" onerror="alert('img')">

[klik](javascript:alert('link'))

[ook klik](JaVaScRiPt:alert('upper'))

<a href="https://example.org" onclick="alert('a')">html-link</a>

<iframe src="https://example.org"></iframe>

![plaatje](https://tracker.example/pixel.png)

[Veilig Thuis](https://veiligthuis.nl)
"""


def titles(page: str) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a href="[^"]+">([^<]+)</a>', page)


def test_list_shows_only_public_stories(client, make_story):
    make_story("openbaar", title="Openbaar")
    make_story("concept", title="Concept", state="draft")
    make_story("gepland", title="Gepland", state="scheduled")
    page = client.get("/verhalen").get_data(as_text=True)
    assert titles(page) == ["Openbaar"]
    assert "1 verhaal" in page


def test_list_filters_by_perspective_tag_and_campaign(client, make_story, ctx):
    week = Campaign(slug="week-x", name="Week X", year=2030, starts_on=_d(1), ends_on=_d(7))
    db.session.add(week)
    make_story("ouder", title="Ouder", perspective="parent", tags=tags_named(["School"]))
    make_story("kind", title="Kind", perspective="child", campaign=week)
    make_story("leraar", title="Leraar", perspective="teacher", tags=tags_named(["school"]))
    assert titles(client.get("/verhalen?perspectief=parent").get_data(as_text=True)) == ["Ouder"]
    by_tag = titles(client.get("/verhalen?onderwerp=school").get_data(as_text=True))
    assert sorted(by_tag) == ["Leraar", "Ouder"]
    assert titles(client.get("/verhalen?campagne=week-x").get_data(as_text=True)) == ["Kind"]
    both = "/verhalen?onderwerp=school&perspectief=teacher"
    assert titles(client.get(both).get_data(as_text=True)) == ["Leraar"]
    # An unknown perspective is ignored rather than an error.
    assert len(titles(client.get("/verhalen?perspectief=onzin").get_data(as_text=True))) == 3


def test_filter_form_is_labelled_and_keeps_the_choice(client, make_story):
    make_story("ouder", title="Ouder", perspective="parent")
    page = client.get("/verhalen?perspectief=parent").get_data(as_text=True)
    for field in ("perspectief", "onderwerp", "campagne"):
        assert f'<label for="f-{field}">' in page and f'id="f-{field}" name="{field}"' in page
    assert '<option value="parent" selected>Ouder</option>' in page
    assert "Alle filters wissen" in page


def test_list_is_paginated_and_pages_keep_the_filters(client, make_story):
    for number in range(queries.PER_PAGE + 3):
        make_story(f"verhaal-{number:02d}", title=f"Verhaal {number:02d}", perspective="parent")
    first = client.get("/verhalen?perspectief=parent").get_data(as_text=True)
    assert len(titles(first)) == queries.PER_PAGE
    assert "Pagina 1 van 2" in first
    assert 'href="/verhalen?pagina=2&amp;perspectief=parent" rel="next"' in first
    assert 'aria-current="page"' in first
    second = client.get("/verhalen?pagina=2&perspectief=parent").get_data(as_text=True)
    assert len(titles(second)) == 3
    assert not set(titles(first)) & set(titles(second))
    assert client.get("/verhalen?pagina=9").status_code == 404


def test_stories_published_at_the_same_moment_are_each_on_one_page(client, make_story):
    moment = utcnow() - timedelta(hours=1)
    for number in range(queries.PER_PAGE + 3):
        make_story(f"tegelijk-{number:02d}", title=f"Tegelijk {number:02d}").published_at = moment
    db.session.commit()
    first = titles(client.get("/verhalen").get_data(as_text=True))
    second = titles(client.get("/verhalen?pagina=2").get_data(as_text=True))
    assert first + second == [f"Tegelijk {n:02d}" for n in reversed(range(queries.PER_PAGE + 3))]


@pytest.mark.parametrize("list_url", ["/verhalen", "/podcast"])
@pytest.mark.parametrize("page", ["99999999999", "9" * 25])
def test_page_far_beyond_the_list_is_404(client, ctx, list_url, page):
    assert client.get(f"{list_url}?pagina={page}").status_code == 404


def test_story_page_shows_content_note_before_the_text(client, make_story):
    make_story(
        "met-waarschuwing",
        title="Met waarschuwing",
        body="Het begin van het verhaal.",
        content_note="Gaat over geweld thuis.",
        perspective="survivor",
        reading_minutes=4,
        author_name="Sanne (pseudoniem)",
    )
    page = client.get("/verhalen/met-waarschuwing").get_data(as_text=True)
    assert page.index("Gaat over geweld thuis.") < page.index("Het begin van het verhaal.")
    assert "Ervaringsdeskundige" in page
    assert "Leestijd 4 minuten" in page
    assert "Sanne (pseudoniem)" in page
    assert "<h1>Met waarschuwing</h1>" in page


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_non_public_story_is_404(client, make_story, state):
    make_story("niet-openbaar", state=state)
    assert client.get("/verhalen/niet-openbaar").status_code == 404


def test_unknown_story_is_404(client, ctx):
    assert client.get("/verhalen/bestaat-niet").status_code == 404


def test_hostile_markdown_is_rendered_harmless(client, make_story):
    make_story("vijandig", title="Vijandig", body=HOSTILE_MARKDOWN)
    page = client.get("/verhalen/vijandig").get_data(as_text=True)
    body = lxml_html.fromstring(page).xpath('//div[@class="prose"]')[0]
    assert not body.xpath(".//script | .//iframe | .//img | .//style")
    for element in body.iter():
        assert not [name for name in element.attrib if name.lower().startswith("on")]
    hrefs = body.xpath(".//a/@href")
    assert hrefs == ["https://veiligthuis.nl"]
    assert body.xpath(".//a/@rel") == ["noopener noreferrer"]
    assert "javascript:" not in "".join(hrefs).lower()


def test_related_stories_and_episodes_by_link_and_shared_tags(
    client, make_story, make_episode, ctx
):
    linked = make_episode("gekoppeld", title="Gekoppelde aflevering")
    make_episode("concept-aflevering", title="Concept aflevering", state="draft")
    make_story("buur", title="Buurverhaal", tags=tags_named(["school"]))
    make_story("los", title="Los verhaal", tags=tags_named(["sport"]))
    story = make_story("hoofd", title="Hoofdverhaal", tags=tags_named(["school"]))
    story.related_episodes = [linked, db.session.scalars(_episode("concept-aflevering")).one()]
    db.session.commit()
    page = client.get("/verhalen/hoofd").get_data(as_text=True)
    assert "Luister ook" in page and "Gekoppelde aflevering" in page
    assert "Concept aflevering" not in page
    assert "Lees ook" in page and "Buurverhaal" in page
    assert "Los verhaal" not in page
    assert 'href="/verhalen/hoofd"' not in page  # the story itself is not "related"


def test_linked_episodes_are_listed_newest_first_whatever_the_link_order(
    client, make_story, make_episode, ctx
):
    older = make_episode("eerder", title="Eerdere aflevering")
    newer = make_episode("later", title="Latere aflevering")
    older.published_at = utcnow() - timedelta(days=2)
    story = make_story("met-links")
    story.related_episodes = [older, newer]
    db.session.commit()
    page = client.get("/verhalen/met-links").get_data(as_text=True)
    assert page.index("Latere aflevering") < page.index("Eerdere aflevering")


def test_story_page_offers_back_to_top(client, make_story):
    make_story("kort")
    assert 'href="#boven">Naar boven</a>' in client.get("/verhalen/kort").get_data(as_text=True)


def test_editor_preview_renders_a_draft_with_a_banner(app, make_story):
    from archive.views.public import render_story

    story = make_story("geheim", title="Geheim concept", state="draft")
    with app.test_request_context("/beheer/verhalen/1/voorbeeld"):
        page = render_story(story, preview=True)
    assert "Voorbeeld (niet openbaar)" in page and "Geheim concept" in page
    with app.test_request_context("/"):
        assert "Voorbeeld (niet openbaar)" not in render_story(story)


def _d(day: int):
    from datetime import date

    return date(2030, 11, day)


def _episode(slug: str):
    from sqlalchemy import select

    from archive.models import Episode

    return select(Episode).where(Episode.slug == slug)
