"""Throw-away resources on the real services, for the cluster tests and the benchmark: a PostgreSQL
database and a RabbitMQ queue + exchange of one run, removed afterwards, so that nothing of the
developer's own data is touched."""

from __future__ import annotations

import asyncio
import re
import uuid
from contextlib import contextmanager
from typing import Dict, Iterator

import sqlalchemy as sa

_NAME = re.compile(r"^[a-z0-9_]+$")


@contextmanager
def scratch_database(admin_url: str, prefix: str = "tanya_scratch") -> Iterator[str]:
    """Create a database, yield its URL, drop it (even while sessions are open)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    if not _NAME.match(name):
        raise ValueError(f"not a safe database name: {name!r}")
    # pool_pre_ping: a PostgreSQL restart in between kills the pooled connection.
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))  # checked above: letters, digits, _
        try:
            yield admin_url.rsplit("/", 1)[0] + f"/{name}"
        finally:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def broker_names(prefix: str = "tanya_scratch") -> Dict[str, str]:
    suffix = uuid.uuid4().hex[:10]
    return {"queue": f"{prefix}_{suffix}", "exchange": f"{prefix.replace('_', '-')}-{suffix}"}


def delete_broker_names(rabbitmq_url: str, names: Dict[str, str]) -> None:
    async def delete() -> None:
        import aio_pika

        connection = await aio_pika.connect_robust(rabbitmq_url)
        async with connection:
            channel = await connection.channel()
            await channel.queue_delete(names["queue"])
            await channel.exchange_delete(names["exchange"])

    asyncio.run(delete())
