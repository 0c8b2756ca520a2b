"""Alembic's entry point: which database, which tables, one migration run at a time.

The database is, in this order: the connection or URL handed over by tanya.migrations, `-x url=...`
on the alembic command line, else tanya.settings `knowledge_url` (DATABASE_URL or .data/tanya.db).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from tanya.migrations import OWN_PREFIXES, target_metadata

# Any constant shared by every process migrating this database: a second process waits on it
# (PostgreSQL advisory lock) instead of creating the same tables at the same moment.
_MIGRATION_LOCK = 7_342_019


def _url() -> str:
    config = context.config
    url = config.attributes.get("url") or context.get_x_argument(as_dictionary=True).get("url")
    if url:
        return url
    from tanya.settings import get_settings

    return get_settings().knowledge_url


def _include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Autogenerate looks at our own tables only (Rasa's, in a shared database, are not ours to drop)."""
    if type_ == "table":
        return name.startswith(OWN_PREFIXES)
    return True


def _configure(**options) -> None:
    context.configure(
        target_metadata=target_metadata(),
        include_object=_include_object,
        compare_type=True,
        **options,
    )


def _run(connection) -> None:
    # SQLite cannot ALTER most things in place: autogenerate writes batch (copy-and-move) operations.
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from tanya.db import get_engine

    with get_engine(_url()).connect() as connection:
        _run(connection)


def run_offline() -> None:
    """`alembic upgrade head --sql`: the SQL for a database administrator to review and run."""
    _configure(url=_url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
