"""The agenda: coming and been (split at midnight in the Netherlands), and each event's page."""

from __future__ import annotations

import re
from datetime import UTC, datetime


def text(response) -> str:
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def sections(page: str) -> tuple[str, str]:
    coming = page[page.index("Binnenkort") : page.index("Geweest")]
    return coming, page[page.index("Geweest") :]


def test_agenda_splits_coming_and_been_at_dutch_midnight(app, client, demo):
    # 16 November 2021, 22:30 local: the webinar (until 21:00) is still "coming" today.
    app.config["NOW"] = datetime(2021, 11, 16, 21, 30, tzinfo=UTC)
    coming, been = sections(text(client.get("/agenda")))
    assert "Webinar: signalen zien in de klas" in coming
    assert "Week tegen Kindermishandeling 2021" in coming  # running weeks are coming too
    assert "Lancering van de podcast" in been  # an all-day event on the 15th
    # 00:30 local on the 17th (23:30 UTC on the 16th): the webinar has been.
    app.config["NOW"] = datetime(2021, 11, 16, 23, 30, tzinfo=UTC)
    coming, been = sections(text(client.get("/agenda")))
    assert "Webinar: signalen zien in de klas" in been
    assert coming.index("Week tegen Kindermishandeling 2021") < coming.index(
        "Gesprekstafels in het hele land"
    )


def test_the_campaign_week_appears_in_the_agenda_as_the_seed_shows_it(app, client, demo):
    app.config["NOW"] = datetime(2021, 11, 1, tzinfo=UTC)
    coming, _ = sections(text(client.get("/agenda")))
    week = "Week tegen Kindermishandeling 2021 Voorbeeld 15-11-2021 t/m 21-11-2021 · Landelijk"
    assert week in coming
    html = client.get("/agenda").get_data(as_text=True)
    assert 'href="/campagne/week-2021"' in html
    assert 'href="webcal://localhost/agenda.ics"' in html


def test_an_event_page_has_the_seeds_shape_and_the_help_block(client, demo):
    page = text(client.get("/agenda/webinar-signalen-in-de-klas"))
    assert "Wanneer 16-11-2021 19:30–21:00" in page
    assert "Waar Online" in page
    assert "Organisatie Voorbeeldorganisatie" in page
    assert "Hoort bij Week tegen Kindermishandeling 2021" in page
    assert "Aanmelden" in page
    assert "Terug naar agenda · Naar boven" in page
    assert "0800-2000" in page and "0800-0432" in page


def test_a_cancelled_event_says_so_and_offers_no_registration(client, demo):
    page = text(client.get("/agenda/avond-in-de-bibliotheek"))
    assert "Gaat niet door: Avond in de bibliotheek" in page
    assert "Deze activiteit gaat niet door. Gaat niet door wegens de coronamaatregelen" in page
    assert "Waar Voorbeeldstad, bibliotheek" in page
    agenda = text(client.get("/agenda"))
    assert "Gaat niet door · 18-11-2021 19:00–21:30" in agenda


def test_unknown_events_are_404(client, demo):
    assert client.get("/agenda/bestaat-niet").status_code == 404
    assert client.get("/agenda/bestaat-niet.ics").status_code == 404
