"""The media store: audio and artwork files in the media directory.

Incoming streams are never held in memory: they are written in chunks to a
temporary file in the media directory (same file system, so the final rename
is atomic), hashed on the way, fsynced, probed and only then renamed into
place under a name that carries the episode's id and a short content hash.
On any failure the temporary file is removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from .audio import AudioInfo, probe
from .errors import ArchiveError

log = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024
TEMP_PREFIX = ".upload-"
#: Stored files are read by the web server (X-Accel-Redirect); mkstemp makes them 0600.
FILE_MODE = 0o644


class UploadTooLarge(ArchiveError):
    status_code = 413


class StorageError(ArchiveError):
    status_code = 400


@dataclass(frozen=True)
class StagedFile:
    """Probed audio in a temporary file of the store, not yet anybody's."""

    path: Path
    size: int
    sha256: str
    info: AudioInfo


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int
    sha256: str
    info: AudioInfo


class MediaStore:
    """Files under ``root``; names handed out are plain file names, never paths."""

    def __init__(self, root: str | Path, max_bytes: int) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes

    def path(self, name: str) -> Path:
        """The path of a stored file; refuses anything that is not a plain name."""
        if not name or name != Path(name).name or name.startswith("."):
            raise StorageError("Ongeldige bestandsnaam.", f"unsafe media name {name!r}")
        return self.root / name

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def save_audio(
        self,
        stream: BinaryIO,
        owner_id: int | str,
        probe_file: Callable[[Path], AudioInfo] = probe,
    ) -> StoredFile:
        """Stream ``stream`` into the store as ``<owner_id>-<hash12><ext>``.

        Raises UploadTooLarge as soon as the stream passes ``max_bytes`` (at
        most one chunk more is read, nothing over the limit is written) and
        AudioError when the probe refuses the file; in both cases, and on any
        other failure, the temporary file is gone and nothing was stored.
        """
        with self.stage_audio(stream, probe_file) as staged:
            return self.place(staged, owner_id)

    @contextlib.contextmanager
    def stage_audio(
        self, stream: BinaryIO, probe_file: Callable[[Path], AudioInfo] = probe
    ) -> Iterator[StagedFile]:
        """Stream and probe ``stream`` into a temporary file, removed when the block ends.

        Staging needs no owner: the caller may retry its transaction and
        :meth:`place` the same bytes again under another owner id. Raises
        UploadTooLarge or AudioError (and then nothing stays behind).
        """
        fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=self.root)
        temp = Path(temp_name)
        try:
            size, digest = self._copy(stream, fd)
            info = probe_file(temp)
            os.chmod(temp, FILE_MODE)
            yield StagedFile(temp, size, digest, info)
        finally:
            temp.unlink(missing_ok=True)

    def place(self, staged: StagedFile, owner_id: int | str) -> StoredFile:
        """Give staged bytes their final name (a hard link: atomic, and the stage stays)."""
        name = f"{owner_id}-{staged.sha256[:12]}{staged.info.extension}"
        target = self.path(name)
        link = staged.path.with_name(f"{staged.path.name}.{secrets.token_hex(4)}")
        os.link(staged.path, link)
        try:
            os.replace(link, target)  # also over a leftover of an earlier, failed attempt
        except BaseException:
            link.unlink(missing_ok=True)
            raise
        self._sync_dir()
        return StoredFile(name=name, size=staged.size, sha256=staged.sha256, info=staged.info)

    def _copy(self, stream: BinaryIO, fd: int) -> tuple[int, str]:
        """Copy in chunks, hashing on the way; the limit is checked before each write."""
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK_SIZE):
                size += len(chunk)
                if size > self.max_bytes:
                    limit = self.max_bytes // (1024 * 1024)
                    raise UploadTooLarge(
                        f"Het bestand is groter dan de limiet van {limit} MB.",
                        f"stream exceeded {self.max_bytes} bytes",
                    )
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        return size, digest.hexdigest()

    def _sync_dir(self) -> None:
        """Make the rename itself durable (a crash must not lose the new name)."""
        try:
            fd = os.open(self.root, os.O_RDONLY)
        except OSError:  # not every platform opens directories
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)

    def save_bytes(self, data: bytes, name: str) -> str:
        """Write small bytes (artwork) atomically under ``name``."""
        target = self.path(name)
        fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=self.root)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp_name, FILE_MODE)
            os.replace(temp_name, target)
            self._sync_dir()
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        return name

    def delete(self, name: str | None) -> None:
        if name:
            self.path(name).unlink(missing_ok=True)

    def discard(self, names: Iterable[str | None]) -> None:
        """Delete files no row refers to any more; a failure is logged, not raised.

        Used after a commit (or a rollback), when raising would misreport what
        happened to the data; ``flask check`` reports a file that stayed.
        """
        for name in names:
            try:
                self.delete(name)
            except OSError:
                log.exception("could not delete media file %s", name)


def file_sha256(path: Path) -> str:
    """The sha256 of a file's content, read in chunks (never whole in memory)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def media_store() -> MediaStore:
    """The current app's media store."""
    return MediaStore(current_app.config["MEDIA_DIR"], current_app.config["MAX_UPLOAD_BYTES"])
