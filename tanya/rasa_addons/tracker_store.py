"""A persistent SQL tracker store configured by URL from the environment.

endpoints.yml names this class; the database comes from TRACKER_DATABASE_URL / DATABASE_URL, so the
same file serves the embedded SQLite default and PostgreSQL in production.
"""
from __future__ import annotations

from typing import Any, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

from tanya.db import tracker_database_url


class UrlSQLTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[str] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        # SQLTrackerStore treats a host containing "://" as a complete SQLAlchemy URL.
        super().__init__(domain=domain, host=host or tracker_database_url(), event_broker=event_broker, **kwargs)
