"""The editors' home, per-item numbers, CSV downloads and ``flask stats``."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import lxml.html
import pytest
from sqlalchemy import select

from archive.models import Story, db, utcnow

from .conftest import ANTENNAPOD, APPLE, DAY_ONE, FIREFOX, flush


@pytest.fixture
def listened(app, visitor, episode, audio_url):  # type: ignore[no-untyped-def]
    """Three listeners (two apps), one reader of a story, on DAY_ONE."""
    for address, agent in (
        ("192.0.2.1", ANTENNAPOD),
        ("192.0.2.2", ANTENNAPOD),
        ("192.0.2.3", APPLE),
    ):
        visitor(address, agent).get(audio_url)
    story = db.session.scalars(select(Story).where(Story.public_clause()).limit(1)).one()
    visitor("192.0.2.4", FIREFOX).get(f"/verhalen/{story.slug}")
    flush(app)
    return story


def test_editors_home_shows_totals_chart_and_tables(editor_client, episode, listened):
    page = editor_client.get("/beheer/")
    assert page.status_code == 200
    tree = lxml.html.fromstring(page.get_data(as_text=True))
    totals = dict(
        zip(
            tree.xpath("//dl[@class='totals']//dt/text()"),
            tree.xpath("//dl[@class='totals']//dd/text()"),
            strict=True,
        )
    )
    assert totals["Downloads"] == "3"
    assert totals["Gelezen verhalen"] == "1"
    svg = tree.xpath("//svg[@role='img']")[0]
    assert svg.xpath("./title/text()") == ["Downloads per dag"]
    assert "totaal 3" in svg.xpath("./desc/text()")[0]
    assert len(svg.xpath("./rect")) == 30
    apps = tree.xpath("//h3[@id='apps']/following-sibling::table[1]//tbody//td/text()")
    assert apps == ["AntennaPod", "2", "Apple Podcasts", "1"]
    assert episode.title in tree.xpath(
        "//h3[@id='top-download']/following-sibling::table[1]//td/text()"
    )


def test_editors_home_lists_what_needs_attention(editor_client, make_story, demo):
    make_story("nog-een-concept", state="draft", title="Nog een concept")
    make_story("straks", state="scheduled", title="Straks online")
    make_story(
        "embargo", state="draft", title="Onder embargo", embargo_until=utcnow() + timedelta(days=3)
    )
    page = editor_client.get("/beheer/").get_data(as_text=True)
    tree = lxml.html.fromstring(page)

    def listed(heading: str) -> str:
        return " ".join(tree.xpath(f"//h3[@id='{heading}']/following-sibling::*[1]//text()"))

    assert "Nog een concept" in listed("concepten")
    assert "Straks online" in listed("ingepland")
    assert "Onder embargo" in listed("embargo")
    assert "door" in listed("wijzigingen")


@pytest.mark.parametrize("days", ["30", "90", "365"])
def test_periods_to_choose_from(editor_client, days):
    page = editor_client.get(f"/beheer/?dagen={days}")
    assert page.status_code == 200
    tree = lxml.html.fromstring(page.get_data(as_text=True))
    assert len(tree.xpath("//svg[@role='img']/rect")) == int(days)
    assert tree.xpath("//nav[@aria-label='Periode']//a[@aria-current='page']/text()") == [
        f"{days} dagen"
    ]


@pytest.mark.parametrize("days", ["7", "abc", "-30", "99999999999999999999"])
def test_other_periods_are_refused_in_dutch(editor_client, days):
    page = editor_client.get(f"/beheer/?dagen={days}")
    assert page.status_code == 400
    assert "Kies een periode van 30, 90 of 365 dagen." in page.get_data(as_text=True)


def test_tables_download_as_csv(editor_client, listened):
    response = editor_client.get("/beheer/statistiek/apps.csv?dagen=90")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="apps-90-dagen.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [["app", "downloads"], ["AntennaPod", "2"], ["Apple Podcasts", "1"]]
    per_day = list(
        csv.reader(
            io.StringIO(editor_client.get("/beheer/statistiek/per-dag.csv").get_data(as_text=True))
        )
    )
    assert len(per_day) == 31
    assert per_day[-1] == [DAY_ONE.date().isoformat(), "3"]
    assert editor_client.get("/beheer/statistiek/geheim.csv").status_code == 404


def test_csv_needs_an_editor(client):
    response = client.get("/beheer/statistiek/apps.csv")
    assert response.status_code == 302
    assert "/beheer/inloggen" in response.headers["Location"]


def test_episode_edit_page_shows_its_downloads(editor_client, episode, listened):
    page = editor_client.get(f"/beheer/afleveringen/{episode.id}").get_data(as_text=True)
    tree = lxml.html.fromstring(page)
    section = tree.xpath("//section[@aria-labelledby='cijfers']")[0]
    assert "3 downloads" in section.text_content()
    assert section.xpath(".//svg/desc/text()")[0].startswith("Staafdiagram van downloads per dag")
    link = section.xpath(".//a[@download]/@href")[0]
    rows = list(csv.reader(io.StringIO(editor_client.get(link).get_data(as_text=True))))
    assert rows[-1] == [DAY_ONE.date().isoformat(), "3"]


def test_story_edit_page_shows_its_reads(editor_client, listened):
    page = editor_client.get(f"/beheer/verhalen/{listened.id}").get_data(as_text=True)
    assert (
        "1 keer gelezen"
        in lxml.html.fromstring(page)
        .xpath("//section[@aria-labelledby='cijfers']")[0]
        .text_content()
    )


def test_flask_stats_prints_the_tables(runner, listened, episode):
    result = runner.invoke(
        args=["stats", "by-app", "--since", "2026-11-01", "--until", "2026-11-30"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Downloads per app"
    assert lines[2].split() == ["app", "downloads"]
    assert lines[3].split() == ["AntennaPod", "2"]
    by_episode = runner.invoke(args=["stats", "by-episode", "--csv", "--since", "2026-11-20"])
    assert by_episode.output.splitlines()[1] == f"{episode.title},3"
    by_day = runner.invoke(
        args=["stats", "--csv", "--since", "2026-11-19", "--until", "2026-11-20"]
    )
    assert by_day.output.splitlines() == ["datum,aantal", "2026-11-19,0", "2026-11-20,3"]


@pytest.mark.parametrize(
    "args",
    [
        ["stats", "by-nothing"],
        ["stats", "--since", "gisteren"],
        ["stats", "--since", "2026-12-01", "--until", "2026-11-01"],
    ],
)
def test_flask_stats_refuses_bad_input(runner, args):
    result = runner.invoke(args=args)
    assert result.exit_code == 2
    assert "Error" in result.output


def test_demo_month_is_believable_and_loaded_once(runner, ctx):
    first = runner.invoke(args=["load-demo", "--with-stats"])
    assert first.exit_code == 0, first.output
    assert "demo data, not real visits" in first.output
    month = runner.invoke(args=["stats", "by-day", "--csv"]).output.splitlines()[1:]
    counts = [int(line.split(",")[1]) for line in month]
    assert len(counts) == 30 and min(counts) > 0
    assert runner.invoke(args=["stats", "no-results", "--csv"]).output.count("\n") > 1
    again = runner.invoke(args=["load-demo", "--with-stats"])
    assert "exist already" in again.output
    assert runner.invoke(args=["stats", "by-day", "--csv"]).output.splitlines()[1:] == month
