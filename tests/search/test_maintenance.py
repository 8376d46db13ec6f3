"""Keeping the index current: editorial actions, failures, rebuilds, several writers."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from archive import editorial, search
from archive.models import Story, db
from archive.search import store as store_module
from archive.search import sync

from .conftest import slugs


def found(index_dir: str, text: str) -> list[str]:
    return slugs(search.query(index_dir, text))


def test_saving_a_draft_does_not_index_it_and_publishing_does(editor, index_dir) -> None:
    story = Story(slug="nieuw", title="Nieuw verhaal", body="Over de meldcode.")
    editorial.save(story, editor, "created")
    assert found(index_dir, "meldcode") == []
    editorial.publish(story, editor)
    assert found(index_dir, "meldcode") == ["nieuw"]


def test_an_edit_is_searchable_at_once(editor, indexed_story, index_dir) -> None:
    story = indexed_story("verhaal", body="Over de juf.")
    story.body = "Over de trainer van de sportclub."
    editorial.save(story, editor, "changed")
    assert found(index_dir, "sportclub") == ["verhaal"]
    assert found(index_dir, "juf") == []


def test_withdrawn_and_deleted_items_disappear(editor, indexed_story, index_dir) -> None:
    one = indexed_story("een", body="pesten")
    two = indexed_story("twee", body="pesten")
    editorial.withdraw(one, editor, "verteller wil het niet meer")
    assert found(index_dir, "pesten") == ["twee"]
    editorial.delete(two, editor)
    assert found(index_dir, "pesten") == []


def test_scheduled_item_appears_when_its_time_comes(editor, index_dir) -> None:
    from datetime import timedelta

    from archive.models import utcnow

    story = Story(slug="later", title="Later", body="jeugdzorg")
    editorial.save(story, editor, "created")
    editorial.publish(story, editor, at=utcnow() + timedelta(hours=2))
    assert found(index_dir, "jeugdzorg") == []
    later = search.query(index_dir, "jeugdzorg", now=utcnow() + timedelta(hours=3))
    assert slugs(later) == ["later"]


def test_the_public_filter_is_never_reused_for_another_moment(editor, index_dir) -> None:
    from datetime import timedelta

    from archive.models import utcnow

    story = Story(slug="straks", title="Straks", body="jeugdzorg")
    editorial.save(story, editor, "created")
    editorial.publish(story, editor, at=utcnow() + timedelta(hours=2))
    for hours, expected in [(3, ["straks"]), (0, []), (1, []), (2.5, ["straks"]), (0, [])]:
        moment = utcnow() + timedelta(hours=hours)
        assert slugs(search.query(index_dir, "jeugdzorg", now=moment)) == expected, hours


def test_a_failed_index_update_marks_the_item_and_the_request_succeeds(
    editor, index_dir, monkeypatch, runner
) -> None:
    def broken(self, item, documents):
        raise OSError("disk full")

    monkeypatch.setattr(store_module.IndexStore, "write_item", broken)
    story = Story(slug="vlag", title="Vlag", body="signalen")
    editorial.save(story, editor, "created")
    editorial.publish(story, editor)  # does not raise
    db.session.expire_all()
    assert db.session.get(Story, story.id).needs_reindex
    monkeypatch.undo()
    assert found(index_dir, "signalen") == []
    result = runner.invoke(args=["check", "--repair"])
    assert "ontbreekt in de zoekindex: story vlag (hersteld)" in result.output
    assert found(index_dir, "signalen") == ["vlag"]
    db.session.expire_all()
    assert not db.session.get(Story, story.id).needs_reindex


def test_editor_routes_update_the_index(app, editor, indexed_story, index_dir) -> None:
    from tests.editor.conftest import IsolatedClient, log_in, post_form

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


def test_changes_during_a_rebuild_are_kept(make_story, index_dir, monkeypatch) -> None:
    keep = make_story("blijft", body="oude tekst")
    gone = make_story("verdwijnt", body="pleegouders")
    original = sync._documents

    def documents_with_interruption(report):
        for number, document in enumerate(original(report)):
            if number == 0:  # an editor saves and deletes while the rebuild reads
                keep.body = "nieuwe tekst over pleegouders"
                db.session.commit()
                search.update_item(keep)
                db.session.delete(gone)
                db.session.commit()
                search.remove_item("story", gone.id)
            yield document

    monkeypatch.setattr(sync, "_documents", documents_with_interruption)
    report = search.rebuild()
    assert report.replayed == 2
    assert found(index_dir, "pleegouders") == ["blijft"]


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
