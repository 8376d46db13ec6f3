"""Writing, publishing, scheduling, withdrawing and deleting stories in /beheer."""

from datetime import timedelta

from sqlalchemy import func, select

from archive.localtime import to_local
from archive.models import AuditEvent, Episode, Story, db, utcnow

from .conftest import post_form

NEW = "/beheer/verhalen/nieuw"


def story_data(**overrides) -> dict:
    data = {
        "title": "Mijn verhaal over school",
        "slug": "",
        "author_name": "Sanne (pseudoniem)",
        "summary": "Kort.",
        "body": "Het begon op **school**.\n\nDaarna werd het beter.",
        "perspective": "child",
        "tags": "school, pesten",
        "campaign_id": "0",
        "content_note": "Gaat over pesten.",
        "publication": "draft",
        "scheduled_at": "",
        "embargo_until": "",
        "save": "Opslaan",
    }
    return {**data, **overrides}


def only_story() -> Story:
    db.session.expire_all()
    return db.session.scalars(select(Story)).one()


def test_new_story_is_saved_as_draft_with_slug_tags_and_history(editor_client, editor):
    response = post_form(editor_client, NEW, story_data())
    assert response.status_code == 302
    story = only_story()
    assert story.slug == "mijn-verhaal-over-school"
    assert story.status == "draft" and not story.is_public
    assert [tag.slug for tag in story.tags] == ["pesten", "school"]
    assert story.reading_minutes == 1
    page = editor_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "aangemaakt door redacteur" in page


def test_overlong_tag_is_cut_to_what_the_database_takes(editor_client):
    response = post_form(editor_client, NEW, story_data(tags="school, " + "lang" * 30))
    assert response.status_code == 302
    assert [len(tag.name) for tag in only_story().tags] == [80, 6]


def test_publish_now_makes_the_story_public(editor_client):
    post_form(editor_client, NEW, story_data(publication="now"))
    story = only_story()
    assert story.is_public
    assert db.session.scalar(select(AuditEvent.action)) == "published"


def test_schedule_uses_dutch_local_time(editor_client):
    post_form(
        editor_client, NEW, story_data(publication="schedule", scheduled_at="2031-11-15T09:30")
    )
    story = only_story()
    assert story.is_scheduled and not story.is_public
    assert to_local(story.published_at).strftime("%Y-%m-%d %H:%M") == "2031-11-15 09:30"
    assert story.published_at.utcoffset() == timedelta(0)
    assert story.published_at.hour == 8  # CET is UTC+1 in November


def test_schedule_without_a_date_is_refused(editor_client):
    response = post_form(editor_client, NEW, story_data(publication="schedule"))
    assert response.status_code == 422
    assert "Kies een datum en tijd" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Story.id))) == 0


def test_impossible_date_format_is_refused(editor_client):
    response = post_form(
        editor_client, NEW, story_data(publication="schedule", scheduled_at="31-02-2031 25:99")
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(Story.id))) == 0


def test_a_chosen_slug_that_is_taken_is_refused_with_a_suggestion(editor_client, make_story):
    make_story("mijn-verhaal-over-school")
    response = post_form(editor_client, NEW, story_data(slug="mijn-verhaal-over-school"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "al in gebruik" in page and "mijn-verhaal-over-school-2" in page
    assert db.session.scalar(select(func.count(Story.id))) == 1


def test_a_slug_made_from_the_title_gets_a_suffix_when_taken(editor_client, make_story):
    make_story("mijn-verhaal-over-school")
    response = post_form(editor_client, NEW, story_data())
    assert response.status_code == 302
    slugs = db.session.scalars(select(Story.slug).order_by(Story.id)).all()
    assert slugs == ["mijn-verhaal-over-school", "mijn-verhaal-over-school-2"]


def test_publishing_before_the_embargo_is_refused(editor_client):
    later = (to_local(utcnow() + timedelta(days=3))).strftime("%Y-%m-%dT%H:%M")
    response = post_form(editor_client, NEW, story_data(publication="now", embargo_until=later))
    assert response.status_code == 422
    assert "embargo" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Story.id))) == 0


def test_preview_button_renders_the_markdown_safely(editor_client):
    response = post_form(
        editor_client,
        NEW,
        story_data(body="**vet** <script>alert(1)</script>", save="", preview="Voorbeeld"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>vet</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert db.session.scalar(select(func.count(Story.id))) == 0


def test_edit_keeps_the_original_publication_date(editor_client, make_story):
    story = make_story("bestaand", title="Oude titel")
    first = story.published_at
    url = f"/beheer/verhalen/{story.id}"
    post_form(
        editor_client, url, story_data(title="Nieuwe titel", slug="bestaand", publication="now")
    )
    db.session.expire_all()
    story = db.session.get(Story, story.id)
    assert story.title == "Nieuwe titel"
    assert story.published_at == first


def test_withdraw_takes_the_story_offline_with_reason_for_editors(
    editor_client, client, make_story
):
    story = make_story("intrekken", title="Intrekken")
    response = post_form(
        editor_client,
        f"/beheer/verhalen/{story.id}/offline",
        {"reason": "Verteller wil het niet meer", "on_request": "y"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    story = db.session.get(Story, story.id)
    assert not story.is_public
    assert story.withdrawn_reason == "Op verzoek van de verteller: Verteller wil het niet meer"
    assert "Verteller wil het niet meer" in editor_client.get(
        f"/beheer/verhalen/{story.id}"
    ).get_data(as_text=True)


def test_delete_needs_confirmation_and_never_touches_episodes(
    editor_client, make_story, make_episode
):
    episode = make_episode("blijft")
    story = make_story("weg", related_episodes=[episode])
    url = f"/beheer/verhalen/{story.id}/verwijderen"
    unconfirmed = post_form(editor_client, url, {})
    assert unconfirmed.status_code == 422
    assert db.session.scalar(select(func.count(Story.id))) == 1
    confirmed = post_form(editor_client, url, {"confirm": "y"})
    assert confirmed.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Story.id))) == 0
    assert db.session.get(Episode, episode.id) is not None
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "deleted" in actions


def test_list_filters_by_status_and_text(editor_client, make_story):
    make_story("openbaar-een", title="Openbaar een")
    make_story("concept-twee", title="Concept twee", state="draft")
    make_story("gepland-drie", title="Gepland drie", state="scheduled")
    drafts = editor_client.get("/beheer/verhalen?status=draft").get_data(as_text=True)
    assert "Concept twee" in drafts and "Openbaar een" not in drafts
    scheduled = editor_client.get("/beheer/verhalen?status=scheduled").get_data(as_text=True)
    assert "Gepland drie" in scheduled and "Ingepland:" in scheduled
    found = editor_client.get("/beheer/verhalen?q=openbaar").get_data(as_text=True)
    assert "Openbaar een" in found and "Concept twee" not in found


def test_preview_of_a_draft_shows_it_as_visitors_would(editor_client, client, make_story):
    story = make_story("voorbeeld-concept", title="Nog geheim", state="draft")
    preview = editor_client.get(f"/beheer/verhalen/{story.id}/voorbeeld")
    assert preview.status_code == 200
    assert "Nog geheim" in preview.get_data(as_text=True)
    assert client.get("/verhalen/voorbeeld-concept").status_code == 404
