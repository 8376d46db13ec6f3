"""The visitors' site, through the test client."""

from archive.models import db


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


def test_home_shows_demo_campaign_marked_as_example(client, demo):
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="nl">' in page
    assert "Week tegen Kindermishandeling 2021" in page
    assert "dichterbij dan je denkt" in page
    assert "voorbeeld" in page
    assert "De huisarts en de gebroken pols" in page  # the newest story
    assert "Voor mijn broertje" not in page  # a draft in the demo


def test_base_template_renders_help_on_every_page(client, ctx):
    page = client.get("/").get_data(as_text=True)
    assert 'href="tel:08002000"' in page
    assert 'href="tel:08000432"' in page
    assert 'href="tel:112"' in page
    db.session.remove()
