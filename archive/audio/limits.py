"""What a real audio stream can claim: a header beyond these limits is refused.

A header is only numbers the file says about itself. A WAV header claiming
65,535 channels at 4,294,967,295 Hz parses, and gives a duration of 7e-12
seconds; no podcast app could play it. The limits are wide enough for any
recording an editor would upload (up to 7.1 surround, 192 kHz, 32 bits).
"""

from __future__ import annotations

from typing import Any

from .model import AudioError

#: Stream fact (as mutagen names it) -> (Dutch name, lowest, highest, unit).
STREAM_LIMITS: dict[str, tuple[str, int, int, str]] = {
    "channels": ("aantal kanalen", 1, 8, ""),
    "sample_rate": ("samplefrequentie", 8_000, 192_000, " Hz"),
    "bits_per_sample": ("bits per sample", 8, 32, ""),
}


def check_stream(info: Any) -> None:
    """Raise AudioError if a fact the stream states lies outside :data:`STREAM_LIMITS`.

    A fact the stream does not state (absent, or 0 as mutagen gives for unknown:
    compressed formats have no fixed sample size) is not judged here; a WAV
    whose figures make no bytes per second is refused as corrupt elsewhere.
    """
    for attribute, (name, lowest, highest, unit) in STREAM_LIMITS.items():
        value = getattr(info, attribute, None)
        if not isinstance(value, int) or value == 0:
            continue
        if not lowest <= value <= highest:
            raise AudioError.because(
                "implausible",
                f"{attribute} {value} outside {lowest}..{highest}",
                fact=name,
                value=f"{value:,}{unit}".replace(",", "."),
                lowest=f"{lowest:,}".replace(",", "."),
                highest=f"{highest:,}{unit}".replace(",", "."),
            )
