"""Fixtures for the visitors' site: the demo content and one URL per page type."""

from __future__ import annotations

import pytest

from archive.models import Campaign

#: Page type -> URL on the demo content (each is a 200 for visitors).
DEMO_PAGES: dict[str, str] = {
    "home": "/",
    "stories": "/verhalen",
    "story": "/verhalen/de-juf-die-doorvroeg",
    "podcast": "/podcast",
    "episode": "/podcast/signalen-zien",
    "campaign": "/campagne/week-2021",
    "help": "/hulp",
    "safe_browsing": "/veilig-surfen",
}


@pytest.fixture
def pages(demo: Campaign) -> dict[str, str]:
    return DEMO_PAGES
