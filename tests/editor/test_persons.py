"""The persons page: voices found in the transcript, mapping them, withdrawing a name."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from archive.models import Episode, db

from .conftest import post_form

TRANSCRIPT = """WEBVTT

00:00.000 --> 00:02.000
<v Interviewer>Hoe was dat?

00:02.000 --> 00:04.000
<v Jolanda Jansen>Moeilijk.
"""


@pytest.fixture
def episode(make_episode) -> Episode:
    return make_episode("gesprek", transcript_vtt=TRANSCRIPT)


def _url(episode: Episode) -> str:
    return f"/beheer/afleveringen/{episode.id}/sprekers"


def _rows(**fields) -> dict:
    data = {"rows": "2"}
    for n, row in enumerate(fields.values()):
        data.update({f"person-{n}-{key}": value for key, value in row.items()})
    return data


def test_page_lists_the_voices_found_as_rows_to_map(editor_client, episode):
    page = editor_client.get(_url(episode)).get_data(as_text=True)
    assert "Stemmen in het transcript: Interviewer, Jolanda Jansen." in page
    assert 'name="person-1-voice" value="Jolanda Jansen"' in page


def test_mapping_a_voice_to_a_pseudonym_keeps_no_real_name(editor_client, episode):
    data = _rows(
        a={"voice": "Interviewer", "name": "Daan", "role": "host", "perspective": "interviewer"},
        b={
            "voice": "Jolanda Jansen",
            "name": "Sanne",
            "role": "guest",
            "perspective": "storyteller",
        },
    )
    response = post_form(editor_client, _url(episode), data)
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Episode, episode.id)
    assert [(p.voice, p.name) for p in saved.persons] == [("Daan", "Daan"), ("Sanne", "Sanne")]
    assert "Jolanda" not in saved.transcript_vtt
    history = editor_client.get(f"/beheer/afleveringen/{episode.id}").get_data(as_text=True)
    assert "sprekers gewijzigd" in history and "Sanne (ervaringsdeskundige)" in history


def test_a_bad_row_is_refused_with_422_in_dutch_and_nothing_is_saved(editor_client, episode):
    data = _rows(
        a={
            "voice": "Interviewer",
            "name": "Daan",
            "role": "host",
            "href": "http://x",
            "consent": "1",
        }
    )
    data["rows"] = "1"
    response = post_form(editor_client, _url(episode), data)
    assert response.status_code == 422
    assert "begint met https://" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Episode, episode.id).persons == []


def test_withdrawing_a_name_through_the_form_shows_the_neutral_label(editor_client, episode):
    data = _rows(
        b={
            "voice": "Jolanda Jansen",
            "name": "Sanne",
            "role": "guest",
            "perspective": "storyteller",
        }
    )
    data["rows"] = "1"
    assert post_form(editor_client, _url(episode), data).status_code == 302
    db.session.expire_all()
    person = db.session.get(Episode, episode.id).persons[0]
    url = f"{_url(episode)}/{person.id}/intrekken"
    response = post_form(
        editor_client, url, {"label": "Ervaringsdeskundige", "version": ""}, form_url=_url(episode)
    )
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.scalar(select(Episode).where(Episode.id == episode.id))
    assert [(p.name, p.name_withdrawn) for p in saved.persons] == [("Ervaringsdeskundige", True)]
    assert "Sanne" not in saved.transcript_vtt
    page = editor_client.get(f"/beheer/afleveringen/{episode.id}").get_data(as_text=True)
    assert "naam ingetrokken" in page
    assert "Sanne" not in page


def test_withdrawing_an_unknown_person_is_404_in_dutch(editor_client, episode):
    url = f"{_url(episode)}/999/intrekken"
    response = post_form(editor_client, url, {"label": "Verteller"}, form_url=_url(episode))
    assert response.status_code == 404
    assert "bestaat niet" in response.get_data(as_text=True)
