"""Tags mapped to one vocabulary across formats: ID3, MP4 atoms and Vorbis comments.

Each tag system is a table ``field -> keys, in order of preference``; a reader
per system turns mutagen's objects into plain values: text, a track number, a
cover (image bytes with their MIME type) and chapters.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from mutagen.flac import FLAC, Picture
from mutagen.id3 import ID3
from mutagen.mp4 import MP4, MP4Cover

from .model import Chapter, Cover

FIELDS = ("title", "artist", "album", "comment", "date", "track")

ID3_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("TIT2",),
    "artist": ("TPE1", "TPE2"),
    "album": ("TALB",),
    "comment": ("COMM", "TDES", "TXXX:comment", "TXXX:description"),
    "date": ("TDRC", "TDRL", "TYER"),
    "track": ("TRCK",),
}
MP4_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("©nam",),
    "artist": ("©ART", "aART"),
    "album": ("©alb", "tvsh"),
    "comment": ("ldes", "desc", "©cmt"),
    "date": ("©day",),
    "track": ("trkn", "tves"),
}
VORBIS_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "artist": ("artist", "albumartist", "performer"),
    "album": ("album",),
    "comment": ("description", "comment"),
    "date": ("date", "year"),
    "track": ("tracknumber",),
}
#: Image magic numbers, to trust the bytes over a declared MIME type.
IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF8", "image/gif"),
    (b"RIFF", "image/webp"),
    (b"BM", "image/bmp"),
)
#: ID3 APIC / FLAC picture types, best first: front cover, other, file icon.
PICTURE_PREFERENCE = (3, 0, 2, 1, 4)
URL_SCHEMES = ("http", "https")


def image_mime(data: bytes, declared: str = "") -> str:
    """The image's MIME type from its first bytes; the declared one if unknown."""
    for magic, mime in IMAGE_MAGIC:
        if data.startswith(magic):
            return mime
    declared = declared.lower().strip()
    return {"image/jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}.get(
        declared, declared or "application/octet-stream"
    )


def safe_url(value: Any) -> str | None:
    """``value`` if it is an http(s) URL; chapter links must not run script."""
    text = str(value or "").strip()
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return None
    return text if scheme in URL_SCHEMES else None


def track_number(value: Any) -> int | None:
    """``7``, ``"7/12"``, ``(7, 12)`` -> 7."""
    if isinstance(value, tuple):
        value = value[0] if value else None
    if isinstance(value, int):
        return value if 0 <= value < 100_000 else None
    match = re.match(r"\s*(\d{1,5})", str(value or ""))
    return int(match.group(1)) if match else None


def _clean(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = str(value).replace("\x00", "").strip()
    return text or None


def _pick(lookup: Callable[[str], Any], keys: Iterable[str]) -> Any:
    for key in keys:
        value = lookup(key)
        if value not in (None, "", [], ()):
            return value
    return None


def _vocabulary(lookup: Callable[[str], Any], table: dict[str, tuple[str, ...]]) -> dict:
    facts: dict[str, Any] = {}
    for name in FIELDS:
        value = _pick(lookup, table[name])
        if name == "track":
            facts[name] = track_number(value)
        else:
            facts[name] = _clean(value) if value is not None else None
    return facts


# ID3 (MP3, and WAV's id3 chunk)


def _id3_lookup(tags: ID3) -> Callable[[str], Any]:
    def lookup(key: str) -> Any:
        frames = tags.getall(key)
        if key == "COMM":  # the plain comment, not iTunes' normalisation data
            frames = [f for f in frames if not f.desc.startswith("iTun")] or frames
        for frame in frames:
            text = getattr(frame, "text", None)
            if text:
                return text[0]
        return None

    return lookup


def _id3_cover(tags: ID3) -> Cover | None:
    pictures = [p for p in tags.getall("APIC") if p.data]
    if not pictures:
        return None
    pictures.sort(key=lambda p: _picture_rank(int(p.type)))
    best = pictures[0]
    return Cover(bytes(best.data), image_mime(best.data, best.mime))


def _picture_rank(kind: int) -> int:
    return PICTURE_PREFERENCE.index(kind) if kind in PICTURE_PREFERENCE else len(PICTURE_PREFERENCE)


def _id3_chapters(tags: ID3, duration: float) -> list[Chapter]:
    by_id = {chap.element_id: chap for chap in tags.getall("CHAP")}
    order = list(by_id)
    for toc in tags.getall("CTOC"):
        if toc.flags & 0x02 and all(child in by_id for child in toc.child_element_ids):
            order = list(toc.child_element_ids)  # the top-level table of contents
            break
    chapters = []
    for element_id in order:
        chap = by_id[element_id]
        title = url = None
        for sub in chap.sub_frames.values():
            if sub.FrameID == "TIT2" and sub.text:
                title = _clean(sub.text[0])
            elif sub.FrameID.startswith("W") and url is None:
                url = safe_url(getattr(sub, "url", None))
        start = chap.start_time / 1000
        end = chap.end_time / 1000 if chap.end_time != 0xFFFFFFFF else None
        if 0 <= start <= duration:
            chapters.append(Chapter(start=start, title=title or "", end=end, url=url))
    return sorted(chapters, key=lambda chapter: chapter.start)


def id3_facts(tags: ID3 | None, duration: float) -> dict[str, Any]:
    if tags is None:
        return {}
    facts = _vocabulary(_id3_lookup(tags), ID3_KEYS)
    facts["cover"] = _id3_cover(tags)
    facts["chapters"] = _id3_chapters(tags, duration)
    return facts


# MP4 atoms (M4A)


def _mp4_lookup(tags: Any) -> Callable[[str], Any]:
    def lookup(key: str) -> Any:
        values = tags.get(key) if tags is not None else None
        return values[0] if values else None

    return lookup


def mp4_facts(parsed: MP4, duration: float) -> dict[str, Any]:
    facts = _vocabulary(_mp4_lookup(parsed.tags), MP4_KEYS)
    covers = (parsed.tags or {}).get("covr") or []
    if covers:
        cover = covers[0]
        declared = "image/png" if cover.imageformat == MP4Cover.FORMAT_PNG else "image/jpeg"
        facts["cover"] = Cover(bytes(cover), image_mime(bytes(cover), declared))
    chapters = list(parsed.chapters or [])
    facts["chapters"] = [
        Chapter(
            start=chapter.start,
            title=_clean(chapter.title) or "",
            end=chapters[index + 1].start if index + 1 < len(chapters) else duration,
        )
        for index, chapter in enumerate(chapters)
        if 0 <= chapter.start <= duration
    ]
    return facts


# Vorbis comments (Ogg Vorbis, Ogg Opus, FLAC)

_CHAPTER_KEY = re.compile(r"^chapter(\d{1,3})$")
_CHAPTER_TIME = re.compile(r"^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$")


def _vorbis_lookup(tags: Any) -> Callable[[str], Any]:
    def lookup(key: str) -> Any:
        values = tags.get(key) if tags is not None else None
        return values[0] if values else None

    return lookup


def _vorbis_chapters(tags: Any, duration: float) -> list[Chapter]:
    """Xiph's chapter extension: CHAPTER001=00:00:00.000, CHAPTER001NAME, CHAPTER001URL."""
    if tags is None:
        return []
    lookup = _vorbis_lookup(tags)
    chapters = []
    for key in list(tags.keys()):
        match = _CHAPTER_KEY.match(key.lower())
        time = _CHAPTER_TIME.match(str(lookup(key) or "").strip()) if match else None
        if not match or not time:
            continue
        hours, minutes, seconds = time.groups()
        start = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
        if start <= duration:
            chapters.append(
                Chapter(
                    start=start,
                    title=_clean(lookup(f"{key}NAME") or "") or "",
                    url=safe_url(lookup(f"{key}URL")),
                )
            )
    return sorted(chapters, key=lambda chapter: chapter.start)


def _vorbis_cover(parsed: Any) -> Cover | None:
    pictures: list[Picture] = list(parsed.pictures) if isinstance(parsed, FLAC) else []
    for encoded in (parsed.tags or {}).get("metadata_block_picture", []) if parsed.tags else []:
        try:
            pictures.append(Picture(base64.b64decode(encoded)))
        except (binascii.Error, ValueError, TypeError, IndexError):
            continue  # one bad picture does not make the audio unusable
        except Exception:  # mutagen raises struct.error and friends
            continue
    pictures = [p for p in pictures if p.data]
    if not pictures:
        return None
    pictures.sort(key=lambda p: _picture_rank(int(p.type)))
    return Cover(bytes(pictures[0].data), image_mime(pictures[0].data, pictures[0].mime))


def vorbis_facts(parsed: Any, duration: float) -> dict[str, Any]:
    facts = _vocabulary(_vorbis_lookup(parsed.tags), VORBIS_KEYS)
    facts["cover"] = _vorbis_cover(parsed)
    facts["chapters"] = _vorbis_chapters(parsed.tags, duration)
    return facts
