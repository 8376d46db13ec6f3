"""The one writer: every change to content and accounts is committed here.

Each action runs as one transaction (:func:`.unit.run`) that changes the rows,
appends a history event and, for content, a change-log row, then commits and
wakes the followers of the change log (this node's search index). Nothing
else in the package commits content or accounts.

Modules: ``unit`` (the transaction, retries, conflicts, files), ``changelog``
(the log, its followers and retention), ``content`` (stories and episodes),
``episodes`` (episodes from audio), ``catalog`` (shows), ``agenda`` (editions and events),
``persons`` (who speaks in an episode), ``accounts`` (editors), ``history`` (labels and
the history query).
"""

from __future__ import annotations

from .accounts import (
    LAST_ADMIN,
    change_password,
    confirm_two_factor,
    create_or_reset,
    disable_two_factor,
    end_sessions,
    save_account,
    start_two_factor,
    use_second_factor,
)
from .agenda import cancel_event, save_campaign, save_event
from .catalog import create_show, move_show
from .content import (
    DRAFT,
    NOW,
    Publication,
    SlugTaken,
    delete,
    publish,
    save,
    tags_named,
    withdraw,
)
from .episodes import NewAudio, create_episode, replace_audio
from .history import ACTIONS, actor_name, history
from .persons import save_persons, withdraw_name
from .unit import (
    COMMAND_LINE,
    DEMO,
    IMPORT,
    VERSIONED_MODELS,
    Actor,
    Busy,
    EditConflict,
    EditorialError,
    ItemGone,
)

__all__ = [
    "ACTIONS",
    "COMMAND_LINE",
    "DEMO",
    "DRAFT",
    "IMPORT",
    "LAST_ADMIN",
    "NOW",
    "VERSIONED_MODELS",
    "Actor",
    "Busy",
    "EditConflict",
    "EditorialError",
    "ItemGone",
    "NewAudio",
    "Publication",
    "SlugTaken",
    "actor_name",
    "cancel_event",
    "change_password",
    "confirm_two_factor",
    "create_episode",
    "create_or_reset",
    "create_show",
    "delete",
    "disable_two_factor",
    "end_sessions",
    "history",
    "move_show",
    "publish",
    "replace_audio",
    "save",
    "save_account",
    "save_campaign",
    "save_event",
    "save_persons",
    "start_two_factor",
    "tags_named",
    "use_second_factor",
    "withdraw",
    "withdraw_name",
]
