"""Fixtures: a fixed test key (never the developer's), and the two databases the store must support."""

import pytest
from reg_helpers import TEST_KEY

from tanya.registration import crypto


@pytest.fixture(autouse=True)
def secret_key(monkeypatch):
    monkeypatch.setenv(crypto.ENV_VAR, TEST_KEY)
    return TEST_KEY


@pytest.fixture
def db_url(migrated_db):
    """A migrated throw-away database, SQLite then PostgreSQL (real: fails if it is down; tests/unit/conftest.py)."""
    return migrated_db
