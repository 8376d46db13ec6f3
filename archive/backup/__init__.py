"""``flask backup`` and ``flask restore``: a consistent copy of the archive while it runs.

A backup folder holds::

    database.sqlite | database.pgdump   the database at one moment (see .snapshot)
    media/<name>                        every media file that database refers to
    settings.json                       the settings that are not secrets
    manifest.json                       every file with its size and sha256

Media files are immutable (a name carries the content's hash) but can be
deleted after a commit stops referring to them. So before the database is
copied, every media file gets a hard link in a staging folder inside the
media directory; the files the copy refers to are then taken from there
(or, if they are newer than the links, from the media directory). The search
index is not copied: a restore rebuilds it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from .. import database, manifest, search
from ..models import db, utcnow
from ..storage import TEMP_PREFIX, media_store
from .snapshot import DATABASE_FILES, SNAPSHOTS, Snapshot, SnapshotError, count_rows

BACKUP_KIND = "archive-backup"
#: Settings copied into settings.json (never the secret key, passwords or URLs with them).
SETTINGS: tuple[str, ...] = (
    "BASE_URL",
    "MAX_UPLOAD_MB",
    "PROXY_FIX",
    "X_ACCEL_REDIRECT",
    "FOLLOW_POLL_SECONDS",
    "REQUIRE_2FA",
    "WEBSUB_HUB",
    "EXTRA_HOSTS",
)
STAGING_PREFIX = ".backup-"
#: Attempts when a file the copy refers to vanished before it could be linked.
ATTEMPTS = 3


class BackupError(Exception):
    """A backup or restore that cannot be made; the message says why (for operators)."""


@dataclass(frozen=True)
class BackupReport:
    counts: dict[str, int]
    files: int
    size: int
    seconds: float

    def __str__(self) -> str:
        parts = ", ".join(f"{count} {table}" for table, count in self.counts.items())
        return f"{parts}; {self.files} files, {self.size} bytes in {self.seconds:.1f} s."


def _dialect() -> str:
    return db.engine.dialect.name


def _stage_media(media: Path) -> Path:
    """Hard links to every media file as it is now, in a folder inside ``media``."""
    staging = media / f"{STAGING_PREFIX}{secrets.token_hex(6)}"
    staging.mkdir()
    for path in media.iterdir():
        if path.is_file() and not path.name.startswith("."):
            try:
                os.link(path, staging / path.name)
            except FileNotFoundError:  # deleted meanwhile: nothing refers to it any more
                continue
    return staging


def _copy_referenced(snapshot: Snapshot, media: Path, staging: Path, target: Path) -> list[str]:
    """Copy the files the snapshot refers to; the names that were found nowhere."""
    missing = []
    for name in sorted(snapshot.references):
        for source in (staging / name, media / name):
            try:
                shutil.copyfile(source, target / name)
                break
            except FileNotFoundError:
                continue
        else:
            missing.append(name)
    return missing


def _settings() -> dict[str, object]:
    config = current_app.config
    return {name: config.get(name) for name in SETTINGS} | {"DATABASE": _dialect()}


def backup(target: Path) -> BackupReport:
    """Copy the database, the media it refers to and the settings into ``target``."""
    started = time.monotonic()
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"{target} is not empty")
    media = media_store().root
    take, _ = SNAPSHOTS[_dialect()]
    database_file = target / DATABASE_FILES[_dialect()]
    for _attempt in range(ATTEMPTS):
        staging = _stage_media(media)
        try:
            moment = utcnow()
            try:
                snapshot = take(db.engine, database_file)
            except SnapshotError as exc:
                raise BackupError(str(exc)) from None
            (target / "media").mkdir(exist_ok=True)
            missing = _copy_referenced(snapshot, media, staging, target / "media")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        if not missing:
            break
        shutil.rmtree(target / "media")
        database_file.unlink()
    else:
        raise BackupError(f"media files vanished during the backup: {', '.join(missing)}")
    (target / "settings.json").write_text(
        json.dumps(_settings(), indent=2, default=str) + "\n", encoding="utf-8"
    )
    written = manifest.write(
        target,
        BACKUP_KIND,
        database=_dialect(),
        schema=database.current_revision(),
        taken_at=moment.isoformat(),
        counts=snapshot.counts,
    )
    files = written["files"]
    size = sum(entry["size"] for entry in files.values())
    return BackupReport(snapshot.counts, len(files), size, time.monotonic() - started)


def _check_empty() -> None:
    if database.current_revision() is None:
        return
    counts = count_rows(db.engine)
    if any(counts.values()):
        raise BackupError(f"the database is not empty ({counts}); restore into an empty one")
    media = media_store().root
    if any(p.is_file() and not p.name.startswith(".") for p in media.iterdir()):
        raise BackupError(f"the media directory {media} is not empty")


def _place_media(source: Path) -> None:
    store = media_store()
    for path in sorted(source.iterdir()):
        temp = store.root / f"{TEMP_PREFIX}{secrets.token_hex(6)}"
        shutil.copyfile(path, temp)
        os.replace(temp, store.path(path.name))


def restore(source: Path) -> BackupReport:
    """Restore the backup in ``source`` into this (empty) instance and rebuild the index."""
    started = time.monotonic()
    try:
        described = manifest.read(source)
    except ValueError as exc:
        raise BackupError(str(exc)) from None
    if described.get("kind") != BACKUP_KIND:
        raise BackupError(f"{source} is not a backup (kind {described.get('kind')!r})")
    if described["database"] != _dialect():
        raise BackupError(
            f"the backup is of a {described['database']} database, this instance uses "
            f"{_dialect()}; use flask export and flask import to move between them"
        )
    problems = manifest.problems(source, described)
    if problems:
        raise BackupError("the backup is damaged: " + "; ".join(problems))
    _check_empty()
    _, put_back = SNAPSHOTS[_dialect()]
    try:
        put_back(db.engine, source / DATABASE_FILES[_dialect()])
    except SnapshotError as exc:
        raise BackupError(str(exc)) from None
    counts = count_rows(db.engine)
    if counts != described["counts"]:
        raise BackupError(f"restored {counts}, the backup holds {described['counts']}")
    database.upgrade()
    if (source / "media").is_dir():
        _place_media(source / "media")
    search.rebuild()
    files = described["files"]
    size = sum(entry["size"] for entry in files.values())
    return BackupReport(counts, len(files), size, time.monotonic() - started)


__all__ = ["BackupError", "BackupReport", "SnapshotError", "backup", "restore"]
