"""Shows (podcasts): created by the demo loader and imports; moved in and out."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ..models import PERSON_ROLES, Person, Show, db
from ..storage import media_store
from ..text import clean_voice
from .unit import Actor, EditorialError, ItemGone, Unit, run

#: The feed addresses a show keeps for a move (column length 500).
MOVE_FIELDS: tuple[str, ...] = ("old_feed_url", "new_feed_url")


def _hosts(hosts: Any) -> list[Person]:
    """``[{"name", "role"}]`` as the show's hosts (``podcast:person`` on the channel)."""
    rows = hosts if isinstance(hosts, list) else []
    people = []
    for position, row in enumerate(r for r in rows if isinstance(r, dict)):
        name = clean_voice(str(row.get("name") or ""))
        role = str(row.get("role") or "host")
        if not name or role not in PERSON_ROLES:
            raise EditorialError(
                f"Presentator {position + 1}: een naam en een bekende rol zijn nodig.",
                f"bad host {row!r}",
            )
        people.append(Person(name=name, role=role, position=position))
    return people


def create_show(values: Mapping[str, Any], artwork: bytes | None, who: Actor) -> Show:
    """A podcast; ``artwork`` (JPEG bytes) is stored under a name with its hash;
    ``values["hosts"]`` (``[{"name", "role"}]``) become its hosts."""

    def work(unit: Unit) -> Show:
        fields = {key: value for key, value in values.items() if key != "hosts"}
        show = Show(**fields, hosts=_hosts(values.get("hosts")))
        if artwork is not None:
            name = f"show-{values['slug']}-{hashlib.sha256(artwork).hexdigest()[:12]}.jpg"
            unit.wrote(media_store().save_bytes(artwork, name))
            show.artwork_path = name
        db.session.add(show)
        db.session.flush()
        unit.record("show", show.id, "created", show.title)
        return show

    return run(work, who)


def _feed_address(value: str, field: str) -> str:
    value = (value or "").strip()
    parts = urlsplit(value)
    if value and (parts.scheme not in ("http", "https") or not parts.netloc or len(value) > 500):
        raise EditorialError(
            "Vul het volledige adres van de feed in, beginnend met https://.",
            f"bad {field}: {value!r}",
            field=field,
        )
    return value


def move_show(show_id: int, values: Mapping[str, str], who: Actor) -> Show:
    """Set where the show came from (``old_feed_url``) or moves to (``new_feed_url``).

    A ``new_feed_url`` makes our feed answer 301 to it; "" clears a field.
    """

    def work(unit: Unit) -> Show:
        show = db.session.get(Show, show_id)
        if show is None:
            raise ItemGone("Deze podcast bestaat niet (meer).", f"show {show_id} not found")
        for name in MOVE_FIELDS:
            if name in values:
                setattr(show, name, _feed_address(values[name], name))
        detail = f"van {show.old_feed_url or '-'} naar {show.new_feed_url or '-'}"
        unit.record("show", show.id, "changed", detail)
        return show

    return run(work, who)
