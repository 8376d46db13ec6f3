"""Keeping the index current: editorial actions, failures, rebuilds, several writers."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from archive import editorial, search
from archive.editorial import changelog
from archive.models import Story, db
from archive.search import store as store_module

from .conftest import slugs


def found(index_dir: str, text: str) -> list[str]:
    return slugs(search.query(index_dir, text))


def new_story(editor, slug: str, body: str, **values) -> Story:
    return editorial.save(
        "story", None, {"title": slug.capitalize(), "slug": slug, "body": body, **values}, editor
    )


def test_saving_a_draft_does_not_index_it_and_publishing_does(editor, index_dir) -> None:
    story = new_story(editor, "nieuw", "Over de meldcode.")
    assert found(index_dir, "meldcode") == []
    editorial.publish("story", story.id, editor)
    assert found(index_dir, "meldcode") == ["nieuw"]


def test_an_edit_is_searchable_at_once(editor, index_dir) -> None:
    story = new_story(editor, "verhaal", "Over de juf.")
    editorial.publish("story", story.id, editor)
    editorial.save("story", story.id, {"body": "Over de trainer van de sportclub."}, editor)
    assert found(index_dir, "sportclub") == ["verhaal"]
    assert found(index_dir, "juf") == []


def test_withdrawn_and_deleted_items_disappear(editor, index_dir) -> None:
    one = editorial.publish("story", new_story(editor, "een", "pesten").id, editor)
    two = editorial.publish("story", new_story(editor, "twee", "pesten").id, editor)
    editorial.withdraw("story", one.id, "verteller wil het niet meer", editor)
    assert found(index_dir, "pesten") == ["twee"]
    editorial.delete("story", two.id, editor)
    assert found(index_dir, "pesten") == []


def test_the_index_follows_the_change_log_and_catches_up_after_being_down(
    app, editor, index_dir
) -> None:
    """A node whose follower did not run (down, or another node wrote) catches up by id."""
    followers = app.extensions["archive.change_followers"]
    saved, followers[:] = list(followers), []  # this process hears of nothing
    story = new_story(editor, "later-gezien", "vertrouwensarts")
    editorial.publish("story", story.id, editor)
    other = editorial.publish("story", new_story(editor, "weg", "vertrouwensarts").id, editor)
    editorial.delete("story", other.id, editor)
    assert found(index_dir, "vertrouwensarts") == []
    assert search.position() < changelog.last_id()
    followers[:] = saved
    assert search.follow() == 5  # two saves, two publications, one deletion
    assert found(index_dir, "vertrouwensarts") == ["later-gezien"]
    assert search.position() == changelog.last_id()
    assert search.follow() == 0


def test_scheduled_item_appears_when_its_time_comes(editor, index_dir) -> None:
    from datetime import timedelta

    from archive.models import utcnow

    story = new_story(editor, "later", "jeugdzorg")
    editorial.publish("story", story.id, editor, at=utcnow() + timedelta(hours=2))
    assert found(index_dir, "jeugdzorg") == []
    later = search.query(index_dir, "jeugdzorg", now=utcnow() + timedelta(hours=3))
    assert slugs(later) == ["later"]


def test_the_public_filter_is_never_reused_for_another_moment(editor, index_dir) -> None:
    from datetime import timedelta

    from archive.models import utcnow

    story = new_story(editor, "straks", "jeugdzorg")
    editorial.publish("story", story.id, editor, at=utcnow() + timedelta(hours=2))
    for hours, expected in [(3, ["straks"]), (0, []), (1, []), (2.5, ["straks"]), (0, [])]:
        moment = utcnow() + timedelta(hours=hours)
        assert slugs(search.query(index_dir, "jeugdzorg", now=moment)) == expected, hours


def test_a_failed_index_update_does_not_fail_the_save_and_is_caught_up(
    editor, index_dir, monkeypatch, runner
) -> None:
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store_module.IndexStore, "writer", broken)
    story = new_story(editor, "vlag", "signalen")
    editorial.publish("story", story.id, editor)  # does not raise: the database has it
    assert db.session.get(Story, story.id).is_public
    monkeypatch.undo()
    assert found(index_dir, "signalen") == []
    assert search.position() < changelog.last_id()
    result = runner.invoke(args=["check", "--repair"])
    assert "zoekindex loopt achter op het wijzigingslog" in result.output
    assert "(hersteld)" in result.output
    assert found(index_dir, "signalen") == ["vlag"]
    assert runner.invoke(args=["check"]).output.strip() == "0 found, 0 repaired."


def test_editor_routes_update_the_index(app, editor, indexed_story, index_dir) -> None:
    from editor.conftest import IsolatedClient, log_in, post_form

    story = indexed_story("route", body="meldcode")
    app.test_client_class = IsolatedClient
    client = app.test_client()
    log_in(client, editor.email, "een-goed-wachtwoord")
    url = f"/beheer/verhalen/{story.id}/offline"
    response = post_form(client, url, {"reason": "test"})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    assert found(index_dir, "meldcode") == []


def test_reindex_command_rebuilds_and_swaps(runner, make_story, index_dir) -> None:
    make_story("niet-geindexeerd", body="vertrouwenspersoon")  # committed, never indexed
    assert found(index_dir, "vertrouwenspersoon") == []
    before = search.index_store().current()
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 1 stories" in result.output
    assert found(index_dir, "vertrouwenspersoon") == ["niet-geindexeerd"]
    assert search.index_store().current() != before
    assert (Path(index_dir) / "current").is_symlink()


def test_searches_keep_working_during_a_rebuild(make_story, index_dir) -> None:
    for number in range(30):
        make_story(f"v{number}", body=f"De juf en verhaal {number}.")
    search.rebuild()
    errors: list[BaseException] = []
    totals: list[int] = []
    stop = threading.Event()

    def keep_searching() -> None:
        while not stop.is_set():
            try:
                totals.append(search.query(index_dir, "juf").total)
            except BaseException as error:
                errors.append(error)
                return

    worker = threading.Thread(target=keep_searching)
    worker.start()
    try:
        for _ in range(3):
            search.rebuild()
    finally:
        stop.set()
        worker.join()
    assert not errors
    assert totals and set(totals) == {30}
    assert len(search.index_store().generations()) <= 2


def test_changes_during_a_rebuild_are_kept(editor, index_dir, monkeypatch) -> None:
    keep = editorial.publish("story", new_story(editor, "blijft", "oude tekst").id, editor)
    gone = editorial.publish("story", new_story(editor, "verdwijnt", "pleegouders").id, editor)

    def edit_while_reading(items: int, documents: int) -> None:
        if items == 1:  # an editor saves and deletes while the rebuild reads
            editorial.save("story", keep.id, {"body": "nieuwe tekst over pleegouders"}, editor)
            editorial.delete("story", gone.id, editor)

    report = search.rebuild(progress=edit_while_reading)
    assert report.replayed == 2
    assert found(index_dir, "pleegouders") == ["blijft"]
    assert search.position() == changelog.last_id()


def test_a_second_rebuild_is_refused_while_one_runs(index_dir) -> None:
    store = search.index_store()
    with store.rebuilding(), pytest.raises(search.RebuildRunning):
        search.rebuild()


def _index_in_child(config: dict, ids: list[int]) -> None:
    from archive import create_app
    from archive import search as child_search
    from archive.models import Story as ChildStory
    from archive.models import db as child_db

    app = create_app(config)
    with app.app_context():
        for story_id in ids:
            assert child_search.update_item(child_db.session.get(ChildStory, story_id))
        child_db.engine.dispose()


def test_two_processes_write_at_once_and_no_update_is_lost(app_config, make_story, index_dir):
    ids = [make_story(f"proces-{n}", body=f"signalen nummer {n}").id for n in range(40)]
    search.index_store().ensure()
    context = multiprocessing.get_context("spawn")
    children = [
        context.Process(target=_index_in_child, args=(app_config, ids[half::2])) for half in (0, 1)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
    assert [child.exitcode for child in children] == [0, 0]
    results = search.query(index_dir, "signalen", page_size=50)
    assert results.total == 40


def test_an_index_analysed_by_an_older_version_must_be_rebuilt(index_dir) -> None:
    store = search.index_store()
    generation = store.ensure()
    assert store.schema_is_current(generation)
    (generation / store_module.ANALYSIS_FILE).unlink()  # as before the version was kept
    assert not store.schema_is_current(generation)
    with pytest.raises(search.OutdatedIndex):
        search.follow()
    assert store.schema_is_current(search.rebuild().generation)


def test_a_campaigns_new_slug_reaches_the_index(
    app, editor, indexed_story, index_dir, campaign
) -> None:
    story = indexed_story("de-buurvrouw", body="De buurvrouw belde.", campaign=campaign)
    assert slugs(search.query(index_dir, "buurvrouw", filters={"campaign": "week-2021"}))
    editorial.save_campaign(campaign.id, {"slug": "week-tegen-kindermishandeling-2021"}, editor)

    renamed = search.query(
        index_dir, "buurvrouw", filters={"campaign": "week-tegen-kindermishandeling-2021"}
    )
    assert slugs(renamed) == ["de-buurvrouw"]
    assert slugs(search.query(index_dir, "buurvrouw", filters={"campaign": "week-2021"})) == []
    latest = editorial.history(db.session.get(Story, story.id))[0]
    assert latest.action == "campaign_changed"
