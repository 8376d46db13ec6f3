"""The visitors' site, through the test client: home, campaign, help, errors, every page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archive.models import db

from .conftest import DEMO_PAGES


def test_home_lists_only_public_items(client, make_story, make_episode):
    make_story("openbaar-verhaal", title="Openbaar verhaal")
    make_story("concept-verhaal", state="draft", title="Concept verhaal")
    make_story("gepland-verhaal", state="scheduled", title="Gepland verhaal")
    make_episode("openbare-aflevering", title="Openbare aflevering")
    make_episode("concept-aflevering", state="draft", title="Concept aflevering")
    page = client.get("/").get_data(as_text=True)
    assert "Openbaar verhaal" in page and "Openbare aflevering" in page
    assert "Concept verhaal" not in page and "Gepland verhaal" not in page
    assert "Concept aflevering" not in page


def test_home_shows_demo_campaign_marked_as_example(app, client, demo):
    app.config["NOW"] = datetime(2021, 11, 16, 12, tzinfo=UTC)  # during the 2021 week
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="nl">' in page
    assert "Week tegen Kindermishandeling 2021" in page
    assert "dichterbij dan je denkt" in page
    assert "15 november 2021" in page and "21 november 2021" in page
    assert "Landelijk" in page
    assert "voorbeeldinhoud" in page and 'class="demo-label"' in page
    assert "De huisarts en de gebroken pols" in page  # the newest story
    assert "Voor mijn broertje" not in page  # a draft in the demo


def test_home_offers_the_two_paths_and_the_subscription(client, demo):
    page = client.get("/").get_data(as_text=True)
    assert ">Lees de verhalen</a>" in page
    assert ">Beluister de podcasts</a>" in page
    assert "Abonneer op de podcast" in page
    assert "http://localhost/podcast/feed.xml" in page


def test_home_without_any_content_still_works(client, ctx):
    response = client.get("/")
    assert response.status_code == 200
    assert "Nog geen verhalen." in response.get_data(as_text=True)


def test_base_template_renders_help_on_every_page(client, ctx):
    page = client.get("/").get_data(as_text=True)
    assert 'href="tel:08002000"' in page
    assert 'href="tel:08000432"' in page
    assert 'href="tel:112"' in page
    db.session.remove()


@pytest.mark.parametrize("kind", sorted(DEMO_PAGES))
def test_every_page_has_help_quick_exit_search_and_landmarks(client, pages, kind):
    response = client.get(pages[kind])
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert '<html lang="nl">' in page
    for number in ("tel:08002000", "tel:08000432", "tel:112"):
        assert f'href="{number}"' in page
    assert 'href="https://nos.nl/weer" rel="noreferrer" data-quick-exit' in page
    assert ">Snel weg<" in page
    assert '<form class="search-box" role="search" aria-label="Zoeken op de site"' in page
    assert 'method="get" action="/zoeken">' in page
    assert '<label for="zoekterm">' in page
    assert 'class="skip" href="#inhoud"' in page and '<main id="inhoud"' in page
    assert 'href="#boven">Naar boven</a>' in page
    assert page.count("<h1") == 1
    assert "<header" in page and "<nav" in page and "<footer" in page


def test_campaign_page_shows_the_week_with_its_stories_and_episodes(client, demo):
    page = client.get("/campagne/week-2021").get_data(as_text=True)
    assert "<h1>Week tegen Kindermishandeling 2021</h1>" in page
    assert "15 november 2021" in page and "21 november 2021" in page
    assert "… dichterbij dan je denkt" in page
    assert "Landelijk" in page
    assert "De juf die doorvroeg" in page and "Signalen zien in de klas" in page
    assert "Voor mijn broertje" not in page
    assert 'href="/campagne/week-2021/week.ics"' in page


def test_unknown_campaign_is_404(client, ctx):
    assert client.get("/campagne/bestaat-niet").status_code == 404


def test_help_page_names_every_helpline(client, ctx):
    response = client.get("/hulp")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Veilig Thuis" in page and 'href="tel:08002000"' in page
    assert "24 uur per dag, 7 dagen per week" in page and "anoniem" in page
    assert "De Kindertelefoon" in page and "11:00 tot 21:00" in page
    assert "tussen de 8 en 18 jaar" in page and "chatten" in page
    assert "112" in page
    assert "Meldcode huiselijk geweld en kindermishandeling" in page
    assert 'href="https://www.ikvermoedhuiselijkgeweld.nl" rel="noopener noreferrer"' in page


def test_safe_browsing_page_explains_private_browsing_and_erasing(client, ctx):
    page = client.get("/veilig-surfen").get_data(as_text=True)
    assert "Privé surfen" in page and "incognito" in page
    assert "geschiedenis" in page and "Snel weg" in page and "Shift" in page
    # Linked from the help block on every page.
    assert 'href="/veilig-surfen">Veilig surfen</a>' in client.get("/").get_data(as_text=True)


def test_not_found_page_is_in_the_site_style_with_help(client, ctx):
    response = client.get("/bestaat-niet")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in page
    assert 'href="tel:08002000"' in page and "Snel weg" in page


def test_server_error_page_shows_help(app, ctx):
    @app.get("/stuk")
    def broken() -> str:
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/stuk")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Er ging iets mis" in page
    assert 'href="tel:08002000"' in page and 'href="tel:112"' in page and "Snel weg" in page


def test_machine_endpoints_keep_plain_text_errors(client, ctx):
    response = client.get("/podcast/bestaat-niet/chapters.json")
    assert response.status_code == 404
    assert response.mimetype == "text/plain"
