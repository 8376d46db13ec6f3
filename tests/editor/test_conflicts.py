"""Two editors on the same item: nothing is overwritten without the editor seeing it."""

from __future__ import annotations

import re

from archive.models import Story, db

from .conftest import log_in, make_editor, post_form

FORM_FIELDS = (
    "title",
    "slug",
    "author_name",
    "summary",
    "body",
    "perspective",
    "tags",
    "campaign_id",
    "content_note",
    "publication",
    "scheduled_at",
    "embargo_until",
)


def opened(client, url: str) -> dict:
    """The form's values as the browser holds them when the editor opens the page."""
    page = client.get(url).get_data(as_text=True)
    values = {}
    for name in (*FORM_FIELDS, "version", "csrf_token"):
        match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
            rf'<textarea[^>]*name="{name}"[^>]*>\r?\n?(.*?)</textarea>', page, re.S
        )
        values[name] = match.group(1) if match else ""
    values["publication"] = "draft"
    values["campaign_id"] = "0"
    values["save"] = "Opslaan"
    return values


def two_editors(app, editor_client):
    other = make_editor("tweede@example.org")
    second = app.test_client()
    assert log_in(second, other.email).status_code == 302
    return editor_client, second


def test_the_second_save_from_an_old_form_is_refused_with_both_versions(
    app, editor_client, make_story
):
    story = make_story("samen", state="draft", title="Oude titel", body="Oude tekst.")
    url = f"/beheer/verhalen/{story.id}"
    first, second = two_editors(app, editor_client)
    form_a, form_b = opened(first, url), opened(second, url)
    assert form_a["version"] == form_b["version"] == "1"

    assert first.post(url, data={**form_a, "title": "Titel van A"}).status_code == 302
    response = second.post(url, data={**form_b, "body": "Tekst van B."})

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "gewijzigd door redacteur" in page  # who, with the time beside it
    assert re.search(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}", page)
    rows = re.findall(
        r'<th scope="row">(.*?)</th><td><pre>(.*?)</pre></td><td><pre>(.*?)</pre>', page
    )
    assert ("Titel", "Titel van A", "Oude titel") in rows
    assert ("Tekst (Markdown)", "Oude tekst.", "Tekst van B.") in rows
    assert "Tekst van B." in page.split("<form", 1)[1]  # B's input is still in the form
    db.session.expire_all()
    saved = db.session.get(Story, story.id)
    assert (saved.title, saved.body, saved.version) == ("Titel van A", "Oude tekst.", 2)

    # Having seen it, B saves again (the form now carries version 2): B's version stands.
    again = opened_after_conflict(page, form_b)
    assert second.post(url, data=again).status_code == 302
    db.session.expire_all()
    assert db.session.get(Story, story.id).body == "Tekst van B."


def opened_after_conflict(page: str, form: dict) -> dict:
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    return {**form, "body": "Tekst van B.", "version": version, "csrf_token": token}


def test_withdrawing_an_item_changed_meanwhile_is_refused(app, editor_client, make_story):
    story = make_story("weg")
    url = f"/beheer/verhalen/{story.id}/offline"
    first, second = two_editors(app, editor_client)
    page = second.get(url).get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    assert (
        post_form(
            first, f"/beheer/verhalen/{story.id}", opened(first, f"/beheer/verhalen/{story.id}")
        ).status_code
        == 302
    )
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = second.post(url, data={"reason": "verzoek", "version": version, "csrf_token": token})
    assert response.status_code == 409
    assert "intussen gewijzigd" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Story, story.id).withdrawn_at is None


def test_deleting_an_item_changed_meanwhile_is_refused(app, editor_client, make_story):
    story = make_story("wissen")
    url = f"/beheer/verhalen/{story.id}/verwijderen"
    first, second = two_editors(app, editor_client)
    page = second.get(url).get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    edit = f"/beheer/verhalen/{story.id}"
    assert first.post(edit, data={**opened(first, edit), "title": "Anders"}).status_code == 302
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = second.post(url, data={"confirm": "y", "version": version, "csrf_token": token})
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Story, story.id) is not None
