"""Sessions that end, throttling that does not lock, and a second factor.

- ``editors.failed_logins`` / ``editors.locked_until`` go: the lock they kept
  could be set by anyone who knew an e-mail address. Failed logins are now
  counted per e-mail and address by the login throttle (Flask-Limiter), outside
  the database.
- ``editors.session_token``: part of every session's user id; a new token
  (logout, password, role or active changed) ends every session of the editor.
  Existing editors get a random one, so sessions from before this revision end.
- ``editors.throttle_epoch``: part of the throttle's keys; ``create-editor``
  raises it to forget the account's failures from every address.
- ``editors.totp_secret`` / ``totp_confirmed_at`` / ``totp_last_step``: the
  second factor (TOTP) and the last time step used, so a code works once.
- ``recovery_codes``: ten one-time codes per editor, hashed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("editors") as batch:
        batch.add_column(sa.Column("session_token", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column("throttle_epoch", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("totp_secret", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("totp_confirmed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch.drop_column("failed_logins")
        batch.drop_column("locked_until")
    editors = sa.table("editors", sa.column("id", sa.Integer), sa.column("session_token"))
    connection = op.get_bind()
    for (editor_id,) in connection.execute(sa.select(editors.c.id)).all():
        connection.execute(
            editors.update()
            .where(editors.c.id == editor_id)
            .values(session_token=secrets.token_urlsafe(32))
        )
    with op.batch_alter_table("editors") as batch:
        batch.alter_column("session_token", existing_type=sa.String(length=64), nullable=False)
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("editor_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["editor_id"], ["editors.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_recovery_codes_editor_id", "recovery_codes", ["editor_id"])


def downgrade() -> None:
    op.drop_index("ix_recovery_codes_editor_id", table_name="recovery_codes")
    op.drop_table("recovery_codes")
    with op.batch_alter_table("editors") as batch:
        batch.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_confirmed_at")
        batch.drop_column("totp_secret")
        batch.drop_column("throttle_epoch")
        batch.drop_column("session_token")
