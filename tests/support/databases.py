"""Throw-away databases for tests: a SQLite file, or a PostgreSQL schema of its own in the `test` database.

A PostgreSQL test gets a fresh schema (its URL sets search_path to it), dropped afterwards, so tests
never see each other's tables, nor those of anyone else using the `test` database at the same time.
PostgreSQL missing is a failure that says what to start, never a skip.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
POSTGRES_NEEDED = (
    "These tests need PostgreSQL on 127.0.0.1:5432 with a database 'test' that user 'postgres' can use "
    "without a password; start it, e.g.: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
)


def sqlite_url(folder: Path, name: str = "tanya.db") -> str:
    return f"sqlite:///{folder / name}"


@contextmanager
def postgres_schema(prefix: str = "t") -> Iterator[str]:
    """The URL of a new, empty schema in the `test` database; the schema is dropped on exit."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"  # our own letters and digits: safe to name in SQL
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    problem = None
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        problem = str(error).splitlines()[0]
    if problem:  # outside the except: the report is this sentence, not a chain of tracebacks
        admin.dispose()
        pytest.fail(f"{POSTGRES_NEEDED} ({problem})", pytrace=False)
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    try:
        yield url
    finally:
        from tanya.db import get_engine

        get_engine(url).dispose()  # the process's cached engine: no idle connection left on the schema
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
