"""The change log, optimistic versions, and who acted outside the web app.

- ``changes``: one row per committed change to content, the log that the
  search index (and later caches and other nodes) follow.
- ``change_followers``: how far each follower got, so the log can be pruned.
- ``stories.version`` / ``episodes.version``: optimistic locking; replaces
  ``needs_reindex`` (a follower that fails simply has not advanced).
- ``audit_events.actor``: "command_line", "import", "demo" for changes made
  without an editor's session.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "changes",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("item_kind", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_changes_at", "changes", ["at"])
    op.create_table(
        "change_followers",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", BIG_ID, nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    for table in ("stories", "episodes"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
            batch.drop_column("needs_reindex")
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("actor", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("actor")
    for table in ("episodes", "stories"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("needs_reindex", sa.Boolean(), nullable=False, server_default="0")
            )
            batch.drop_column("version")
    op.drop_table("change_followers")
    op.drop_index("ix_changes_at", table_name="changes")
    op.drop_table("changes")
