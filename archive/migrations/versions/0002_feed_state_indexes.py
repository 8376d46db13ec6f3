"""Covering indexes for the feeds' fingerprint queries.

Every feed request computes a fingerprint of the show's episodes (or of the
stories) to decide between a cached feed and a 304; with these indexes the
database answers from the index alone instead of reading every row with its
show notes and transcript.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_episodes_feed_state",
        "episodes",
        ["show_id", "status", "published_at", "updated_at"],
    )
    op.create_index("ix_stories_feed_state", "stories", ["status", "published_at", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_stories_feed_state", table_name="stories")
    op.drop_index("ix_episodes_feed_state", table_name="episodes")
