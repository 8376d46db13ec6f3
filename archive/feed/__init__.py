"""Feeds: the podcast's RSS (feedgen + iTunes + Podcasting 2.0) and the stories' Atom feed.

- :mod:`.build`: ``build_podcast_feed(show, episodes, urls) -> bytes`` and
  ``build_stories_feed``; pure, no app needed.
- :mod:`.itunes`: feedgen's podcast extension and generator, extended to what
  directories require (``itunes:explicit`` true/false, 4,000-byte
  descriptions, ``.jpg``/``.png`` artwork, aware dates, website as link).
- :mod:`.podcast2`: our feedgen extension for the ``podcast:`` namespace.
- :mod:`.chapters`: Podcasting 2.0 JSON chapters.
- :mod:`.state`: the queries behind a feed and its cache fingerprint.
"""

from .build import FeedUrls, build_podcast_feed, build_stories_feed
from .chapters import build_chapters, chapters_json

__all__ = [
    "FeedUrls",
    "build_chapters",
    "build_podcast_feed",
    "build_stories_feed",
    "chapters_json",
]
