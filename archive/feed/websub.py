"""WebSub discovery in the podcast feed: ``<atom:link rel="hub">`` (a feedgen extension).

The feed's ``rel="self"`` link is written by feedgen itself; this adds the hub
the publisher notifies (``ARCHIVE_WEBSUB_HUB``), so subscribers can ask it
for pushes instead of polling.
"""

from __future__ import annotations

from feedgen.ext.base import BaseExtension
from feedgen.util import xml_elem
from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"


class HubExtension(BaseExtension):
    """``generator.websub.hub(url)``: the channel's hub link."""

    def __init__(self) -> None:
        self._hub: str | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"atom": ATOM_NS}

    def hub(self, url: str | None = None) -> str | None:
        if url is not None:
            self._hub = url
        return self._hub

    def extend_rss(self, rss_feed: etree._Element) -> etree._Element:
        if self._hub:
            channel = rss_feed[0]
            xml_elem(f"{{{ATOM_NS}}}link", channel, href=self._hub, rel="hub")
        return rss_feed
