"""MPEG audio frames: header tables, the Xing/VBRI header, and a frame walker.

mutagen reads an MP3's length from its Xing/VBRI header; without one it
estimates from the first frame's bitrate, which for VBR audio can be off by
half. :func:`walk` counts the frames instead: it reads the file in large blocks
(never whole) and sums the samples of every frame header it can chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

BLOCK = 1024 * 1024

#: Version bits -> MPEG version (1, 2 or 2.5); 0b01 is reserved.
VERSIONS = {0b11: 1, 0b10: 2, 0b00: 25}
#: Layer bits -> layer; 0b00 is reserved (and marks ADTS AAC).
LAYERS = {0b11: 1, 0b10: 2, 0b01: 3}
#: (version is MPEG-1, layer) -> bitrates in kbit/s by index (0 = free, 15 = bad).
BITRATES = {
    (True, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
SAMPLE_RATES = {1: (44100, 48000, 32000), 2: (22050, 24000, 16000), 25: (11025, 12000, 8000)}
#: (version is MPEG-1, layer) -> samples per frame.
SAMPLES_PER_FRAME = {
    (True, 1): 384,
    (True, 2): 1152,
    (True, 3): 1152,
    (False, 1): 384,
    (False, 2): 1152,
    (False, 3): 576,
}
#: (version is MPEG-1, mono) -> bytes of Layer III side information (where Xing starts).
SIDE_INFO = {(True, False): 32, (True, True): 17, (False, False): 17, (False, True): 9}


@dataclass(frozen=True)
class Frame:
    version: int
    layer: int
    bitrate: int  # bit/s
    sample_rate: int
    channels: int
    length: int  # bytes
    samples: int

    def same_stream(self, other: Frame) -> bool:
        return (self.version, self.layer, self.sample_rate) == (
            other.version,
            other.layer,
            other.sample_rate,
        )


def parse_header(data: bytes | memoryview, offset: int = 0) -> Frame | None:
    """The frame whose 4-byte header starts at ``offset``, or None if it is not one."""
    if len(data) < offset + 4:
        return None
    b0, b1, b2, b3 = data[offset], data[offset + 1], data[offset + 2], data[offset + 3]
    if b0 != 0xFF or b1 & 0xE0 != 0xE0:
        return None
    version = VERSIONS.get((b1 >> 3) & 0b11)
    layer = LAYERS.get((b1 >> 1) & 0b11)
    bitrate_index, rate_index = b2 >> 4, (b2 >> 2) & 0b11
    if version is None or layer is None or bitrate_index in (0, 15) or rate_index == 3:
        return None
    mpeg1 = version == 1
    bitrate = BITRATES[mpeg1, layer][bitrate_index] * 1000
    sample_rate = SAMPLE_RATES[version][rate_index]
    padding = (b2 >> 1) & 1
    samples = SAMPLES_PER_FRAME[mpeg1, layer]
    if layer == 1:
        length = (12 * bitrate // sample_rate + padding) * 4
    else:
        length = samples // 8 * bitrate // sample_rate + padding
    channels = 1 if (b3 >> 6) == 0b11 else 2
    return Frame(version, layer, bitrate, sample_rate, channels, length, samples)


@dataclass(frozen=True)
class VbrHeader:
    """What a Xing/Info or VBRI header in the first frame promises."""

    kind: str  # "Xing", "Info" or "VBRI"
    frames: int | None
    bytes: int | None


def read_vbr_header(frame_data: bytes, frame: Frame) -> VbrHeader | None:
    """The Xing/Info or VBRI header inside the first frame's bytes, if any."""
    if frame.layer != 3:
        return None
    start = 4 + SIDE_INFO[frame.version == 1, frame.channels == 1]
    tag = frame_data[start : start + 4]
    if tag in (b"Xing", b"Info") and len(frame_data) >= start + 8:
        flags = int.from_bytes(frame_data[start + 4 : start + 8], "big")
        position = start + 8
        frames = total = None
        if flags & 0x1 and len(frame_data) >= position + 4:
            frames = int.from_bytes(frame_data[position : position + 4], "big")
            position += 4
        if flags & 0x2 and len(frame_data) >= position + 4:
            total = int.from_bytes(frame_data[position : position + 4], "big")
        return VbrHeader(tag.decode("ascii"), frames, total)
    if frame_data[36:40] == b"VBRI" and len(frame_data) >= 54:
        total = int.from_bytes(frame_data[46:50], "big")
        frames = int.from_bytes(frame_data[50:54], "big")
        return VbrHeader("VBRI", frames, total)
    return None


def skip_id3v2(fileobj: BinaryIO, offset: int = 0) -> int:
    """The offset after any ID3v2 tags at ``offset`` (some writers stack several)."""
    while True:
        fileobj.seek(offset)
        head = fileobj.read(10)
        if len(head) < 10 or head[:3] != b"ID3":
            return offset
        size = 0
        for byte in head[6:10]:
            size = (size << 7) | (byte & 0x7F)
        footer = 10 if head[5] & 0x10 else 0
        offset += 10 + size + footer


def trailing_tags(fileobj: BinaryIO, size: int) -> int:
    """Bytes of ID3v1 and APEv2 tags at the end of the file (not audio)."""
    end = size
    if end >= 128:
        fileobj.seek(end - 128)
        if fileobj.read(3) == b"TAG":
            end -= 128
    if end >= 32:
        fileobj.seek(end - 32)
        footer = fileobj.read(32)
        if footer[:8] == b"APETAGEX":
            tag_size = int.from_bytes(footer[12:16], "little")
            has_header = footer[23] & 0x80 if len(footer) >= 24 else 0
            end -= tag_size + (32 if has_header else 0)
    return size - max(end, 0)


def find_first_frame(fileobj: BinaryIO, start: int, limit: int = 256 * 1024) -> int | None:
    """Offset of the first frame at or after ``start`` that chains to two more."""
    fileobj.seek(start)
    data = fileobj.read(limit + 8 * 1441)
    position = data.find(b"\xff")
    while 0 <= position < limit:
        if _chains(data, position, 3):
            return start + position
        position = data.find(b"\xff", position + 1)
    return None


def _chains(data: bytes, position: int, count: int) -> bool:
    first = parse_header(data, position)
    if first is None:
        return False
    frame = first
    for _ in range(count - 1):
        position += frame.length
        if position == len(data):
            return True  # a tiny file that ends on a frame boundary
        following = parse_header(data, position)
        if following is None or not following.same_stream(first):
            return False
        frame = following
    return True


@dataclass(frozen=True)
class Walk:
    frames: int
    samples: int
    audio_bytes: int  # bytes inside whole frames
    junk_bytes: int  # bytes skipped between frames to resynchronise
    truncated_bytes: int  # a last frame cut short by the end of the file


def walk(fileobj: BinaryIO, start: int, end: int, first: Frame) -> Walk:
    """Count the frames of the stream between ``start`` and ``end``.

    Frames must belong to the same stream as ``first`` (version, layer, sample
    rate). Bytes that do not parse are skipped one at a time up to the next
    header and counted as junk, so a damaged file shows as mostly junk.
    """
    frames = samples = audio = junk = 0
    position = start
    buffer = b""
    buffer_start = start
    # A stream uses few distinct headers (bitrate and padding vary): parse each once.
    # Only valid headers are kept (a few hundred at most), so junk cannot grow it.
    known: dict[bytes, Frame] = {}
    while position < end:
        offset = position - buffer_start
        if offset + 4 > len(buffer):
            fileobj.seek(position)
            buffer = fileobj.read(min(BLOCK, end - position))
            buffer_start, offset = position, 0
            if len(buffer) < 4:
                junk += len(buffer)
                break
        header = buffer[offset : offset + 4]
        frame = known.get(header)
        if frame is None:
            frame = parse_header(header)
            if frame is not None and frame.same_stream(first):
                known[header] = frame
            else:
                frame = None
        if frame is None:
            following = buffer.find(b"\xff", offset + 1)
            step = (following - offset) if following != -1 else len(buffer) - offset
            junk += step
            position += step
            continue
        if position + frame.length > end:
            return Walk(frames, samples, audio, junk, end - position)
        frames += 1
        samples += frame.samples
        audio += frame.length
        position += frame.length
    return Walk(frames, samples, audio, junk, 0)
