"""Make the demo episodes' audio, transcripts and artwork from ``episodes/*.yaml``.

Run from the checkout (needs Debian's ``espeak-ng`` and ``lame``):

    .venv/bin/python -m archive.demo.make_episodes

Each sentence is synthesised on its own with ``espeak-ng -v nl``, so the exact
sample where it starts is known; the WebVTT cues are written from those sample
counts. A conversation names its ``voices`` (transcript voice -> espeak-ng
voice, e.g. ``nl+f3``) and gives sentences as ``{speaker, text}``; its cues
carry the speaker as a WebVTT voice span (``<v Sanne>``). Pass file names
(``04-gesprek.yaml``) to make only those episodes. The joined audio is
encoded to a small mono CBR MP3 with ``lame`` and tagged with mutagen: title,
artist, album, comment, track, an embedded cover and ID3 chapter frames
(CHAP/CTOC). The outputs are committed; this script is only needed to change
them.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import yaml
from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TPE1,
    TRCK,
    CTOCFlags,
)
from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
EPISODES = HERE / "episodes"
PAUSE_SECONDS = 0.45
LEAD_IN_SECONDS = 0.3
ARTWORK_SIZE = 1400


def synthesise(
    sentence: str, workdir: Path, index: int, voice: str = "nl"
) -> tuple[bytes, int, int]:
    """One sentence as raw 16-bit mono frames; returns (frames, rate, frame count)."""
    out = workdir / f"s{index:03d}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(out), sentence], check=True)
    with wave.open(str(out)) as handle:
        rate = handle.getframerate()
        frames = handle.readframes(handle.getnframes())
        return frames, rate, handle.getnframes()


def vtt_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def build_audio(spec: dict, workdir: Path) -> tuple[Path, list[dict], list[dict], float]:
    """Synthesise every sentence; return the WAV, the cues, the chapters and the duration."""
    chunks: list[bytes] = []
    cues: list[dict] = []
    chapters: list[dict] = []
    rate = 22050
    position = 0  # in frames
    index = 0
    lead_in = b"\0\0" * int(LEAD_IN_SECONDS * rate)
    chunks.append(lead_in)
    position += len(lead_in) // 2
    for chapter in spec["chapters"]:
        chapters.append({"title": chapter["title"], "start": position / rate})
        for sentence in chapter["sentences"]:
            speaker = sentence.get("speaker") if isinstance(sentence, dict) else None
            text = sentence["text"] if isinstance(sentence, dict) else sentence
            voice = spec.get("voices", {}).get(speaker, "nl")
            frames, rate, count = synthesise(text, workdir, index, voice)
            index += 1
            cues.append(
                {
                    "start": position / rate,
                    "end": (position + count) / rate,
                    "text": text,
                    "speaker": speaker,
                }
            )
            pause = b"\0\0" * int(PAUSE_SECONDS * rate)
            chunks += [frames, pause]
            position += count + len(pause) // 2
    wav_path = workdir / "episode.wav"
    with wave.open(str(wav_path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(b"".join(chunks))
    duration = position / rate
    chapters[0]["start"] = 0.0  # the first chapter covers the lead-in too
    for number, chapter in enumerate(chapters):
        following = chapters[number + 1]["start"] if number + 1 < len(chapters) else duration
        chapter["end"] = following
    return wav_path, cues, chapters, duration


def write_vtt(cues: list[dict], path: Path) -> None:
    lines = ["WEBVTT", ""]
    for number, cue in enumerate(cues, start=1):
        lines += [
            str(number),
            f"{vtt_time(cue['start'])} --> {vtt_time(cue['end'])}",
            (f"<v {cue['speaker']}>" if cue.get("speaker") else "") + cue["text"],
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")


def cover_jpeg(size: int, label: str) -> bytes:
    """A calm, flat square image (the demo's artwork); JPEG bytes."""
    image = Image.new("RGB", (size, size), (34, 87, 122))
    draw = ImageDraw.Draw(image)
    margin = size // 10
    draw.ellipse([margin, margin, size - margin, size - margin], fill=(247, 201, 72))
    draw.ellipse([size // 3, size // 3, size - size // 3, size - size // 3], fill=(255, 250, 240))
    draw.text((margin, size - margin), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def tag(mp3: Path, spec: dict, chapters: list[dict], show_title: str, cover: bytes) -> None:
    tags = ID3()
    tags.add(TIT2(encoding=3, text=spec["title"]))
    tags.add(TPE1(encoding=3, text="Week tegen Kindermishandeling (voorbeeld)"))
    tags.add(TALB(encoding=3, text=show_title))
    tags.add(TCON(encoding=3, text="Podcast"))
    tags.add(TDRC(encoding=3, text=str(spec["published_at"])[:10]))
    tags.add(TRCK(encoding=3, text=str(spec["number"])))
    tags.add(COMM(encoding=3, lang="dut", desc="", text=spec["summary"]))
    tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="Cover", data=cover))
    ids = [f"chp{number}" for number in range(len(chapters))]
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=3, text="Hoofdstukken")],
        )
    )
    for element_id, chapter in zip(ids, chapters, strict=True):
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=round(chapter["start"] * 1000),
                end_time=round(chapter["end"] * 1000),
                sub_frames=[TIT2(encoding=3, text=chapter["title"])],
            )
        )
    tags.save(mp3, v2_version=4)


def make_episode(spec_path: Path, show_title: str, cover: bytes) -> None:
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        wav, cues, chapters, duration = build_audio(spec, Path(tmp))
        mp3 = spec_path.with_suffix(".mp3")
        subprocess.run(
            [
                "lame",
                "--quiet",
                "-m",
                "m",
                "--cbr",
                "-b",
                "40",
                "--resample",
                "22.05",
                str(wav),
                str(mp3),
            ],
            check=True,
        )
    tag(mp3, spec, chapters, show_title, cover)
    write_vtt(cues, spec_path.with_suffix(".vtt"))
    print(f"{mp3.name}: {duration:.1f} s, {mp3.stat().st_size} bytes, {len(cues)} cues")


def main(names: list[str] | None = None) -> None:
    show = yaml.safe_load((HERE / "show.yaml").read_text(encoding="utf-8"))
    if not names:
        (HERE / show["artwork"]).write_bytes(cover_jpeg(ARTWORK_SIZE, "Dichterbij"))
    cover = cover_jpeg(300, "Dichterbij")
    for spec_path in sorted(EPISODES.glob("*.yaml")):
        if not names or spec_path.name in names:
            make_episode(spec_path, show["title"], cover)


if __name__ == "__main__":
    main(sys.argv[1:])
