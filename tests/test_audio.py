"""audio.probe against real files: tests/fixtures/audio, made by make_fixtures.py.

Data-driven, in the podcastparser manner: each fixture beside what the probe
must say about it. True durations come from fixtures/durations.json, recorded
by decoding each whole file with ffmpeg when the fixtures were made.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutagen.mp3 import MP3
from PIL import Image

from archive.audio import AudioError, Cover, cover_problems, probe
from archive.audio.mpeg import parse_header
from archive.audio.tags import safe_url, track_number

FIXTURES = Path(__file__).resolve().parent / "fixtures"
AUDIO = FIXTURES / "audio"
DECODED: dict[str, float] = json.loads((FIXTURES / "durations.json").read_text())["decoded"]

TAGGED = {
    "title": "Testaflevering",
    "artist": "Redactie Dichterbij",
    "album": "Dichterbij",
    "comment": "Shownotes van de testaflevering.",
    "track": 7,
}
CHAPTER_TITLES = ["Stilte", "Welkom", "Tweede zin"]

#: Fixture -> (format, MIME type, tags expected, cover MIME or None, chapters expected).
GOOD: dict[str, tuple[str, str, bool, str | None, bool]] = {
    "cbr.mp3": ("mp3", "audio/mpeg", False, None, False),
    "vbr-xing.mp3": ("mp3", "audio/mpeg", False, None, False),
    "vbr-no-xing.mp3": ("mp3", "audio/mpeg", False, None, False),
    "id3v23.mp3": ("mp3", "audio/mpeg", True, None, False),
    "id3v24.mp3": ("mp3", "audio/mpeg", True, None, False),
    "cover-chapters.mp3": ("mp3", "audio/mpeg", True, "image/jpeg", True),
    "cover-chapters.m4a": ("m4a", "audio/x-m4a", True, "image/png", True),
    "vorbis.ogg": ("vorbis", "audio/ogg", True, None, False),
    "opus.opus": ("opus", "audio/opus", True, None, False),
    "picture.flac": ("flac", "audio/flac", True, "image/png", False),
    "plain.wav": ("wav", "audio/wav", False, None, False),
}

#: Fixture -> why it is refused.
BAD: dict[str, str] = {
    "truncated-vbr.mp3": "truncated",
    "text.mp3": "not_audio",
    "image.m4a": "image",
    "empty.mp3": "empty",
    "random.mp3": "not_audio",
    "zero-length.wav": "zero_duration",
    "unsupported.aiff": "unsupported",
}


def test_every_fixture_is_in_a_table():
    assert sorted(GOOD) == sorted(DECODED)
    assert {p.name for p in AUDIO.iterdir()} == set(GOOD) | set(BAD)
    total = sum(p.stat().st_size for p in AUDIO.iterdir())
    assert total < 2 * 1024 * 1024


@pytest.mark.parametrize("name", sorted(GOOD))
def test_format_and_mime_come_from_the_content(name):
    fmt, mime, *_ = GOOD[name]
    info = probe(AUDIO / name)
    assert (info.format, info.mime) == (fmt, mime)
    assert info.extension.startswith(".")
    assert info.sample_rate and info.channels in (1, 2) and info.bitrate


@pytest.mark.parametrize("name", sorted(GOOD))
def test_duration_agrees_with_decoding_the_whole_file(name):
    assert probe(AUDIO / name).duration == pytest.approx(DECODED[name], rel=0.01)


def test_a_first_frame_estimate_would_be_wrong_for_vbr_without_xing():
    """Proof that the fixture needs frame counting: mutagen's own guess is far off."""
    naive = MP3(AUDIO / "vbr-no-xing.mp3").info.length
    true = DECODED["vbr-no-xing.mp3"]
    assert abs(naive - true) / true > 0.05
    assert probe(AUDIO / "vbr-no-xing.mp3").duration == pytest.approx(true, rel=0.01)


def test_vbr_without_xing_really_varies_its_bitrate():
    data = (AUDIO / "vbr-no-xing.mp3").read_bytes()
    bitrates, position = set(), 0
    while (frame := parse_header(data, position)) is not None:
        bitrates.add(frame.bitrate)
        position += frame.length
    assert position > len(data) * 0.95
    assert max(bitrates) >= 3 * min(bitrates)


@pytest.mark.parametrize("name", sorted(GOOD))
def test_tags_are_mapped_to_one_vocabulary(name):
    _, _, tagged, _, _ = GOOD[name]
    info = probe(AUDIO / name)
    facts = {key: getattr(info, key) for key in TAGGED}
    if tagged:
        assert facts == TAGGED
    else:
        assert facts == dict.fromkeys(TAGGED)


@pytest.mark.parametrize("name", ["id3v23.mp3", "id3v24.mp3", "vorbis.ogg", "opus.opus"])
def test_date_tag_is_read(name):
    assert probe(AUDIO / name).date == "2021-11-15"


@pytest.mark.parametrize("name", sorted(GOOD))
def test_embedded_cover_art_is_returned_as_image_bytes(name):
    cover_mime = GOOD[name][3]
    cover = probe(AUDIO / name).cover
    if cover_mime is None:
        assert cover is None
    else:
        assert cover.mime == cover_mime
        with Image.open(io.BytesIO(cover.data)) as image:
            assert Image.MIME[image.format] == cover_mime


@pytest.mark.parametrize("name", ["cover-chapters.mp3", "cover-chapters.m4a"])
def test_chapters_are_read_in_order(name):
    chapters = probe(AUDIO / name).chapters
    assert [c.title for c in chapters] == CHAPTER_TITLES
    assert [c.start for c in chapters] == pytest.approx([0.0, 1.5, 3.5], abs=0.01)


def test_id3_chapters_keep_their_urls_and_ends():
    chapters = probe(AUDIO / "cover-chapters.mp3").chapters
    assert [c.url for c in chapters] == [None, "https://example.org/welkom", None]
    assert chapters[0].end == pytest.approx(1.5)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_raise_one_clear_error(name):
    with pytest.raises(AudioError) as caught:
        probe(AUDIO / name)
    error = caught.value
    assert error.reason == BAD[name]
    assert error.message and error.cause
    assert error.status_code == 422


def test_messages_are_dutch_for_editors():
    messages = {}
    for name in BAD:
        with pytest.raises(AudioError) as caught:
            probe(AUDIO / name)
        messages[BAD[name]] = caught.value.message
    assert "geen audiobestand" in messages["not_audio"]
    assert "leeg" in messages["empty"]
    assert "onvolledig" in messages["truncated"]
    assert "AIFF" in messages["unsupported"] and "niet ondersteund" in messages["unsupported"]
    assert "duur 0" in messages["zero_duration"]


def test_truncated_vbr_promises_more_than_it_holds():
    with pytest.raises(AudioError) as caught:
        probe(AUDIO / "truncated-vbr.mp3")
    assert "Xing header promises" in caught.value.cause
    # mutagen alone believes the header: the whole length of the original.
    assert MP3(AUDIO / "truncated-vbr.mp3").info.length == pytest.approx(
        DECODED["vbr-xing.mp3"], rel=0.01
    )


def test_missing_file_is_an_audio_error(tmp_path):
    with pytest.raises(AudioError) as caught:
        probe(tmp_path / "er-niet.mp3")
    assert caught.value.reason == "unreadable"


@pytest.mark.parametrize(
    ("source", "name"),
    [("vorbis.ogg", "aflevering.mp3"), ("cbr.mp3", "aflevering.m4a"), ("plain.wav", "x")],
)
def test_the_file_name_does_not_decide_the_format(tmp_path, source, name):
    target = tmp_path / name
    target.write_bytes((AUDIO / source).read_bytes())
    assert probe(target).format == GOOD[source][0]


@pytest.mark.parametrize(
    ("source", "keep"),
    [("plain.wav", 0.5), ("cover-chapters.m4a", 0.5), ("picture.flac", None)],
)
def test_other_containers_cut_short_are_refused(tmp_path, source, keep):
    data = (AUDIO / source).read_bytes()
    # FLAC (keep None): only the metadata survived, cut at the first frame's sync code.
    end = data.index(b"\xff\xf8", 4 + 34) if keep is None else int(len(data) * keep)
    data = data[:end]
    target = tmp_path / source
    target.write_bytes(data)
    with pytest.raises(AudioError) as caught:
        probe(target)
    assert caught.value.reason == "truncated"


def test_mp3_longer_than_its_xing_header_is_counted(tmp_path):
    """Two files joined: the first one's header describes only half of it."""
    first = (AUDIO / "vbr-xing.mp3").read_bytes()
    second = (AUDIO / "vbr-no-xing.mp3").read_bytes()
    target = tmp_path / "joined.mp3"
    target.write_bytes(first + second)
    expected = DECODED["vbr-xing.mp3"] + DECODED["vbr-no-xing.mp3"]
    assert probe(target).duration == pytest.approx(expected, rel=0.02)


def test_mp3_with_trailing_id3v1_tag_is_fine(tmp_path):
    target = tmp_path / "v1.mp3"
    tag = b"TAG" + b"Titel".ljust(30, b"\0") + bytes(95)
    target.write_bytes((AUDIO / "vbr-no-xing.mp3").read_bytes() + tag)
    assert probe(target).duration == pytest.approx(DECODED["vbr-no-xing.mp3"], rel=0.01)


def test_mostly_garbage_after_a_few_frames_is_corrupt(tmp_path):
    data = (AUDIO / "vbr-no-xing.mp3").read_bytes()
    target = tmp_path / "half-garbage.mp3"
    target.write_bytes(data[:5000] + bytes(range(7, 250)) * 200)
    with pytest.raises(AudioError) as caught:
        probe(target)
    assert caught.value.reason == "corrupt"


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.org/a", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("data:text/html,x", False),
        ("//example.org", False),
        ("", False),
    ],
)
def test_only_web_links_are_kept_from_chapter_tags(url, kept):
    assert (safe_url(url) == url) is kept


@pytest.mark.parametrize(("value", "number"), [("7/12", 7), ((3, 10), 3), (4, 4), ("x", None)])
def test_track_numbers_in_every_shape(value, number):
    assert track_number(value) == number


def image_cover(size: tuple[int, int], kind: str = "JPEG") -> Cover:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(out, kind)
    return Cover(out.getvalue(), Image.MIME[kind])


@pytest.mark.parametrize(
    ("size", "kind", "problems"),
    [
        ((1400, 1400), "JPEG", []),
        ((3000, 3000), "PNG", []),
        ((300, 200), "PNG", ["niet vierkant", "podcastgidsen vragen 1400 tot 3000 px"]),
        ((3200, 3200), "JPEG", ["podcastgidsen vragen"]),
        ((1400, 1400), "GIF", ["image/gif, geen JPEG of PNG"]),
    ],
)
def test_cover_art_is_checked_against_directory_rules(size, kind, problems):
    found = " | ".join(cover_problems(image_cover(size, kind)))
    for problem in problems:
        assert problem in found
    if not problems:
        assert found == ""


def test_fixture_covers_are_judged():
    assert cover_problems(probe(AUDIO / "cover-chapters.mp3").cover) == []
    assert len(cover_problems(probe(AUDIO / "cover-chapters.m4a").cover)) == 2
    assert cover_problems(Cover(b"geen plaatje", "image/png"))


# Hostile input: whatever the bytes, the probe answers or raises AudioError.

FUZZ_SOURCES = [*sorted(GOOD), "truncated-vbr.mp3"]
FUZZ_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def probe_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "fuzz.bin"
        path.write_bytes(data)
        try:
            info = probe(path)
        except AudioError as error:
            assert error.message and error.reason
        else:
            assert info.duration > 0


@FUZZ_SETTINGS
@given(st.binary(max_size=4096))
def test_random_bytes_never_raise_anything_but_audio_error(data):
    probe_bytes(data)


@st.composite
def mutated_fixture(draw: st.DrawFn) -> bytes:
    data = bytearray((AUDIO / draw(st.sampled_from(FUZZ_SOURCES))).read_bytes())
    for _ in range(draw(st.integers(1, 12))):
        position = draw(st.integers(0, min(len(data) - 1, 4096)))
        action = draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip":
            data[position] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[position : position + draw(st.integers(1, 64))]
        else:
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        if not data:
            break
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


@FUZZ_SETTINGS
@given(mutated_fixture())
def test_mutated_fixtures_never_raise_anything_but_audio_error(data):
    probe_bytes(data)
