"""The listening app from the User-Agent, and bots left out (a table of real User-Agents)."""

from __future__ import annotations

import pytest

from archive.stats import agents

#: User-Agent -> app key, or None for a bot.
CASES = [
    ("AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4 like Mac OS X; nl_nl)", "apple"),
    ("Podcasts/1650.20 CFNetwork/1490.0.4 Darwin/23.2.0", "apple"),
    ("Spotify/8.8.96 Android/33 (SM-G991B)", "spotify"),
    ("Pocket Casts", "pocketcasts"),
    ("PocketCasts/1.0 (Pocket Casts Feed Parser; +http://pocketcasts.com/)", "pocketcasts"),
    ("Overcast/3.0 (+http://overcast.fm/; iOS podcast app)", "overcast"),
    ("AntennaPod/3.2.0", "antennapod"),
    ("PodcastAddict/v5 (+https://podcastaddict.com/; Android podcast app)", "podcastaddict"),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "browser"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15", "browser"),
    ("Lavf/60.16.100", "other"),
    ("Googlebot/2.1 (+http://www.google.com/bot.html)", None),
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", None),
    (
        "Mozilla/5.0 (Linux; Android 6.0.1) Chrome/120 Mobile (compatible; Googlebot/2.1)",
        None,
    ),
    ("curl/8.5.0", None),
    ("python-requests/2.32.3", None),
    ("", None),
    ("   ", None),
]


@pytest.mark.parametrize(("user_agent", "expected"), CASES)
def test_app_or_bot_from_user_agent(user_agent, expected):
    assert agents.app_of(user_agent) == expected


def test_every_app_has_a_dutch_label():
    assert agents.label("browser") == "Webbrowser"
    assert agents.label("other") == "Overig"
    assert all(agents.label(key) != key for key in agents.APPS)
