"""Who is asking, from the User-Agent alone: a listening app, a browser, or a bot.

Apps are a table (first match wins), checked before the bot list: some
players name a URL in their User-Agent, which generic bot patterns catch
(Overcast's does). Bots come from the maintained ``crawler-user-agents``
list, not from patterns of our own. Nothing here is stored but the app's key.
"""

from __future__ import annotations

import re
from functools import lru_cache

from crawleruseragents import is_crawler

#: App key -> (label, pattern on the User-Agent). Order matters: first match wins;
#: add a line to recognise another app.
APPS: dict[str, tuple[str, re.Pattern[str]]] = {
    "apple": (
        "Apple Podcasts",
        re.compile(r"^(AppleCoreMedia|Podcasts)/|iTunes/|Apple ?Podcasts", re.I),
    ),
    "spotify": ("Spotify", re.compile(r"^Spotify/|Spotify-Lite", re.I)),
    "pocketcasts": ("Pocket Casts", re.compile(r"Pocket ?Casts", re.I)),
    "overcast": ("Overcast", re.compile(r"^Overcast/", re.I)),
    "antennapod": ("AntennaPod", re.compile(r"AntennaPod", re.I)),
    "podcastaddict": ("Podcast Addict", re.compile(r"Podcast ?Addict", re.I)),
    "castbox": ("Castbox", re.compile(r"CastBox", re.I)),
    "browser": ("Webbrowser", re.compile(r"^Mozilla/5\.0 ")),
}
#: The key of everything else that is not a bot.
OTHER = "other"
LABELS: dict[str, str] = {key: label for key, (label, _) in APPS.items()} | {OTHER: "Overig"}


@lru_cache(maxsize=4096)
def app_of(user_agent: str) -> str | None:
    """The app key for ``user_agent``, or None for a bot (or no User-Agent at all)."""
    agent = user_agent.strip()
    if not agent:
        return None  # IAB: requests without a User-Agent are filtered
    for key, (_, pattern) in APPS.items():
        if pattern.search(agent) and (key != "browser" or not is_crawler(agent)):
            return key
    return None if is_crawler(agent) else OTHER


def label(app: str) -> str:
    """The Dutch label of an app key (unknown keys as they are)."""
    return LABELS.get(app, app)
