"""The media store: streamed, hashed, probed, renamed into place; nothing left on failure."""

from __future__ import annotations

import hashlib
import io
import stat
from pathlib import Path

import pytest

from archive.audio import AudioError
from archive.storage import CHUNK_SIZE, TEMP_PREFIX, MediaStore, StorageError, UploadTooLarge

AUDIO = Path(__file__).resolve().parent / "fixtures" / "audio"
BAD = ["truncated-vbr.mp3", "text.mp3", "image.m4a", "empty.mp3", "random.mp3", "zero-length.wav"]


@pytest.fixture
def store(tmp_path: Path) -> MediaStore:
    root = tmp_path / "media"
    root.mkdir()
    return MediaStore(root, max_bytes=500 * 1024 * 1024)


def listing(store: MediaStore) -> list[str]:
    return sorted(p.name for p in store.root.iterdir())


@pytest.mark.parametrize(
    ("fixture", "extension"),
    [("vbr-xing.mp3", ".mp3"), ("cover-chapters.m4a", ".m4a"), ("opus.opus", ".opus")],
)
def test_saved_audio_is_named_by_owner_and_content_hash(store, fixture, extension):
    data = (AUDIO / fixture).read_bytes()
    stored = store.save_audio(io.BytesIO(data), 42)
    digest = hashlib.sha256(data).hexdigest()
    assert stored.name == f"42-{digest[:12]}{extension}"
    assert (stored.size, stored.sha256) == (len(data), digest)
    assert store.path(stored.name).read_bytes() == data
    assert listing(store) == [stored.name]
    assert stored.info.duration > 8


def test_stored_files_are_readable_by_the_web_server(store):
    stored = store.save_audio(io.BytesIO((AUDIO / "cbr.mp3").read_bytes()), 1)
    mode = stat.S_IMODE(store.path(stored.name).stat().st_mode)
    assert mode & stat.S_IROTH


@pytest.mark.parametrize("fixture", BAD)
def test_bad_audio_is_refused_and_leaves_nothing(store, fixture):
    with pytest.raises(AudioError):
        store.save_audio(io.BytesIO((AUDIO / fixture).read_bytes()), 7)
    assert listing(store) == []


def test_any_failure_removes_the_temp_file(store):
    def exploding_probe(path: Path):
        assert path.name.startswith(TEMP_PREFIX) and path.exists()
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        store.save_audio(io.BytesIO(b"x" * 1000), 7, probe_file=exploding_probe)
    assert listing(store) == []


class EndlessAudio(io.RawIOBase):
    """An endless stream that notes how much was read and how big the temp file got."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = (AUDIO / "cbr.mp3").read_bytes()
        self.bytes_read = 0
        self.largest_temp_file = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        for temp in self.root.glob(f"{TEMP_PREFIX}*"):
            self.largest_temp_file = max(self.largest_temp_file, temp.stat().st_size)
        size = CHUNK_SIZE if size < 0 else size
        start = self.bytes_read % len(self.data)
        chunk = (self.data[start:] + self.data * (size // len(self.data) + 1))[:size]
        self.bytes_read += len(chunk)
        return chunk


def test_a_stream_over_the_limit_is_refused_while_streaming(tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    limit = 3 * CHUNK_SIZE + 12345
    store = MediaStore(root, max_bytes=limit)
    stream = EndlessAudio(root)
    with pytest.raises(UploadTooLarge) as caught:
        store.save_audio(stream, 3)
    assert "groter dan de limiet" in caught.value.message
    assert stream.bytes_read <= limit + CHUNK_SIZE  # stopped at once, not at the end
    assert stream.largest_temp_file <= limit  # never wrote past the limit
    assert listing(store) == []


def test_a_stream_exactly_at_the_limit_is_taken(tmp_path):
    data = (AUDIO / "cbr.mp3").read_bytes()
    store = MediaStore(tmp_path, max_bytes=len(data))
    assert store.save_audio(io.BytesIO(data), 1).size == len(data)


def test_the_same_bytes_for_another_episode_get_another_name(store):
    data = (AUDIO / "cbr.mp3").read_bytes()
    first = store.save_audio(io.BytesIO(data), 1)
    second = store.save_audio(io.BytesIO(data), 2)
    assert first.name != second.name
    assert listing(store) == sorted([first.name, second.name])


def test_delete_removes_the_file_and_tolerates_none(store):
    stored = store.save_audio(io.BytesIO((AUDIO / "cbr.mp3").read_bytes()), 1)
    store.delete(stored.name)
    store.delete(stored.name)  # already gone
    store.delete(None)
    assert listing(store) == []


@pytest.mark.parametrize("name", ["../etc/passwd", "a/b.mp3", ".upload-x", "", "/abs.mp3"])
def test_names_are_plain_file_names(store, name):
    with pytest.raises(StorageError):
        store.path(name)


def test_save_bytes_writes_atomically_under_the_name(store):
    assert store.save_bytes(b"\x89PNG plaatje", "5-cover-abc.png") == "5-cover-abc.png"
    assert store.path("5-cover-abc.png").read_bytes() == b"\x89PNG plaatje"
    assert listing(store) == ["5-cover-abc.png"]
