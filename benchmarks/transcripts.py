"""Benchmark transcripts with speakers: reading, the three formats written, turns.

    .venv/bin/python benchmarks/transcripts.py [--minutes 60] [--repeat 5]

Builds a conversation of ``--minutes`` minutes (a cue every 4 seconds, three
voices taking turns, every tenth cue without a voice, continuing the last)
and times, best of ``--repeat``: parsing the stored WebVTT with its voices,
writing WebVTT, SRT and the JSON transcript, and grouping into turns under a
chapter every five minutes. These run on every transcript request and page
view (they are not cached), so they bound what a long episode costs.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

from archive.text import Cue, cues_to_json, cues_to_srt, cues_to_vtt, parse_transcript
from archive.turns import sections

VOICES = ("Daan", "Sanne", "Dokter Bakker")


def conversation(minutes: int) -> tuple[str, list[dict]]:
    cues = []
    for number in range(minutes * 15):
        speaker = None if number % 10 == 9 else VOICES[(number // 3) % len(VOICES)]
        text = f"Zin {number}: hier vertelt iemand wat er gebeurde, in gewone woorden."
        cues.append(Cue(number * 4.0, number * 4.0 + 3.5, text, speaker))
    chapters = [
        {"start": minute * 60.0, "title": f"Deel {minute}"} for minute in range(0, minutes, 5)
    ]
    return cues_to_vtt(cues), chapters


def best(step: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    source, chapters = conversation(args.minutes)
    cues = parse_transcript(source)
    steps: dict[str, Callable[[], object]] = {
        "parse WebVTT with voices": lambda: parse_transcript(source),
        "write WebVTT": lambda: cues_to_vtt(cues),
        "write SRT": lambda: cues_to_srt(cues),
        "write JSON": lambda: json.dumps(cues_to_json(cues), ensure_ascii=False),
        "turns under chapters": lambda: sections(cues, chapters),
    }
    print(f"{args.minutes} minutes, {len(cues)} cues, {len(source) // 1024} KB WebVTT")
    for name, step in steps.items():
        print(f"{name:28} {best(step, args.repeat):8.1f} ms (best of {args.repeat})")


if __name__ == "__main__":
    main()
