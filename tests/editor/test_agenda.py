"""Editors keep the agenda and the editions: through the one writer, with history and conflicts."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from archive.models import AuditEvent, Campaign, Change, Event, db

from .conftest import form_fields, log_in, make_editor, post_form

WEBINAR = {
    "title": "Webinar voor leerkrachten",
    "slug": "",
    "starts_on": "2030-11-19",
    "starts_time": "19:30",
    "ends_on": "2030-11-19",
    "ends_time": "21:00",
    "place_kind": "online",
    "place": "",
    "online_url": "https://example.org/webinar",
    "organiser": "Voorbeeldorganisatie",
    "description": "Een avond over **signalen**.",
    "registration_url": "",
    "campaign_id": "0",
    "save": "Opslaan",
}


def test_an_editor_creates_an_event_in_dutch_time_and_it_is_logged(editor_client):
    response = post_form(editor_client, "/beheer/agenda/nieuw", WEBINAR)
    assert response.status_code == 302
    event = db.session.scalars(select(Event)).one()
    # 19:30 in winter time is 18:30 UTC.
    assert event.starts_at == datetime(2030, 11, 19, 18, 30, tzinfo=UTC)
    assert event.ends_at == datetime(2030, 11, 19, 20, 0, tzinfo=UTC)
    assert (event.slug, event.version, event.all_day) == ("webinar-voor-leerkrachten", 1, False)
    assert db.session.scalars(select(Change.item_kind)).all() == ["event"]
    history = db.session.scalars(select(AuditEvent).where(AuditEvent.item_kind == "event")).one()
    assert (history.action, history.editor.email) == ("created", "redacteur@example.org")
    page = editor_client.get(f"/beheer/agenda/{event.id}").get_data(as_text=True)
    assert 'value="19:30"' in page and "aangemaakt door redacteur" in page


def test_an_all_day_event_runs_from_local_midnight_to_the_midnight_after_its_last_day(
    editor_client,
):
    values = {
        **WEBINAR,
        "all_day": "y",
        "starts_time": "",
        "ends_time": "",
        "ends_on": "2030-11-21",
    }
    assert post_form(editor_client, "/beheer/agenda/nieuw", values).status_code == 302
    event = db.session.scalars(select(Event)).one()
    assert event.all_day
    assert event.starts_at == datetime(2030, 11, 18, 23, tzinfo=UTC)
    assert event.ends_at == datetime(2030, 11, 21, 23, tzinfo=UTC)
    assert "19-11-2030 t/m 21-11-2030" in editor_client.get("/beheer/agenda").get_data(as_text=True)


def test_bad_event_input_is_refused_in_dutch_and_nothing_is_saved(editor_client):
    cases = [
        ({"title": ""}, "Vul dit veld in."),
        ({"ends_time": "18:00"}, "Het einde moet na het begin liggen."),
        ({"starts_time": ""}, "Vul een begintijd in"),
        ({"starts_time": "25:99"}, "Vul een begintijd in"),
        ({"online_url": "javascript:alert(1)"}, "Vul een webadres in dat begint met https://"),
        ({"registration_url": "data:text/html,x"}, "Vul een webadres in dat begint met https://"),
        ({"place_kind": "place", "place": ""}, "Vul de plaats in."),
        ({"place_kind": "mars"}, "Ongeldige keuze."),
    ]
    for change, message in cases:
        response = post_form(editor_client, "/beheer/agenda/nieuw", {**WEBINAR, **change})
        page = response.get_data(as_text=True)
        assert response.status_code == 422, change
        assert message in page, change
    assert db.session.scalars(select(Event)).all() == []
    assert db.session.scalars(select(Change)).all() == []


def test_two_editors_saving_the_same_event_get_a_conflict_not_an_overwrite(app, editor_client):
    post_form(editor_client, "/beheer/agenda/nieuw", WEBINAR)
    event = db.session.scalars(select(Event)).one()
    url = f"/beheer/agenda/{event.id}"
    second = app.test_client()
    assert log_in(second, make_editor("tweede@example.org").email).status_code == 302
    mine = form_fields(editor_client.get(url).get_data(as_text=True))
    theirs = form_fields(second.get(url).get_data(as_text=True))
    assert second.post(url, data={**theirs, "title": "Hun titel"}).status_code == 302
    response = editor_client.post(url, data={**mine, "title": "Mijn titel"})
    assert response.status_code == 409
    assert "Hun titel" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Event, event.id).title == "Hun titel"


def test_cancelling_keeps_the_event_with_its_message(editor_client, client):
    post_form(editor_client, "/beheer/agenda/nieuw", WEBINAR)
    event = db.session.scalars(select(Event)).one()
    url = f"/beheer/agenda/{event.id}/afgelasten"
    response = post_form(editor_client, url, {"message": "Zieke spreker; nieuwe datum volgt."})
    assert response.status_code == 302
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert event.is_cancelled and event.version == 2
    assert [c.action for c in db.session.scalars(select(Change).order_by(Change.id))] == [
        "saved",
        "cancelled",
    ]
    page = client.get(f"/agenda/{event.slug}").get_data(as_text=True)
    assert "Zieke spreker; nieuwe datum volgt." in page and "Gaat niet door" in page


def test_an_editor_creates_and_changes_an_edition(editor_client, client):
    values = {
        "name": "Week tegen Kindermishandeling 2030",
        "slug": "week-2030",
        "theme": "Een nieuw thema",
        "starts_on": "2030-11-18",
        "ends_on": "2030-11-24",
        "location": "Landelijk",
        "introduction": "Tekst.",
        "save": "Opslaan",
    }
    assert post_form(editor_client, "/beheer/edities/nieuw", values).status_code == 302
    campaign = db.session.scalars(select(Campaign)).one()
    assert (campaign.year, campaign.theme) == (2030, "Een nieuw thema")
    bad = post_form(
        editor_client, f"/beheer/edities/{campaign.id}", {**values, "ends_on": "2030-11-01"}
    )
    assert bad.status_code == 422
    assert "De laatste dag kan niet voor de eerste liggen." in bad.get_data(as_text=True)
    assert "Een nieuw thema" in client.get("/campagnes").get_data(as_text=True)


def test_the_agenda_pages_need_a_login(client):
    for url in ("/beheer/agenda", "/beheer/agenda/nieuw", "/beheer/edities"):
        assert client.get(url).status_code == 302
