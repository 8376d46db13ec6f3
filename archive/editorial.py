"""Editorial actions: the one place where an editor's change is committed.

Each action commits the database change with its audit event in one
transaction, then brings the derived data up to date (search index; the feeds
are built from the database and see the change at once). Files are removed only
after the commit that stops referring to them.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from .errors import ArchiveError
from .models import AuditEvent, Editor, Episode, Story, db, utcnow
from .storage import media_store

log = logging.getLogger(__name__)

#: Editors think in Dutch local time; the database stores UTC.
LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")

#: Action -> Dutch label for the history list.
ACTIONS: dict[str, str] = {
    "created": "aangemaakt",
    "changed": "gewijzigd",
    "published": "gepubliceerd",
    "scheduled": "ingepland",
    "withdrawn": "teruggetrokken",
    "audio_replaced": "audio vervangen",
    "deleted": "verwijderd",
    "account_created": "account aangemaakt",
    "account_changed": "account gewijzigd",
    "password_changed": "wachtwoord gewijzigd",
}

Item = Story | Episode


class EditorialError(ArchiveError):
    status_code = 400


def to_local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(LOCAL_ZONE) if moment else None


def from_local(moment: datetime | None) -> datetime | None:
    """A naive local (Europe/Amsterdam) date-time from a form, as aware UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=LOCAL_ZONE).astimezone(UTC)


def record(editor: Editor | None, kind: str, item_id: int, action: str, detail: str = "") -> None:
    """Add an audit event to the current transaction."""
    db.session.add(
        AuditEvent(
            editor_id=editor.id if editor else None,
            item_kind=kind,
            item_id=item_id,
            action=action,
            detail=detail,
        )
    )


def history(item: Item) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            db.select(AuditEvent)
            .where(AuditEvent.item_kind == item.kind, AuditEvent.item_id == item.id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        )
    )


def _sync_index(item: Item) -> None:
    from . import search

    search.update_item(item)


def save(item: Item, editor: Editor, action: str, detail: str = "") -> None:
    """Commit ``item`` with an audit event, then update the search index."""
    db.session.add(item)
    db.session.flush()
    record(editor, item.kind, item.id, action, detail)
    db.session.commit()
    _sync_index(item)


def publish(item: Item, editor: Editor, at: datetime | None = None) -> None:
    """Publish now (``at`` None or past) or schedule; refuses before the embargo."""
    moment = at or utcnow()
    if item.embargo_until and moment < item.embargo_until:
        local = to_local(item.embargo_until)
        raise EditorialError(
            f"Dit mag pas vanaf {local:%d-%m-%Y %H:%M} online (embargo van de verteller)."
        )
    item.publish(moment)
    action = "scheduled" if moment > utcnow() else "published"
    local = to_local(moment)
    save(item, editor, action, f"{local:%d-%m-%Y %H:%M}")


def withdraw(item: Item, editor: Editor, reason: str) -> None:
    """Offline at once (site, feed, search), with the reason for editors only."""
    item.withdraw(reason.strip() or None)
    save(item, editor, "withdrawn", reason.strip())


def delete(item: Item, editor: Editor) -> None:
    """Delete the item, its index entry and (for an episode) its files."""
    from . import search

    kind, item_id, title = item.kind, item.id, item.title
    files = []
    if isinstance(item, Episode):
        files = [item.audio_path, item.artwork_path]
    db.session.delete(item)
    record(editor, kind, item_id, "deleted", title)
    db.session.commit()
    media_store().discard(files)
    search.remove_item(kind, item_id)


def replace_audio(episode: Episode, editor: Editor, stream, detail: str) -> None:  # type: ignore[no-untyped-def]
    """New audio for an existing episode: new file name, same GUID.

    The old file is removed only after the database points at the new one; if
    the commit fails, the new file is removed and the old one stays.
    """
    from .ingest import attach_audio

    old_name = attach_audio(episode, stream)
    new_name = episode.audio_path
    try:
        db.session.flush()
        record(editor, episode.kind, episode.id, "audio_replaced", detail)
        db.session.commit()
    except Exception:
        db.session.rollback()
        media_store().delete(new_name)
        raise
    if old_name and old_name != new_name:
        media_store().delete(old_name)
    _sync_index(episode)


def max_upload_mb() -> int:
    return int(current_app.config["MAX_UPLOAD_MB"])


def attach_new_audio(episode: Episode, stream) -> list[str]:  # type: ignore[no-untyped-def]
    """Store the first audio of a new (flushed) episode and fill it from the file's tags.

    Returns remarks for the editor (Dutch), e.g. why embedded cover art was not used.
    """
    from .ingest import attach_audio

    notes: list[str] = []
    attach_audio(episode, stream, notes=notes)
    return notes
