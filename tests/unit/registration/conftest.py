"""Fixtures: a fixed test key (never the developer's), and the two databases the store must support."""

import pytest
from reg_helpers import POSTGRES_URL, TEST_KEY

from tanya.db import get_engine
from tanya.registration import crypto, store


@pytest.fixture(autouse=True)
def secret_key(monkeypatch):
    monkeypatch.setenv(crypto.ENV_VAR, TEST_KEY)
    return TEST_KEY


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A database with fresh reg_ tables, dropped afterwards; PostgreSQL is real (fails if it is down)."""
    url = f"sqlite:///{tmp_path / 'reg.db'}" if request.param == "sqlite" else POSTGRES_URL
    engine = get_engine(url)
    store.Base.metadata.drop_all(engine)
    store.create_tables(engine)
    yield url
    store.Base.metadata.drop_all(engine)
    if request.param == "sqlite":
        engine.dispose()
