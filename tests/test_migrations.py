"""The schema is managed by Alembic; real content must survive upgrades."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from archive import create_app, database
from archive.models import Base, db


def first_revision() -> str:
    script = ScriptDirectory.from_config(database.alembic_config())
    return list(script.walk_revisions())[-1].revision


def test_database_made_at_first_revision_upgrades_with_its_content(app_config):
    app = create_app(app_config)
    with app.app_context():
        database.upgrade(first_revision())
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO stories (slug, title, summary, body, author_name, content_note,"
                    " reading_minutes, status, needs_reindex, is_demo, created_at, updated_at)"
                    " VALUES ('oud', 'Oud verhaal', '', 'Tekst', 'Anoniem', '', 1, 'draft',"
                    " FALSE, FALSE, '2021-11-15 08:00:00', '2021-11-15 08:00:00')"
                )
            )
        database.upgrade()
        assert database.current_revision() == database.head_revision()
        with db.engine.connect() as connection:
            title = connection.execute(text("SELECT title FROM stories WHERE slug='oud'"))
            assert title.scalar_one() == "Oud verhaal"
        db.engine.dispose()


def test_migrations_match_the_models(app):
    """A model change without a migration fails here."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_init_db_creates_then_reports_up_to_date(app_config):
    app = create_app(app_config)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init-db"])
    second = runner.invoke(args=["init-db"])
    assert first.exit_code == 0 and "Database created" in first.output
    assert second.exit_code == 0 and "up to date" in second.output
    with app.app_context():
        db.engine.dispose()


def test_tables_and_alembic_version_live_in_the_tests_own_database(app):
    """On PostgreSQL every test has a schema of its own (see conftest); SQLite a file."""
    with app.app_context(), db.engine.connect() as connection:
        inspector = inspect(connection)
        assert {"alembic_version", "stories"} <= set(inspector.get_table_names())
        if connection.dialect.name == "postgresql":
            assert inspector.default_schema_name.startswith("t_")
