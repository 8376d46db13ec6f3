"""The cache of search answers: reused while nothing can have changed, never stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from archive import editorial, search
from archive.models import Story, db

from .conftest import slugs


def ask(text: str, cache: search.ResultCache, now: datetime | None = None, **options):
    return search.query(search.index_store(), text, cache=cache, now=now, **options)


def test_a_repeated_question_is_answered_from_the_cache(indexed_story, ctx):
    indexed_story("meldcode-verhaal", body="De meldcode helpt bij twijfel.")
    cache = search.ResultCache(10)
    first = ask("meldcode", cache)
    second = ask("meldcode", cache)
    assert (cache.stats.misses, cache.stats.hits) == (1, 1)
    assert slugs(second) == slugs(first) == ["meldcode-verhaal"]
    assert second.to_dict() == first.to_dict()
    # A copy each time: a caller changing its answer changes nobody else's.
    second.hits.clear()
    assert slugs(ask("meldcode", cache)) == ["meldcode-verhaal"]
    # Another page, sort, filter or text is another question.
    ask("meldcode", cache, sort="date")
    ask("meldcode", cache, filters={"kind": "story"})
    ask("meldcode ", cache)
    assert cache.stats.misses == 4


def test_a_save_and_a_withdrawal_are_seen_at_once(indexed_story, editor, ctx):
    story = indexed_story("gewoon", body="Een verhaal over de sportclub.")
    cache = search.ResultCache(10)
    assert slugs(ask("zebrapad", cache)) == []
    editorial.save("story", story.id, {"body": "Over het zebrapad."}, editor)
    assert slugs(ask("zebrapad", cache)) == ["gewoon"]
    editorial.withdraw("story", story.id, "test", editor)
    assert slugs(ask("zebrapad", cache)) == []
    assert cache.stats.hits == 0


def test_a_scheduled_item_appears_at_its_moment_and_not_before(indexed_story, ctx):
    moment = datetime.now(UTC) + timedelta(hours=2)
    story = indexed_story("gepland", state="draft", body="Over de vuurtoren.")
    story.publish(moment)
    db.session.commit()
    assert search.update_item(db.session.get(Story, story.id))
    cache = search.ResultCache(10)
    before = moment - timedelta(minutes=1)
    assert slugs(ask("vuurtoren", cache, now=before)) == []
    assert slugs(ask("vuurtoren", cache, now=before + timedelta(seconds=30))) == []
    assert cache.stats.hits == 1  # still before its moment: the same answer holds
    assert slugs(ask("vuurtoren", cache, now=moment + timedelta(seconds=1))) == ["gepland"]
    assert cache.stats.hits == 1


def test_the_cache_keeps_at_most_its_number_of_answers(indexed_story, ctx):
    indexed_story("iets", body="woord")
    cache = search.ResultCache(3)
    for word in ("een", "twee", "drie", "vier", "vijf"):
        ask(word, cache)
    assert len(cache) == 3
    ask("een", cache)  # the oldest went first
    assert cache.stats.hits == 0
    ask("vijf", cache)
    assert cache.stats.hits == 1


def test_zero_entries_turns_the_cache_off(indexed_story, ctx):
    indexed_story("iets", body="woord")
    cache = search.ResultCache(0)
    ask("woord", cache)
    ask("woord", cache)
    assert cache.stats.hits == 0 and len(cache) == 0


def test_the_search_page_uses_the_apps_cache(app, client, indexed_story, ctx):
    indexed_story("meldcode-verhaal", body="De meldcode helpt bij twijfel.")
    cache = search.result_cache()
    before = cache.stats.hits
    for _ in range(3):
        assert client.get("/zoeken.json?q=meldcode").get_json()["total"] == 1
    assert cache.stats.hits == before + 2
