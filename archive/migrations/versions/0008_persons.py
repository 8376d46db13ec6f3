"""Persons: who speaks in an episode, who hosts a show.

- ``persons``: the shown name (a pseudonym is normal), the transcript voice it
  maps, a Podcasting 2.0 role, our perspective, ``href``/``img`` with consent,
  and whether the name was withdrawn. Rows go with their episode or show.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=True),
        sa.Column("episode_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("voice", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("perspective", sa.String(length=32), nullable=False),
        sa.Column("href", sa.String(length=500), nullable=False),
        sa.Column("img", sa.String(length=500), nullable=False),
        sa.Column("name_withdrawn", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["episode_id"], ["episodes.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["show_id"], ["shows.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_persons_episode_id", "persons", ["episode_id"])
    op.create_index("ix_persons_show_id", "persons", ["show_id"])


def downgrade() -> None:
    op.drop_index("ix_persons_show_id", table_name="persons")
    op.drop_index("ix_persons_episode_id", table_name="persons")
    op.drop_table("persons")
