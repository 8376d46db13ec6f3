"""The one writer: history and change log in one transaction, versions, races, files."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from archive import editorial
from archive.editorial import changelog
from archive.models import (
    AuditEvent,
    Campaign,
    Change,
    ChangeFollower,
    Episode,
    Story,
    Tag,
    db,
    utcnow,
)

AUDIO = Path(__file__).resolve().parent / "fixtures" / "audio"


def changes() -> list[tuple[str, int, int | None, str]]:
    rows = db.session.scalars(select(Change).order_by(Change.id))
    return [(row.item_kind, row.item_id, row.version, row.action) for row in rows]


def media(app) -> list[str]:
    return sorted(p.name for p in Path(app.config["MEDIA_DIR"]).iterdir())


def new_story(**values) -> Story:
    values = {"title": "Een verhaal", "body": "Tekst.", **values}
    return editorial.save("story", None, values, editorial.COMMAND_LINE)


def test_every_action_appends_history_and_a_change_in_order(ctx):
    story = new_story()
    editorial.publish("story", story.id, editorial.COMMAND_LINE)
    editorial.save("story", story.id, {"body": "Nieuwe tekst."}, editorial.COMMAND_LINE)
    editorial.withdraw("story", story.id, "op verzoek", editorial.COMMAND_LINE)
    story_id = story.id
    editorial.delete("story", story_id, editorial.COMMAND_LINE)
    assert changes() == [
        ("story", story_id, 1, "saved"),
        ("story", story_id, 2, "published"),
        ("story", story_id, 3, "saved"),
        ("story", story_id, 4, "withdrawn"),
        ("story", story_id, None, "deleted"),
    ]
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [event.action for event in events] == [
        "created",
        "published",
        "changed",
        "withdrawn",
        "deleted",
    ]
    assert {event.actor for event in events} == {"command_line"}
    assert editorial.actor_name(events[0]) == "de opdrachtregel"
    ids = [row.id for row in db.session.scalars(select(Change).order_by(Change.id))]
    assert ids == sorted(ids) and changelog.last_id() == ids[-1]


def test_a_refused_change_leaves_no_history_and_no_change(ctx):
    story = new_story(embargo_until=utcnow() + timedelta(days=2))
    before = changes()
    with pytest.raises(editorial.EditorialError, match="embargo"):
        editorial.publish("story", story.id, editorial.COMMAND_LINE)
    assert changes() == before
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 1
    assert db.session.get(Story, story.id).status == "draft"


def test_a_save_against_an_older_version_is_refused_and_changes_nothing(ctx, app):
    story = new_story(title="Origineel")
    editorial.save("story", story.id, {"title": "Door A"}, editorial.COMMAND_LINE, version=1)
    with pytest.raises(editorial.EditConflict) as caught:
        editorial.save("story", story.id, {"body": "Door B"}, editorial.IMPORT, version=1)
    assert caught.value.status_code == 409
    assert caught.value.version == 2 and caught.value.by == "de opdrachtregel"
    assert "gewijzigd door de opdrachtregel" in caught.value.message
    db.session.expire_all()
    saved = db.session.get(Story, story.id)
    assert (saved.title, saved.body, saved.version) == ("Door A", "Tekst.", 2)


def test_a_save_that_loses_the_race_after_reading_is_a_conflict_not_a_lost_update(ctx, app):
    """The version check passed, then another process committed: the UPDATE finds no row."""
    story = new_story(title="Origineel")
    assert db.session.get(Story, story.id).version == 1  # loaded in this session
    other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with other.begin() as connection:  # another process's transaction
        connection.execute(
            text("UPDATE stories SET title = 'Van elders', version = 2 WHERE id = :id"),
            {"id": story.id},
        )
    other.dispose()
    with pytest.raises(editorial.EditConflict):
        editorial.save("story", story.id, {"body": "Mijn tekst"}, editorial.IMPORT, version=1)
    db.session.expire_all()
    saved = db.session.get(Story, story.id)
    assert (saved.title, saved.body) == ("Van elders", "Tekst.")


def test_tags_are_upserted_once_by_slug_first_spelling_wins(ctx):
    first = editorial.tags_named(["Huiselijk geweld", "school", "School", " "])
    db.session.commit()
    again = editorial.tags_named(["huiselijk-geweld", "Pesten"])
    db.session.commit()
    assert [tag.name for tag in first] == ["Huiselijk geweld", "school"]
    assert again[0] is first[0]
    assert db.session.scalar(select(func.count(Tag.id))) == 3


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Sanne\u202egnitrats", "Sannegnitrats"),
        ("Een\u200b titel\u2066 met\u2069 stille tekens", "Een titel met stille tekens"),
        ("Twee\nregels", "Twee regels"),
    ],
)
def test_titles_lose_invisible_and_bidirectional_characters(ctx, title, expected):
    story = new_story(title=title)
    assert story.title == expected
    assert story.slug == expected.lower().replace(" ", "-")


def test_a_title_from_a_very_long_file_name_is_cut_at_a_word(ctx, show, app):
    name = ("een heel lang verhaal " * 50).strip() + ".mp3"
    with (AUDIO / "cbr.mp3").open("rb") as stream:
        result = editorial.create_episode(stream, name, editorial.COMMAND_LINE)
    episode = result.episode
    assert len(episode.title) <= 200 and episode.title.endswith("verhaal")
    assert len(episode.slug) <= 80
    assert set(episode.slug.split("-")) == {"een", "heel", "lang", "verhaal"}  # whole words


def test_a_new_episode_takes_the_tag_title_before_the_file_name(ctx, show):
    with (AUDIO / "cover-chapters.mp3").open("rb") as stream:
        tagged = editorial.create_episode(stream, "opname_3.mp3", editorial.COMMAND_LINE).episode
    with (AUDIO / "cbr.mp3").open("rb") as stream:
        untagged = editorial.create_episode(stream, "opname_3.mp3", editorial.COMMAND_LINE).episode
    assert (tagged.title, tagged.slug) == ("Testaflevering", "testaflevering")
    assert (untagged.title, untagged.slug) == ("opname 3", "opname-3")
    assert changes()[-1] == ("episode", untagged.id, 1, "saved")


def test_a_failed_transaction_removes_the_files_it_wrote(ctx, show, app):
    """The campaign was deleted meanwhile: nothing is kept, not even the audio."""
    with (
        (AUDIO / "cover-chapters.mp3").open("rb") as stream,
        pytest.raises(editorial.EditorialError, match="bestaat niet meer"),
    ):
        editorial.create_episode(stream, "a.mp3", editorial.COMMAND_LINE, {"campaign_id": 424242})
    assert media(app) == []
    assert db.session.scalar(select(func.count(Episode.id))) == 0
    assert changes() == []


def test_replaced_audio_is_removed_after_the_commit_and_kept_when_it_fails(ctx, show, app):
    with (AUDIO / "id3v24.mp3").open("rb") as stream:
        episode = editorial.create_episode(stream, "a.mp3", editorial.COMMAND_LINE).episode
    old = episode.audio_path
    with pytest.raises(editorial.EditConflict):  # opened at version 0: refused, old file stays
        editorial.replace_audio(
            episode.id,
            io.BytesIO((AUDIO / "vorbis.ogg").read_bytes()),
            "b.ogg",
            editorial.COMMAND_LINE,
            version=0,
        )
    assert old in media(app) and len([n for n in media(app) if not n.startswith(".")]) == 1
    result = editorial.replace_audio(
        episode.id,
        io.BytesIO((AUDIO / "vorbis.ogg").read_bytes()),
        "b.ogg",
        editorial.COMMAND_LINE,
        version=1,
    )
    assert old not in media(app) and result.episode.audio_path in media(app)
    assert changes()[-1] == ("episode", episode.id, 2, "audio_replaced")


def test_prune_keeps_what_a_follower_has_not_applied_and_what_is_recent(ctx):
    for number in range(4):
        new_story(title=f"Verhaal {number}")
    ids = [row.id for row in db.session.scalars(select(Change).order_by(Change.id))]
    old = utcnow() - timedelta(days=40)
    db.session.execute(Change.__table__.update().where(Change.id <= ids[2]).values(at=old))
    db.session.add(ChangeFollower(name="node-b", position=ids[1], seen_at=utcnow()))
    db.session.commit()
    assert changelog.prune() == 2  # ids 1-2: old and applied by every follower
    assert [entry.id for entry in changelog.since(0)] == ids[2:]
    assert changelog.pruned_through() == ids[1]
    changelog.report_position("node-b", ids[3])
    assert changelog.prune() == 1  # id 3 is old; id 4 is recent
    assert [entry.id for entry in changelog.since(0)] == ids[3:]
    new_story(title="Na het opruimen")
    assert changelog.last_id() > ids[3]  # ids never come back, also after pruning


def test_accounts_get_history_but_no_change_log(ctx):
    editor, created = editorial.create_or_reset(
        "nieuw@example.org", "een-goed-wachtwoord", "Nieuw\u202e", False, editorial.COMMAND_LINE
    )
    assert created and editor.display_name == "Nieuw"
    assert changes() == []
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.item_kind, event.action, event.actor) == (
        "editor",
        "account_created",
        "command_line",
    )


def test_campaigns_come_through_the_writer(ctx):
    from datetime import date

    campaign = editorial.save_campaign(
        None,
        {
            "slug": "week-2030",
            "name": "Week 2030",
            "year": 2030,
            "starts_on": date(2030, 11, 18),
            "ends_on": date(2030, 11, 24),
        },
        editorial.DEMO,
    )
    assert db.session.get(Campaign, campaign.id).name == "Week 2030"
    assert db.session.scalars(select(AuditEvent.actor)).one() == "demo"
