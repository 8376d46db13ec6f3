from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from archive.models import Editor, Episode, Story, db, slugify, suggest_slug, utcnow


@pytest.mark.parametrize(
    ("state", "public"),
    [("draft", False), ("scheduled", False), ("public", True)],
)
def test_publication_rule_on_the_item(make_story, state, public):
    story = make_story("een-verhaal", state=state)
    assert story.is_public is public


def test_publication_rule_in_queries_matches_the_item(make_story, make_episode):
    make_story("concept", state="draft")
    make_story("gepland", state="scheduled")
    make_story("openbaar", state="public")
    make_episode("aflevering-concept", state="draft")
    make_episode("aflevering-openbaar", state="public")
    stories = db.session.scalars(select(Story.slug).where(Story.public_clause())).all()
    episodes = db.session.scalars(select(Episode.slug).where(Episode.public_clause())).all()
    assert stories == ["openbaar"]
    assert episodes == ["aflevering-openbaar"]


def test_scheduled_item_becomes_public_when_its_time_comes(make_story):
    story = make_story("straks", state="scheduled")
    later = story.published_at + timedelta(seconds=1)
    assert not story.is_public_at(story.published_at - timedelta(seconds=1))
    assert story.is_public_at(later)
    assert db.session.scalars(select(Story).where(Story.public_clause(later))).all() == [story]
    assert story.is_scheduled


def test_published_without_date_is_not_public(make_story):
    story = make_story("zonder-datum", state="draft")
    story.status = "published"
    db.session.commit()
    assert not story.is_public
    assert db.session.scalars(select(Story).where(Story.public_clause())).all() == []


def test_withdraw_takes_item_offline_and_keeps_reason(make_story):
    story = make_story("terugtrekken")
    story.withdraw("Op verzoek van de verteller")
    db.session.commit()
    assert not story.is_public
    assert story.withdrawn_reason == "Op verzoek van de verteller"
    assert story.withdrawn_at is not None


def test_publishing_before_embargo_is_refused(make_story):
    story = make_story("embargo", state="draft")
    story.embargo_until = utcnow() + timedelta(days=2)
    with pytest.raises(ValueError):
        story.publish()
    story.publish(story.embargo_until)
    assert story.is_scheduled


def test_story_slugs_are_unique(make_story):
    make_story("dubbel")
    with pytest.raises(IntegrityError):
        make_story("dubbel")
    db.session.rollback()


def test_episode_slugs_are_unique(make_episode):
    make_episode("dubbel")
    with pytest.raises(IntegrityError):
        make_episode("dubbel")
    db.session.rollback()


def test_suggest_slug_offers_a_free_variant(make_story):
    make_story("mijn-verhaal")
    make_story("mijn-verhaal-2")
    assert suggest_slug(Story, "Mijn verhaal") == "mijn-verhaal-3"
    assert suggest_slug(Story, "Iets anders") == "iets-anders"


def test_episode_guid_is_set_once_and_kept(make_episode):
    episode = make_episode("vaste-guid")
    guid = episode.guid
    episode.title = "Nieuwe titel"
    episode.audio_path = "1-abcdef.mp3"
    db.session.commit()
    assert len(guid) == 36
    assert db.session.get(Episode, episode.id).guid == guid


def test_datetimes_come_back_timezone_aware(make_story):
    story = make_story("tijdzone")
    db.session.expire_all()
    assert story.published_at.tzinfo is not None


def test_naive_datetimes_are_refused(make_story):
    from datetime import datetime

    story = make_story("naief", state="draft")
    story.published_at = datetime(2021, 11, 15, 8, 0)
    with pytest.raises(Exception, match="naive datetime"):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Ideeën over één kind", "ideeen-over-een-kind"),
        ("  Wat doe je?!  ", "wat-doe-je"),
        ("… dichterbij dan je denkt", "dichterbij-dan-je-denkt"),
        ("🙂", "item"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_reading_time_follows_length(make_story):
    story = make_story("lang", body="woord " * 450)
    story.update_reading_time()
    assert story.reading_minutes == 3


def test_editor_password_is_hashed_with_scrypt(ctx):
    editor = Editor(email="a@example.org", display_name="A")
    editor.set_password("een lang wachtwoord")
    assert editor.password_hash.startswith("scrypt:")
    assert editor.check_password("een lang wachtwoord")
    assert not editor.check_password("fout")
