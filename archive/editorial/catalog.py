"""Shows (podcasts): created by the demo loader and, later, editors."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from ..models import Show, db
from ..storage import media_store
from .unit import Actor, Unit, run


def create_show(values: Mapping[str, Any], artwork: bytes | None, who: Actor) -> Show:
    """A podcast; ``artwork`` (JPEG bytes) is stored under a name with its hash."""

    def work(unit: Unit) -> Show:
        show = Show(**values)
        if artwork is not None:
            name = f"show-{values['slug']}-{hashlib.sha256(artwork).hexdigest()[:12]}.jpg"
            unit.wrote(media_store().save_bytes(artwork, name))
            show.artwork_path = name
        db.session.add(show)
        db.session.flush()
        unit.record("show", show.id, "created", show.title)
        return show

    return run(work, who)
