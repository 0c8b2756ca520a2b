"""Load conversations from Rasa's SQL tracker store: sender id -> that sender's events, oldest first.

Only this module touches the database (SQLAlchemy Core, one short connection per call). Like Rasa's
SQLTrackerStore, it reads the PostgreSQL schema named by POSTGRESQL_SCHEMA when that is set. With a period,
it loads the whole conversation of every sender who wrote in it, because a session's numbers (its
handoff, its form, its ratings) may lie outside the period's bounds; report.py then keeps the sessions
whose day is in the period.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, inspect, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.engine.url import make_url

TABLE = "events"
# The columns of rasa.core.tracker_store.SQLTrackerStore.SQLEvent that the numbers need.
EVENTS = Table(
    TABLE,
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)
SENDERS_PER_QUERY = 500  # bound the size of each IN (...) list
SCHEMA_VARIABLE = "POSTGRESQL_SCHEMA"  # the variable rasa.core.tracker_store reads


class TrackerStoreError(RuntimeError):
    pass


def period_bounds(since: Optional[date], until: Optional[date], zone: ZoneInfo) -> Tuple[Optional[float], Optional[float]]:
    """Timestamps of local midnight at the start of `since` and after the end of `until`."""
    start = datetime.combine(since, time.min, tzinfo=zone).timestamp() if since else None
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone).timestamp() if until else None
    return start, end


def _check_sqlite_file(url: str) -> None:
    # Reading must never create an empty database in place of a mistyped path.
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        path = Path(url[len("sqlite:///") :].split("?", 1)[0])
        if not path.is_file():
            raise TrackerStoreError(f"no tracker database at {path}")


@lru_cache(maxsize=8)
def _engine(url: str, schema: str) -> Engine:
    """One engine per URL and schema (the dashboard reads again and again; the CLI once)."""
    kwargs = {}
    if schema and make_url(url).get_backend_name() == "postgresql":
        kwargs["connect_args"] = {"options": f"-csearch_path={schema}"}
    return create_engine(url, future=True, pool_pre_ping=True, **kwargs)


def tracker_engine(url: str) -> Engine:
    return _engine(url, os.environ.get(SCHEMA_VARIABLE, "").strip())


def _senders_in_period(connection: Connection, start: Optional[float], end: Optional[float]) -> List[str]:
    query = select(EVENTS.c.sender_id).where(EVENTS.c.type_name == "user").distinct()
    if start is not None:
        query = query.where(EVENTS.c.timestamp >= start)
    if end is not None:
        query = query.where(EVENTS.c.timestamp < end)
    return sorted(row.sender_id for row in connection.execute(query))


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def _collect(rows, conversations: Dict[str, List[dict]]) -> None:
    for row in rows:
        try:
            event = json.loads(row.data or "")
        except ValueError:
            continue  # not written by Rasa; nothing to count
        if isinstance(event, dict):
            conversations.setdefault(row.sender_id, []).append(event)


def load_conversations(
    url: str, zone: ZoneInfo, since: Optional[date] = None, until: Optional[date] = None
) -> Dict[str, List[dict]]:
    """Sender id -> events (Rasa's `Event.as_dict()`), for every sender with a user message in the period."""
    if url.startswith("postgres://"):  # Heroku-style; SQLAlchemy 1.4 wants postgresql://
        url = "postgresql://" + url[len("postgres://") :]
    _check_sqlite_file(url)
    engine = tracker_engine(url)
    conversations: Dict[str, List[dict]] = {}
    with engine.connect() as connection:
        if not inspect(connection).has_table(TABLE):
            return conversations  # the assistant has not stored a conversation yet
        columns = select(EVENTS.c.sender_id, EVENTS.c.data).order_by(EVENTS.c.sender_id, EVENTS.c.id)
        if since is None and until is None:
            _collect(connection.execute(columns), conversations)
            return conversations
        senders = _senders_in_period(connection, *period_bounds(since, until, zone))
        for chunk in _chunks(senders, SENDERS_PER_QUERY):
            _collect(connection.execute(columns.where(EVENTS.c.sender_id.in_(chunk))), conversations)
    return conversations
