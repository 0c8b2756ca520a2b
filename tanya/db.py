"""Database engine and short-lived sessions, configured from the environment.

Nothing connects at import time: the engine is created on first use and cached per URL.
`DATABASE_URL` (any SQLAlchemy URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres)
switches from the embedded SQLite default to PostgreSQL.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from tanya.settings import get_settings


def database_url() -> str:
    """The configured database URL (tanya.settings), or the embedded SQLite file."""
    return get_settings().knowledge_url


def get_engine(url: Optional[str] = None) -> Engine:
    """The engine for `url` (default: the configured database), created once per URL."""
    return _engine_for(url or database_url())


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    """SQLite parent folders are created on demand."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _enable_foreign_keys(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    return engine


@contextmanager
def session_scope(url: Optional[str] = None) -> Iterator[Session]:
    """One short session per unit of work: commit on success, roll back on error."""
    session = sessionmaker(bind=get_engine(url), future=True, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


def tracker_database_url() -> str:
    """Where Rasa keeps conversations: TRACKER_DATABASE_URL, else DATABASE_URL, else a SQLite file.

    The embedded default uses its own file so the action server's knowledge reads never wait on
    the Rasa server's tracker writes (SQLite allows one writer at a time).
    """
    url = get_settings().tracker_url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    return url
