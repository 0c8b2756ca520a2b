"""Databases for the unit tests, with the schema the migrations create (tanya/migrations), never create_all."""

import pytest

from tanya import migrations
from tests.support.databases import postgres_schema, sqlite_url


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db(request, tmp_path):
    """The URL of an empty throw-away database: a SQLite file, then a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def migrated_db(empty_db):
    """An empty throw-away database (SQLite, then PostgreSQL) migrated to the newest revision."""
    migrations.upgrade(empty_db)
    return empty_db


@pytest.fixture
def migrated_sqlite(tmp_path):
    """A SQLite file migrated to the newest revision, for tests that need one database only."""
    url = sqlite_url(tmp_path)
    migrations.upgrade(url)
    return url
