"""Moving a podcast in and out.

- ``shows.old_feed_url``: the feed a podcast was imported from.
- ``shows.new_feed_url``: where it moved to (``itunes:new-feed-url`` and a 301).
- ``episodes.guid`` up to 255 characters: an imported episode keeps the GUID
  its old feed gave it, which is often a URL rather than a UUID. SQLite does
  not enforce lengths, and rebuilding the table in batch mode would cascade
  deletes to its tags and links (DROP TABLE runs the foreign-key actions), so
  there only the declared type is edited, as SQLite's documentation allows for
  changes that leave the stored data as it is (ALTER TABLE, section 7).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _guid_length(old: int, new: int) -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        op.alter_column("episodes", "guid", type_=sa.String(length=new))
        return
    version = connection.exec_driver_sql("PRAGMA schema_version").scalar_one()
    connection.exec_driver_sql("PRAGMA writable_schema=ON")
    connection.exec_driver_sql(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ?",
        (f"guid VARCHAR({old}) NOT NULL", f"guid VARCHAR({new}) NOT NULL", "episodes"),
    )
    connection.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    connection.exec_driver_sql("PRAGMA writable_schema=OFF")


def upgrade() -> None:
    op.add_column(
        "shows", sa.Column("old_feed_url", sa.String(length=500), nullable=False, server_default="")
    )
    op.add_column(
        "shows", sa.Column("new_feed_url", sa.String(length=500), nullable=False, server_default="")
    )
    _guid_length(36, 255)


def downgrade() -> None:
    _guid_length(255, 36)
    op.drop_column("shows", "new_feed_url")
    op.drop_column("shows", "old_feed_url")
