"""The schema of the assistant's own database, created and changed by Alembic migrations only.

The knowledge base (kb_), pre-registrations (reg_), the app channels' memory (channel_), handoffs
(handoff_) and the limits' counters (limit_) live in one database (tanya.settings `knowledge_url`).
Each change of their tables is a numbered revision in versions/; `upgrade()` brings any database to the newest one. The setup runs it
(python -m tanya.migrations upgrade) and so does the knowledge loader before it loads, so a fresh
clone, a test's throw-away database and production reach the same schema the same way.
Rasa's tracker tables (events, ...) belong to Rasa and are never touched here, even when they share
the database. The analytics only read Rasa's events: they have no tables of their own.

A new revision: change the model, then `.venv/bin/alembic revision --autogenerate --rev-id 0002 -m
"what changed"` (alembic.ini at the project root points here; `-x url=...` picks the database to
compare with) and review what it wrote. tests/unit/migrations checks that models and migrations agree.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

MIGRATIONS_DIR = Path(__file__).resolve().parent
# The tables these migrations own: autogenerate compares only these, never Rasa's.
OWN_PREFIXES = ("kb_", "reg_", "channel_", "handoff_", "limit_")


def alembic_config(url: Optional[str] = None, connection=None):
    """An Alembic Config for this package, without an ini file: `url` or an open `connection` (env.py)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Attributes, not set_main_option: a URL's "%" would be read as ini interpolation.
    config.attributes["url"] = url
    config.attributes["connection"] = connection
    return config


def target_metadata() -> List:
    """The models' metadata the migrations must match (autogenerate, and the test that compares them)."""
    from tanya.channels import addresses, choices, seen_messages
    from tanya.handoff import sessions
    from tanya.knowledge import models
    from tanya.limits import store as limits
    from tanya.registration import store

    return [models.metadata, store.Base.metadata, seen_messages.Base.metadata, choices.Base.metadata,
            sessions.Base.metadata, addresses.Base.metadata, limits.Base.metadata]


@contextmanager
def _connection(url: Optional[str]) -> Iterator:
    from tanya.db import database_url, get_engine

    # The process's own engine: an in-memory SQLite database exists only on its connections.
    with get_engine(url or database_url()).begin() as connection:
        yield connection


def upgrade(url: Optional[str] = None, revision: str = "head") -> None:
    """Bring the database at `url` (default: the configured one) to `revision`; idempotent."""
    from alembic import command

    with _connection(url) as connection:
        command.upgrade(alembic_config(connection=connection), revision)


def downgrade(url: Optional[str], revision: str) -> None:
    """Undo migrations down to `revision` ("base": drop every table of this package, data included)."""
    from alembic import command

    with _connection(url) as connection:
        command.downgrade(alembic_config(connection=connection), revision)


def current(url: Optional[str] = None) -> Tuple[str, ...]:
    """The revision(s) the database is at; () for a database never migrated."""
    from alembic.runtime.migration import MigrationContext

    with _connection(url) as connection:
        return tuple(MigrationContext.configure(connection).get_current_heads())


def head() -> str:
    """The newest revision in versions/."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
