"""Cover art against podcast-directory rules (Apple Podcasts, Spotify)."""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from .model import Cover

#: Square, 1400 to 3000 pixels a side, JPEG or PNG.
COVER_MIN_PX = 1400
COVER_MAX_PX = 3000
COVER_MIMES = frozenset({"image/jpeg", "image/png"})


def cover_problems(cover: Cover) -> list[str]:
    """Why ``cover`` does not meet podcast-directory rules (Dutch); empty if it does.

    Only the header is read (Pillow opens lazily), so a huge image costs little.
    """
    try:
        with Image.open(io.BytesIO(cover.data)) as image:
            width, height = image.size
            mime = Image.MIME.get(image.format or "", cover.mime)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        return [f"de omslagafbeelding is geen leesbare afbeelding ({exc.__class__.__name__})"]
    problems = []
    if mime not in COVER_MIMES:
        problems.append(f"de omslagafbeelding is {mime}, geen JPEG of PNG")
    if width != height:
        problems.append(f"de omslagafbeelding is niet vierkant ({width}×{height} px)")
    if not (COVER_MIN_PX <= width <= COVER_MAX_PX and COVER_MIN_PX <= height <= COVER_MAX_PX):
        problems.append(
            f"de omslagafbeelding is {width}×{height} px; "
            f"podcastgidsen vragen {COVER_MIN_PX} tot {COVER_MAX_PX} px"
        )
    return problems
