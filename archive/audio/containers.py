"""Checks of what a file's headers promise against what the file holds.

A header (Xing, an MP4 atom, a RIFF chunk) that promises more bytes than the
file has means the file was cut short, usually by an interrupted upload or
copy. mutagen trusts headers; these checks do not.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from . import mpeg
from .model import AudioError

#: Share of a stream that may be missing before a file counts as incomplete.
MISSING_TOLERANCE = 0.005
#: Absolute slack in bytes (encoders round; some count a tag in the total).
MISSING_SLACK = 4096
#: Share of an MP3 stream that may be unparseable junk between frames.
JUNK_TOLERANCE = 0.10


def _minutes(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d} minuten" if minutes else f"{secs} seconden"


def _truncated(cause: str, expected_seconds: float | None = None) -> AudioError:
    expected = f" ({_minutes(expected_seconds)})" if expected_seconds else ""
    return AudioError.because("truncated", cause, expected=expected)


def _short(promised: int, available: int) -> bool:
    return promised - available > max(MISSING_SLACK, promised * MISSING_TOLERANCE)


def mp3_duration(fileobj: BinaryIO, size: int, info: Any) -> tuple[float, int | None]:
    """The true duration of an MP3 (and its mean bitrate when counted).

    With a Xing/Info/VBRI header that matches the file, mutagen's figure is
    exact (it also subtracts the encoder's padding). Without one, or when the
    header describes less than the file holds, the frames are counted.
    """
    start = mpeg.skip_id3v2(fileobj)
    first_offset = mpeg.find_first_frame(fileobj, start)
    if first_offset is None:
        raise AudioError.because("corrupt", "no chain of MPEG audio frames")
    fileobj.seek(first_offset)
    data = fileobj.read(4096)
    first = mpeg.parse_header(data)
    if first is None:  # find_first_frame only returns parseable headers
        raise AudioError.because("corrupt", "first MPEG frame vanished")
    end = size - mpeg.trailing_tags(fileobj, size)
    available = end - first_offset
    header = mpeg.read_vbr_header(data[: first.length], first)
    if header is not None and header.frames:
        promised_seconds = header.frames * first.samples / first.sample_rate
        if header.bytes:
            if _short(header.bytes, available):
                raise _truncated(
                    f"{header.kind} header promises {header.bytes} bytes, file holds {available}",
                    promised_seconds,
                )
            if not _short(available, header.bytes):  # the header describes this file
                return float(info.length), None
        else:
            counted = mpeg.walk(fileobj, first_offset + first.length, end, first)
            if _short(header.frames, counted.frames):
                raise _truncated(
                    f"{header.kind} header promises {header.frames} frames, "
                    f"file holds {counted.frames}",
                    promised_seconds,
                )
            if not _short(counted.frames, header.frames):
                return float(info.length), None
    counted = mpeg.walk(fileobj, first_offset, end, first)
    if counted.junk_bytes > JUNK_TOLERANCE * max(available, 1):
        raise AudioError.because(
            "corrupt", f"{counted.junk_bytes} of {available} bytes are not MPEG frames"
        )
    duration = counted.samples / first.sample_rate
    bitrate = round(counted.audio_bytes * 8 / duration) if duration else None
    return duration, bitrate


def wav_duration(fileobj: BinaryIO, size: int, info: Any) -> float:
    """A WAV's duration from its data chunk, refusing a chunk the file does not hold."""
    offset = 12
    while offset + 8 <= size:
        fileobj.seek(offset)
        head = fileobj.read(8)
        chunk_id, chunk_size = head[:4], int.from_bytes(head[4:8], "little")
        if chunk_id == b"data":
            available = size - offset - 8
            bytes_per_second = info.sample_rate * info.channels * max(info.bits_per_sample, 8) // 8
            if not bytes_per_second:
                raise AudioError.because("corrupt", "WAV format chunk has zero byte rate")
            if chunk_size in (0xFFFFFFFF, 0) and available > 0:
                chunk_size = available  # written by a streaming encoder: "until the end"
            if _short(chunk_size, available):
                raise _truncated(
                    f"data chunk promises {chunk_size} bytes, file holds {available}",
                    chunk_size / bytes_per_second,
                )
            return min(chunk_size, available) / bytes_per_second
        offset += 8 + chunk_size + (chunk_size & 1)
    raise AudioError.because("corrupt", "WAV without a data chunk")


def check_mp4_atoms(fileobj: BinaryIO, size: int) -> None:
    """Refuse an MP4 whose top-level atoms (``mdat`` above all) run past the end."""
    offset = 0
    while offset + 8 <= size:
        fileobj.seek(offset)
        head = fileobj.read(16)
        atom_size, name = int.from_bytes(head[:4], "big"), head[4:8]
        if atom_size == 1 and len(head) == 16:
            atom_size = int.from_bytes(head[8:16], "big")
        elif atom_size == 0:
            return  # the last atom, to the end of the file
        if atom_size < 8:
            raise AudioError.because("corrupt", f"MP4 atom {name!r} of size {atom_size}")
        if offset + atom_size > size:
            # Without the moov atom the promised duration is unknown; a ratio will do.
            raise _truncated(
                f"MP4 atom {name!r} promises {atom_size} bytes at {offset}, file has {size}"
            )
        offset += atom_size


def check_flac_has_frames(fileobj: BinaryIO, size: int) -> None:
    """Refuse a FLAC file that ends in (or right after) its metadata."""
    fileobj.seek(0)
    offset = mpeg.skip_id3v2(fileobj)
    fileobj.seek(offset)
    if fileobj.read(4) != b"fLaC":
        raise AudioError.because("corrupt", "FLAC marker not found")
    offset += 4
    while True:
        fileobj.seek(offset)
        head = fileobj.read(4)
        if len(head) < 4:
            raise _truncated("FLAC metadata runs past the end")
        offset += 4 + int.from_bytes(head[1:4], "big")
        if head[0] & 0x80:
            break
    if offset >= size:
        raise _truncated("FLAC without audio frames")
