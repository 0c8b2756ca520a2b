"""The migrations build the whole schema on an empty SQLite and PostgreSQL database, match the models,
adopt a database from before migrations, and go back to nothing."""

import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from tanya import migrations
from tanya.db import get_engine
from tanya.knowledge import models
from tanya.registration import store

ROOT = Path(__file__).resolve().parents[3]
# Every table of the assistant's own at the newest revision (Rasa's tracker tables are not among them).
TABLES = {f"kb_{section}" for section in models.SECTIONS} | {
    "kb_meta", "reg_preregistration", "channel_seen_message", "channel_choice",
    "handoff_session", "handoff_outbox", "channel_address", "limit_event", "limit_lock",
}


def own_tables(url):
    return {name for name in inspect(get_engine(url)).get_table_names() if name.startswith(migrations.OWN_PREFIXES)}


def differences(url):
    """What autogenerate would change to make the database match the models ([] when they agree)."""
    with get_engine(url).connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True,
            "include_object": lambda obj, name, kind, *_: kind != "table" or name.startswith(migrations.OWN_PREFIXES),
        })
        return compare_metadata(context, migrations.target_metadata())


def test_an_empty_database_goes_to_head_and_back_to_base(empty_db):
    assert migrations.current(empty_db) == () and own_tables(empty_db) == set()
    migrations.upgrade(empty_db)
    assert own_tables(empty_db) == TABLES
    assert migrations.current(empty_db) == (migrations.head(),)
    migrations.upgrade(empty_db)  # at head already: nothing to do, nothing fails
    assert own_tables(empty_db) == TABLES
    migrations.downgrade(empty_db, "base")
    assert own_tables(empty_db) == set() and migrations.current(empty_db) == ()


def test_the_migrated_schema_is_the_models_schema(migrated_db):
    # A model changed without a new revision shows here (run alembic revision --autogenerate).
    assert differences(migrated_db) == []
    with get_engine(migrated_db).begin() as connection:
        connection.execute(text("DROP INDEX ix_reg_preregistration_city"))
    assert [change[0] for change in differences(migrated_db)] == ["add_index"]


def test_a_database_created_before_migrations_is_adopted_with_its_rows(empty_db):
    # What the modules' own create_all left behind: some tables, rows, no alembic_version.
    engine = get_engine(empty_db)
    models.metadata.create_all(engine)
    store.Base.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(models.meta.insert().values(name="content", version="v1", loaded_at=text("CURRENT_TIMESTAMP")))
    migrations.upgrade(empty_db)
    assert own_tables(empty_db) == TABLES and migrations.current(empty_db) == (migrations.head(),)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version FROM kb_meta")).scalar() == "v1"


def test_the_command_line_upgrades_reports_and_downgrades(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"

    def run(*args):
        return subprocess.run([sys.executable, "-m", "tanya.migrations", "--database-url", url, *args],
                              capture_output=True, text=True, cwd=ROOT, timeout=60)

    up = run("upgrade")
    assert up.returncode == 0 and "Running upgrade  -> 0001" in up.stderr and "up to date" in up.stdout
    assert own_tables(url) == TABLES
    assert f"is at {migrations.head()} (up to date)" in run("current").stdout
    assert run("downgrade").returncode == 2  # no default: dropping the registrations is never implied
    down = run("downgrade", "base")
    assert down.returncode == 0 and "no revision" in down.stdout and own_tables(url) == set()


def test_an_unreachable_database_is_one_line_not_a_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "tanya.migrations", "--database-url", "postgresql://postgres@127.0.0.1:1/none", "current"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert result.returncode == 1 and "Cannot migrate postgresql://postgres@127.0.0.1:1/none" in result.stderr
    assert "Traceback" not in result.stderr
