"""Editions over the years: the home page by date, /campagnes, and each campaign page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest


def text(response) -> str:
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


@pytest.mark.parametrize(
    ("now", "label", "name", "extra"),
    [
        # During the 2021 week: that week is "now"; there is no earlier edition yet.
        (datetime(2021, 11, 16, 12, tzinfo=UTC), "De campagne van nu", "2021", None),
        # Six weeks before the 2022 week: it is coming, counted down in words.
        (datetime(2022, 10, 3, 12, tzinfo=UTC), "Binnenkort", "2022 (voorbeeld)", "Over 6 weken"),
        # Long after: the latest edition, with the one before it under "Eerdere edities".
        (datetime(2026, 11, 30, 12, tzinfo=UTC), "De laatste editie", "2022 (voorbeeld)", None),
    ],
)
def test_home_page_chooses_the_edition_by_date(app, client, demo, now, label, name, extra):
    app.config["NOW"] = now
    page = text(client.get("/"))
    assert f"{label} Week tegen Kindermishandeling {name}" in page
    if extra:
        assert extra in page
    if now.year == 2021:
        assert "Eerdere edities" not in page
    else:
        assert "Eerdere edities Week tegen Kindermishandeling 2021" in page


def test_the_running_week_is_chosen_by_dutch_date_not_utc(app, client, demo):
    # 21 November 23:30 UTC is already 22 November in the Netherlands: the week is over.
    app.config["NOW"] = datetime(2021, 11, 21, 23, 30, tzinfo=UTC)
    assert "De laatste editie" in text(client.get("/"))
    app.config["NOW"] = datetime(2021, 11, 21, 22, 30, tzinfo=UTC)
    assert "De campagne van nu" in text(client.get("/"))


def test_campaigns_page_lists_every_edition_newest_first_with_counts(client, demo):
    page = text(client.get("/campagnes"))
    newer = page.index("Week tegen Kindermishandeling 2022 (voorbeeld)")
    older = page.index("Week tegen Kindermishandeling 2021")
    assert newer < older
    # The 2022 example edition has one public story and no episodes.
    assert "samen kijken, samen praten 1 verhaal · 0 afleveringen" in page
    assert re.search(r"dichterbij dan je denkt \d+ verhalen · 4 afleveringen", page)


def test_a_campaign_page_has_the_seeds_shape_and_leads_to_its_items(client, demo):
    html = client.get("/campagne/week-2021").get_data(as_text=True)
    page = text(client.get("/campagne/week-2021"))
    assert "Wanneer 15-11-2021 t/m 21-11-2021" in page
    assert "Waar Landelijk" in page
    assert "Terug naar agenda" in page and "Naar boven" in page
    assert 'href="/verhalen?campagne=week-2021"' in html
    assert 'href="/podcast?campagne=week-2021"' in html
    assert "Webinar: signalen zien in de klas (voorbeeld)" in page


def test_a_campaign_page_searches_within_its_edition(client, demo):
    html = client.get("/campagne/week-2022-voorbeeld").get_data(as_text=True)
    form = html[html.index('aria-label="Zoeken in deze editie"') :]
    form = form[: form.index("</form>")]
    assert 'action="/zoeken"' in form and 'name="q"' in form
    assert 'name="campagne" value="week-2022-voorbeeld"' in form
    everywhere = client.get("/zoeken.json?q=huisarts").get_json()
    assert {hit["campaign"] for hit in everywhere["hits"]} == {"week-2021", "week-2022-voorbeeld"}
    scoped = client.get("/zoeken.json?q=huisarts&campagne=week-2022-voorbeeld").get_json()
    assert [hit["slug"] for hit in scoped["hits"]] == ["de-huisarts-en-de-gebroken-pols"]


def test_help_page_speaks_to_a_parent_afraid_of_going_too_far(client):
    page = text(client.get("/hulp"))
    assert "Ben je bang dat je zelf te ver gaat?" in page
    section = page[page.index("Ben je bang dat je zelf te ver gaat?") :]
    assert "Veilig Thuis bellen: 0800-2000" in section and "anoniem" in section


def test_the_episode_list_filters_by_edition(client, demo):
    everything = text(client.get("/podcast"))
    assert "Signalen zien in de klas" in everything
    page = text(client.get("/podcast?campagne=week-2022-voorbeeld"))
    assert "Afleveringen van Week tegen Kindermishandeling 2022 (voorbeeld)" in page
    assert "Signalen zien in de klas" not in page and "Nog geen afleveringen." in page
    assert "Signalen zien in de klas" in text(client.get("/podcast?campagne=week-2021"))
    assert text(client.get("/podcast?campagne=bestaat-niet")) == everything
