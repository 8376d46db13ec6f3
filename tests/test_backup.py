"""``flask backup`` while editors write, ``flask restore`` elsewhere: the restore drill."""

from __future__ import annotations

import io
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import FIXTURES, TEST_DATABASE_URL, make_config
from flask import Flask
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.pool import NullPool

from archive import create_app, editorial
from archive.models import Episode, Story, db

#: Audio the writers upload and swap (each replace deletes the file it replaces).
AUDIO = [(FIXTURES / "audio" / name).read_bytes() for name in ("id3v24.mp3", "cbr.mp3")]
WRITERS = 3


@contextmanager
def restore_target(source_config: dict, folder: Path) -> Iterator[Flask]:
    """An empty instance to restore into: a new SQLite file, or a new PostgreSQL database.

    On PostgreSQL the new database uses the schema name of the source (a dump
    names its schema), so restoring can never touch the source's tables.
    """
    folder.mkdir()
    if TEST_DATABASE_URL is None:
        app = create_app(make_config(folder, f"sqlite:///{folder / 'restored.sqlite'}"))
        yield app
        with app.app_context():
            db.engine.dispose()
        return
    name = f"r_{secrets.token_hex(6)}"
    admin = create_engine(TEST_DATABASE_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    source = make_url(source_config["SQLALCHEMY_DATABASE_URI"])
    url = source.set(database=name).render_as_string(hide_password=False)
    app = create_app(make_config(folder, url))
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()


class Writers:
    """Editors saving stories and uploading and replacing audio, each in a thread."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.stop = threading.Event()
        self.errors: list[BaseException] = []
        self.writes = [0] * WRITERS
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(WRITERS)]

    def run(self, number: int) -> None:
        with self.app.app_context():
            try:
                episode_id = None
                round_ = 0
                while not self.stop.is_set():
                    round_ += 1
                    editorial.save(
                        "story",
                        None,
                        {"title": f"Schrijver {number} verhaal {round_}", "body": "Tekst " * 50},
                        editorial.COMMAND_LINE,
                        publication=editorial.NOW,
                    )
                    audio = io.BytesIO(AUDIO[round_ % 2])
                    if episode_id is None:
                        episode_id = editorial.create_episode(
                            audio, f"w{number}.mp3", editorial.COMMAND_LINE,
                            {"title": f"Schrijver {number}"}, publication=editorial.NOW,
                        ).episode.id  # fmt: skip
                    else:
                        editorial.replace_audio(
                            episode_id, audio, f"w{number}.mp3", editorial.COMMAND_LINE
                        )
                    self.writes[number] += 1
                    if round_ % 4 == 0:
                        episode_id = None  # a new episode now and then
            except BaseException as error:
                self.errors.append(error)
            finally:
                db.session.remove()

    def __enter__(self) -> Writers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def wait_for(self, writes: int) -> None:
        deadline = time.monotonic() + 60
        while min(self.writes) < writes and not self.errors:
            assert time.monotonic() < deadline, "the writers did not get going"
            time.sleep(0.05)


def _committed() -> tuple[dict, dict]:
    db.session.expire_all()
    stories = {s.id: (s.version, s.title, s.body) for s in db.session.scalars(select(Story))}
    episodes = {e.id: (e.version, e.audio_sha256) for e in db.session.scalars(select(Episode))}
    db.session.rollback()
    return stories, episodes


def test_restore_drill_backup_while_editors_write_restores_everything_committed_before(
    app, app_config, runner, demo, tmp_path
):
    target = tmp_path / "backup"
    with Writers(app) as writers:
        writers.wait_for(3)
        stories_before, episodes_before = _committed()
        started = time.monotonic()
        result = runner.invoke(args=["backup", str(target)])
        elapsed = time.monotonic() - started
        writers.wait_for(min(writers.writes) + 2)  # still writing after the backup
    assert writers.errors == []
    assert result.exit_code == 0, result.output
    described = json.loads((target / "manifest.json").read_text())
    settings = json.loads((target / "settings.json").read_text())
    assert "SECRET_KEY" not in settings and "test-secret" not in json.dumps(settings)
    assert not any(name.startswith("index") for name in described["files"])

    with restore_target(app_config, tmp_path / "elders") as restored, restored.app_context():
        restore_runner = restored.test_cli_runner()
        outcome = restore_runner.invoke(args=["restore", str(target)])
        assert outcome.exit_code == 0, outcome.output
        check = restore_runner.invoke(args=["check", "--deep"])
        assert check.exit_code == 0, check.output
        assert check.output.strip().endswith("0 found, 0 repaired.")
        stories_after, episodes_after = _committed()
        assert set(stories_before) <= set(stories_after)
        assert set(episodes_before) <= set(episodes_after)
        for before, after in ((stories_before, stories_after), (episodes_before, episodes_after)):
            for item_id, state in before.items():
                assert after[item_id][0] >= state[0]
                if after[item_id][0] == state[0]:
                    assert after[item_id] == state
        found = restore_runner.invoke(args=["changes", "--limit", "1"])
        assert found.exit_code == 0
        assert restored.test_client().get("/zoeken?q=Schrijver").status_code == 200
    size = sum(entry["size"] for entry in described["files"].values())
    print(
        f"restore drill: {sum(described['counts'].values())} rows {described['counts']}, "
        f"{len(described['files'])} files, {size} bytes, backup {elapsed:.1f} s, "
        f"{sum(writers.writes)} writes in parallel"
    )


def test_restore_refuses_an_instance_that_is_not_empty(app, runner, demo, tmp_path):
    assert runner.invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0
    result = runner.invoke(args=["restore", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert "not empty" in result.output


def test_restore_refuses_a_damaged_backup(app, app_config, runner, demo, tmp_path):
    assert runner.invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0
    victim = next((tmp_path / "b" / "media").iterdir())
    victim.write_bytes(b"kapot")
    with restore_target(app_config, tmp_path / "elders") as restored, restored.app_context():
        result = restored.test_cli_runner().invoke(args=["restore", str(tmp_path / "b")])
        assert result.exit_code == 1
        assert "damaged" in result.output and victim.name in result.output


def test_backup_refuses_a_folder_that_is_not_empty(runner, ctx, tmp_path):
    (tmp_path / "vol").mkdir()
    (tmp_path / "vol" / "iets").write_text("x")
    result = runner.invoke(args=["backup", str(tmp_path / "vol")])
    assert result.exit_code == 1
    assert "not empty" in result.output
