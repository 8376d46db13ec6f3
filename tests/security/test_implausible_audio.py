"""An audio header that claims what no recording has is refused (issue 12, point 10).

A WAV header claiming 65,535 channels at 4,294,967,295 Hz was accepted with
a duration of 7e-12 seconds. The limits are a table in ``archive.audio.limits``.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from archive.audio import AudioError, probe
from archive.audio.limits import STREAM_LIMITS


def wav(path: Path, channels: int, sample_rate: int, bits: int, frames: int = 8000) -> Path:
    """A PCM WAV file whose header says ``channels``, ``sample_rate``, ``bits``."""
    block_align = min(channels * max(bits, 8) // 8, 0xFFFF)
    byte_rate = min(sample_rate * block_align, 0xFFFFFFFF)
    fmt = struct.pack("<HHLLHH", 1, channels, sample_rate, byte_rate, block_align, bits)
    data = b"\x00\x01" * frames
    body = b"WAVE" + b"fmt " + struct.pack("<L", len(fmt)) + fmt
    body += b"data" + struct.pack("<L", len(data)) + data
    path.write_bytes(b"RIFF" + struct.pack("<L", len(body)) + body)
    return path


# (channels, sample rate, bits per sample) -> the Dutch fact named in the refusal
IMPLAUSIBLE = [
    ((65_535, 4_294_967_295, 16), "aantal kanalen"),
    ((2, 4_294_967_295, 16), "samplefrequentie"),
    ((1, 4_000, 16), "samplefrequentie"),
    ((9, 44_100, 16), "aantal kanalen"),
    ((2, 44_100, 64), "bits per sample"),
    ((2, 44_100, 4), "bits per sample"),
]


@pytest.mark.parametrize(("header", "fact"), IMPLAUSIBLE)
def test_a_wav_header_beyond_any_recording_is_refused(tmp_path, header, fact):
    with pytest.raises(AudioError) as caught:
        probe(wav(tmp_path / "vreemd.wav", *header))
    assert caught.value.reason == "implausible"
    assert fact in caught.value.message
    assert "moet tussen" in caught.value.message


def test_the_refusal_names_the_claim_and_the_limits_in_dutch(tmp_path):
    with pytest.raises(AudioError) as caught:
        probe(wav(tmp_path / "vreemd.wav", 65_535, 4_294_967_295, 16))
    assert caught.value.message == (
        "Het bestand is beschadigd of geen echte audio: het geeft als aantal kanalen "
        "65.535 op, en dat moet tussen 1 en 8 liggen."
    )


@pytest.mark.parametrize(
    "header", [(1, 8_000, 8), (2, 44_100, 16), (8, 192_000, 32), (6, 48_000, 24)]
)
def test_a_wav_header_within_the_limits_is_accepted(tmp_path, header):
    info = probe(wav(tmp_path / "gewoon.wav", *header, frames=header[1]))
    assert (info.channels, info.sample_rate) == header[:2]
    assert info.duration > 0


def test_the_limits_cover_channels_sample_rate_and_sample_size():
    assert {name: limits[1:3] for name, limits in STREAM_LIMITS.items()} == {
        "channels": (1, 8),
        "sample_rate": (8_000, 192_000),
        "bits_per_sample": (8, 32),
    }
