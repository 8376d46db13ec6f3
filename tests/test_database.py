"""Requests stay within what the database holds, the same on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from archive.database import MAX_INTEGER
from archive.models import Story, db


@pytest.mark.parametrize(
    "path", ["/beheer/verhalen/{}", "/beheer/afleveringen/{}/omslag", "/beheer/redacteuren/{}"]
)
def test_ids_beyond_an_integer_column_match_no_route(app, path):
    urls = app.url_map.bind("localhost")
    assert urls.match(path.format(MAX_INTEGER))[1]
    for too_large in (MAX_INTEGER + 1, 99999999999, int("9" * 25)):
        with pytest.raises(NotFound):
            urls.match(path.format(too_large))


def test_id_beyond_an_integer_column_is_an_ordinary_404(client, ctx):
    response = client.get("/beheer/verhalen/99999999999", follow_redirects=False)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/verhalen/de-juf-die-doorvroeg%00", 404),
        ("/podcast/signalen-zien%00", 404),
        ("/campagne/week-2021%00", 404),
        ("/verhalen?onderwerp=school%00&campagne=%00", 200),
    ],
)
def test_nul_character_in_a_url_matches_nothing(client, demo, url, status):
    assert client.get(url).status_code == status


def test_nul_character_in_text_is_stored_as_a_replacement_character(make_story):
    story = make_story("met-nul", body="voor\x00na", title="Titel\x00")
    db.session.expire_all()
    stored = db.session.scalars(select(Story).where(Story.id == story.id)).one()
    assert (stored.title, stored.body) == ("Titel\ufffd", "voor\ufffdna")
