"""One editorial transaction: the changes, their history, the change log, and files.

:func:`run` is the only place where content and accounts are committed. It
calls ``work(unit)``, which changes rows and tells the unit what it did
(:meth:`Unit.changed` for content, :meth:`Unit.record` for accounts) and
which files it wrote or made obsolete. Then, in one transaction, it writes the
history events and the change-log rows and commits.

- A unique-key race (two editors creating the same tag or slug at the same
  moment) raises ``IntegrityError``: the transaction is rolled back and
  ``work`` runs again, seeing the winner's row (a suffix, an existing tag).
- A stale version (someone saved in between) raises :class:`EditConflict`.
- Any failure removes the files this attempt wrote; files made obsolete are
  removed only after the commit that stops referring to them.
- After the commit, this app's change followers run (the search index).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..errors import ArchiveError
from ..localtime import local_label
from ..models import ITEM_MODELS, AuditEvent, Editor, Episode, Event, Story, db
from ..storage import media_store
from . import changelog

log = logging.getLogger(__name__)

T = TypeVar("T")
Item = Story | Episode | Event

#: Kind -> model of everything with an optimistic lock (``version``).
VERSIONED_MODELS: dict[str, type[Story] | type[Episode] | type[Event]] = {
    **ITEM_MODELS,
    "event": Event,
}

#: Attempts of one transaction when a unique-key race is lost.
MAX_ATTEMPTS = 6

#: History action -> what the change log says happened.
CHANGE_ACTIONS: dict[str, str] = {
    "created": "saved",
    "changed": "saved",
    "published": "published",
    "scheduled": "scheduled",
    "withdrawn": "withdrawn",
    "deleted": "deleted",
    "audio_replaced": "audio_replaced",
    "cancelled": "cancelled",
    "persons_changed": "saved",
    "name_withdrawn": "saved",
    "campaign_changed": "saved",
}

#: Who acted, when it was not an editor in the browser (stored in ``AuditEvent.actor``).
ACTORS: dict[str, str] = {
    "command_line": "de opdrachtregel",
    "import": "een import",
    "demo": "de demo-lader",
    "login": "het inlogscherm",
}


@dataclass(frozen=True)
class Actor:
    """Who makes a change: an editor (by id) or a named non-person."""

    editor_id: int | None = None
    label: str | None = None

    @classmethod
    def of(cls, who: Actor | Editor) -> Actor:
        return who if isinstance(who, Actor) else cls(editor_id=who.id)


COMMAND_LINE = Actor(label="command_line")
IMPORT = Actor(label="import")
DEMO = Actor(label="demo")


class EditorialError(ArchiveError):
    """A change that cannot be made; ``field`` names the form field it is about."""

    status_code = 400

    def __init__(self, message: str, cause: str | None = None, field: str | None = None) -> None:
        super().__init__(message, cause)
        self.field = field


class ItemGone(EditorialError):
    status_code = 404


class ReferenceGone(EditorialError):
    """A foreign key to a row that was deleted meanwhile."""

    status_code = 409


class Busy(EditorialError):
    """Too many lost races in a row (should not happen; the input is kept)."""

    status_code = 503


class EditConflict(EditorialError):
    """Someone else saved the item after this editor opened it."""

    status_code = 409

    def __init__(self, kind: str, item_id: int, version: int, by: str, at: datetime | None):
        when = f" op {local_label(at)}" if at else ""
        super().__init__(
            f"Dit is intussen gewijzigd door {by}{when}. Je wijzigingen zijn niet opgeslagen: "
            "vergelijk ze hieronder met de huidige versie en sla opnieuw op.",
            f"stale {kind} {item_id}: now at version {version}",
        )
        self.kind = kind
        self.item_id = item_id
        self.version = version
        self.by = by
        self.at = at


@dataclass
class Unit:
    """What one attempt of a transaction did (filled by ``work``)."""

    actor: Actor
    #: (item or (kind, id), history action, detail, goes into the change log)
    events: list[tuple[object, str, str, bool]] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    obsolete: list[str] = field(default_factory=list)
    #: (kind, id) of the item being edited, for the conflict message.
    subject: tuple[str, int] | None = None

    def changed(self, item: Item, action: str, detail: str = "") -> None:
        """Content changed: a history event and a change-log row."""
        self.events.append((item, action, detail, True))

    def deleted(self, item: Item, detail: str = "") -> None:
        """Content deleted: history and change log, by key (the row is gone at flush)."""
        self.events.append(((item.kind, item.id), "deleted", detail, True))

    def record(self, kind: str, item_id: int, action: str, detail: str = "") -> None:
        """History only (accounts)."""
        self.events.append(((kind, item_id), action, detail, False))

    def wrote(self, name: str | None) -> None:
        """A file this attempt wrote: removed if it fails."""
        if name:
            self.written.append(name)

    def replaced(self, name: str | None) -> None:
        """A file no row refers to after the commit: removed then."""
        if name:
            self.obsolete.append(name)


def _flush_events(unit: Unit) -> None:
    changes = []
    for subject, action, detail, logged in unit.events:
        if isinstance(subject, tuple):
            kind, item_id = subject
            version = None
        else:
            kind, item_id = subject.kind, subject.id  # type: ignore[attr-defined]
            version = None if action == "deleted" else subject.version  # type: ignore[attr-defined]
        db.session.add(
            AuditEvent(
                editor_id=unit.actor.editor_id,
                actor=unit.actor.label,
                item_kind=kind,
                item_id=item_id,
                action=action,
                detail=detail[:2000],
            )
        )
        if logged:
            changes.append((kind, item_id, version, CHANGE_ACTIONS[action]))
    if changes:
        changelog.lock_for_append()
        for change in changes:
            changelog.append(*change)


def conflict(kind: str, item_id: int) -> EditConflict:
    """The conflict for the item as it is now in the database (who changed it last, when)."""
    item = db.session.get(VERSIONED_MODELS[kind], item_id)
    if item is None:
        return ItemGone("Dit item is intussen verwijderd.", f"{kind} {item_id} gone")  # type: ignore[return-value]
    event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.item_kind == kind, AuditEvent.item_id == item_id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    return EditConflict(kind, item_id, item.version, actor_name(event), event.at if event else None)


def actor_name(event: AuditEvent | None) -> str:
    """Who did ``event``, for people."""
    if event is None:
        return "iemand anders"
    if event.editor is not None:
        return event.editor.display_name
    return ACTORS.get(event.actor or "", "onbekend")


def check_version(item: Item, expected: int | None) -> None:
    """Refuse to change ``item`` when the editor opened an older version."""
    if expected is not None and item.version != expected:
        raise conflict(item.kind, item.id)


def bump(item: Item) -> None:
    """The next version (every save is a versioned UPDATE, also for tag-only changes)."""
    item.version = (item.version or 0) + 1 if item.id is not None else 1


def is_unique_violation(error: IntegrityError) -> bool:
    """A lost race on a unique key (SQLite's message, PostgreSQL's SQLSTATE 23505)."""
    original = error.orig
    return getattr(original, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(
        original
    )


def _undo(unit: Unit) -> None:
    db.session.rollback()
    if unit.written:
        media_store().discard(unit.written)


def run(work: Callable[[Unit], T], who: Actor | Editor) -> T:
    """Run ``work`` in one transaction with history and change log; see the module doc."""
    actor = Actor.of(who)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        unit = Unit(actor)
        try:
            result = work(unit)
            db.session.flush()
            _flush_events(unit)
            db.session.commit()
        except IntegrityError as error:
            _undo(unit)
            if not is_unique_violation(error):
                raise ReferenceGone(
                    "Opslaan lukte niet: iets waarnaar je verwijst (een campagne, podcast of "
                    "aflevering) bestaat niet meer. Je invoer staat er nog: kies opnieuw.",
                    repr(error.orig),
                ) from error
            log.info("attempt %d lost a unique-key race: %s", attempt, error.orig)
            if attempt < MAX_ATTEMPTS:
                continue
            raise Busy(
                "Opslaan lukte niet doordat anderen tegelijk hetzelfde opsloegen. "
                "Je invoer staat er nog: probeer het opnieuw.",
                repr(error.orig),
            ) from error
        except StaleDataError as error:
            key = unit.subject
            _undo(unit)
            if key is None:
                raise
            raise conflict(*key) from error
        except BaseException:
            _undo(unit)
            raise
        if unit.obsolete:
            media_store().discard(unit.obsolete)
        if any(logged for *_, logged in unit.events):
            changelog.wake()
        return result
    raise AssertionError("unreachable")  # pragma: no cover
