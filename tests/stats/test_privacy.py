"""Nothing that identifies a visitor is kept: a salt per day, destroyed after it; k-anonymity."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import select

from archive.models import Base, StatsProgress, StatsQuery, StatsSalt, StatsSearcher, db
from archive.stats import store

from .conftest import DAY_ONE, DAY_TWO, FIREFOX, flush

ADDRESS = "198.51.100.77"
AGENT = "AntennaPod/3.2.0 (Kenmerkend-Toestel-42)"


def test_the_same_visitor_gets_another_hash_the_next_day(app, visitor, audio_url):
    listener = visitor(ADDRESS, AGENT)
    listener.get(audio_url, Range="bytes=0-99")
    flush(app)
    first = db.session.scalars(select(StatsProgress.visitor)).one()
    first_salt = db.session.scalars(select(StatsSalt.salt)).one()
    app.config["NOW"] = DAY_TWO
    listener.get(audio_url, Range="bytes=0-99")
    flush(app)
    db.session.expire_all()
    progress = db.session.execute(select(StatsProgress.day, StatsProgress.visitor)).all()
    assert [day for day, _ in progress] == [DAY_TWO.date()]
    assert progress[0].visitor != first
    salts = db.session.execute(select(StatsSalt.day, StatsSalt.salt)).all()
    assert salts == [(DAY_TWO.date(), salts[0].salt)]
    assert salts[0].salt != first_salt


def test_hash_needs_the_salt():
    assert store.visitor_hash("a" * 64, ADDRESS, AGENT) != store.visitor_hash(
        "b" * 64, ADDRESS, AGENT
    )
    assert store.visitor_hash("a" * 64, ADDRESS, AGENT) == store.visitor_hash(
        "a" * 64, ADDRESS, AGENT
    )


def _every_stored_value() -> str:
    """Every value in every table, as text."""
    values = []
    with db.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                values.extend(str(value) for value in row)
    return "\n".join(values)


def test_no_address_or_user_agent_reaches_the_database_or_the_log(
    app, visitor, audio_url, demo, caplog
):
    caplog.set_level(logging.DEBUG)
    listener = visitor(ADDRESS, AGENT)
    listener.get(audio_url)
    listener.get("/zoeken?q=vader")
    listener.get("/podcast")
    flush(app)
    stored = _every_stored_value()
    assert "stats" in "".join(t.name for t in Base.metadata.sorted_tables)
    assert db.session.scalar(select(StatsProgress.visitor)) in stored  # the check sees hashes
    for secret in (ADDRESS, AGENT, "Kenmerkend-Toestel-42"):
        assert secret not in stored
        assert secret not in caplog.text


@pytest.mark.sqlite_only("reads the SQLite file itself")
def test_no_address_or_user_agent_in_the_database_file(app, visitor, audio_url):
    visitor(ADDRESS, AGENT).get(audio_url)
    flush(app)
    with db.engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
    path = Path(db.engine.url.database)
    data = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert ADDRESS.encode() not in data
    assert b"Kenmerkend-Toestel" not in data


def _search_by(visitor, address: str, query: str) -> None:  # type: ignore[no-untyped-def]
    assert visitor(address, FIREFOX).get(f"/zoeken?q={query}").status_code == 200


def _shown_queries(editor_client) -> str:  # type: ignore[no-untyped-def]
    return editor_client.get("/beheer/statistiek/zoekopdrachten.csv").get_data(as_text=True)


def test_a_query_is_shown_only_when_three_visitors_typed_it(app, visitor, demo, editor_client):
    for _ in range(5):
        _search_by(visitor, "192.0.2.1", "Jan  Jansen")
    _search_by(visitor, "192.0.2.2", "jan jansen")
    flush(app)
    assert "jan jansen" not in _shown_queries(editor_client)
    _search_by(visitor, "192.0.2.3", "JAN JANSEN")
    flush(app)
    assert "jan jansen,7" in _shown_queries(editor_client)


def test_empty_searches_are_k_anonymous_too(app, visitor, demo, editor_client):
    for address in ("192.0.2.1", "192.0.2.2"):
        _search_by(visitor, address, "xyzzyonvindbaar")
    flush(app)
    csv = editor_client.get("/beheer/statistiek/zonder-resultaat.csv").get_data(as_text=True)
    assert csv.splitlines() == ["zoekopdracht,aantal"]
    _search_by(visitor, "192.0.2.3", "xyzzyonvindbaar")
    flush(app)
    csv = editor_client.get("/beheer/statistiek/zonder-resultaat.csv").get_data(as_text=True)
    assert csv.splitlines() == ["zoekopdracht,aantal", "xyzzyonvindbaar,3"]


def test_queries_too_few_typed_are_deleted_with_the_day(app, visitor, demo):
    _search_by(visitor, "192.0.2.1", "een naam")
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        _search_by(visitor, address, "pesten")
    flush(app)
    assert db.session.scalar(select(StatsSearcher.visitor).limit(1)) is not None
    app.config["NOW"] = DAY_TWO
    _search_by(visitor, "192.0.2.1", "vader")
    flush(app)
    db.session.expire_all()
    kept = db.session.execute(select(StatsQuery.day, StatsQuery.query)).all()
    assert (DAY_ONE.date(), "een naam") not in kept
    assert (DAY_ONE.date(), "pesten") in kept
    assert {day for day in db.session.scalars(select(StatsSearcher.day))} == {DAY_TWO.date()}


def test_a_backup_holds_no_salt_and_no_visitor_pseudonym(app, visitor, audio_url, demo, tmp_path):
    """A backup outlives the day: the day's salt and salted hashes stay out of it."""
    import subprocess

    from archive import backup

    listener = visitor(ADDRESS, AGENT)
    listener.get(audio_url)
    listener.get("/zoeken?q=vader")
    flush(app)
    salt = db.session.scalar(select(StatsSalt.salt))
    pseudonym = db.session.scalar(select(StatsProgress.visitor))
    assert salt and pseudonym

    target = tmp_path / "kopie"
    backup.backup(target)
    if db.engine.dialect.name == "sqlite":
        data = (target / "database.sqlite").read_bytes()
    else:  # the custom format is compressed: read it back as SQL text
        dump = target / "database.pgdump"
        data = subprocess.run(["pg_restore", "-f", "-", str(dump)], capture_output=True).stdout
        assert b"stats_salts" in data  # the table is there, its rows are not
    assert len(data) > 10_000  # the content is in it
    for secret in (salt, pseudonym, ADDRESS, AGENT):
        assert secret.encode() not in data
    # The live database still counts today (nothing was taken from it).
    assert db.session.scalar(select(StatsSalt.salt)) == salt
