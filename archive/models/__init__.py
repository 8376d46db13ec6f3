"""The content model: shows, episodes, stories, campaigns, events, editors and tags.

The database is the truth; the search index and the feeds are derived from it.
One module per area; everything is importable from here.
"""

from __future__ import annotations

from .accounts import AuditEvent, Editor, RecoveryCode
from .agenda import EVENT_PLACES, Event
from .base import (
    EPISODE_TYPES,
    MAX_EPISODE_NUMBER,
    PERSPECTIVES,
    READING_WORDS_PER_MINUTE,
    ROLES,
    SLUG_PATTERN,
    STATUSES,
    Base,
    Publishable,
    Timestamps,
    UTCDateTime,
    db,
    new_guid,
    new_session_token,
    slugify,
    utcnow,
)
from .changes import Change, ChangeFollower
from .content import (
    ITEM_MODELS,
    Campaign,
    Episode,
    Show,
    Story,
    Tag,
    episode_tags,
    slug_is_taken,
    story_episode_links,
    story_tags,
    suggest_slug,
)
from .persons import (
    PERSON_ROLES,
    SPEAKER_PERSPECTIVES,
    WITHDRAWN_LABEL,
    Person,
)
from .stats import METRICS, StatsDaily, StatsProgress, StatsQuery, StatsSalt, StatsSearcher

__all__ = [
    "EPISODE_TYPES",
    "EVENT_PLACES",
    "ITEM_MODELS",
    "MAX_EPISODE_NUMBER",
    "METRICS",
    "PERSON_ROLES",
    "PERSPECTIVES",
    "READING_WORDS_PER_MINUTE",
    "ROLES",
    "SLUG_PATTERN",
    "SPEAKER_PERSPECTIVES",
    "STATUSES",
    "WITHDRAWN_LABEL",
    "AuditEvent",
    "Base",
    "Campaign",
    "Change",
    "ChangeFollower",
    "Editor",
    "Episode",
    "Event",
    "Person",
    "Publishable",
    "RecoveryCode",
    "Show",
    "StatsDaily",
    "StatsProgress",
    "StatsQuery",
    "StatsSalt",
    "StatsSearcher",
    "Story",
    "Tag",
    "Timestamps",
    "UTCDateTime",
    "db",
    "episode_tags",
    "new_guid",
    "new_session_token",
    "slug_is_taken",
    "slugify",
    "story_episode_links",
    "story_tags",
    "suggest_slug",
    "utcnow",
]
