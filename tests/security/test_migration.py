"""Revision 0004 on a database with editors: each gets a session token of its own."""

from alembic import command
from sqlalchemy import text

from archive import database
from archive.models import Editor, db


def test_existing_editors_get_their_own_token_and_no_second_factor(app, ctx):
    config = database.alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
        for email in ("a@example.org", "b@example.org"):
            connection.execute(
                text(
                    "INSERT INTO editors (email, display_name, password_hash, role, active,"
                    " failed_logins, locked_until, created_at, updated_at) VALUES"
                    " (:email, 'A', 'x', 'admin', :active, 3, '2026-11-30 10:00:00',"
                    " '2026-11-01 08:00:00', '2026-11-01 08:00:00')"
                ),
                {"email": email, "active": True},
            )
    database.upgrade()
    editors = db.session.scalars(db.select(Editor).order_by(Editor.email)).all()
    assert [editor.email for editor in editors] == ["a@example.org", "b@example.org"]
    tokens = {editor.session_token for editor in editors}
    assert len(tokens) == 2 and all(len(token) >= 32 for token in tokens)
    assert not any(editor.has_two_factor or editor.throttle_epoch for editor in editors)
