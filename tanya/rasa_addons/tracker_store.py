"""A persistent SQL tracker store configured by URL, which never stores NIK or phone numbers in clear.

endpoints.yml names this class; the database comes from TRACKER_DATABASE_URL / DATABASE_URL, so the
same file serves the embedded SQLite default and PostgreSQL in production. Before events are written,
every string in them (user text, parse data, entities, slot values, bot text) goes through
tanya.privacy.masking, because Rasa OSS would otherwise keep them verbatim.

When the database is down (a PostgreSQL restart), a turn fails politely instead of starting a new
conversation: Rasa wraps every tracker store in a FailSafeTrackerStore, which answers a failed read
with an empty tracker (the user would be greeted as a stranger, mid-form) and keeps a failed write in
memory for ever. Here a failed read returns a paused stand-in tracker instead, so Rasa predicts
nothing and the channel says "please try again" in the user's language; nothing of that turn is
stored or published. A turn that was already answered when the database went away keeps trying to
store itself for TANYA_TRACKER_SAVE_RETRY_SECONDS (a restart takes seconds). Pooled connections are
pinged before use (pool_pre_ping), so the store recovers by itself once the database is back,
without a restart of the assistant. Events go to the event broker only after they were written, so
the broker never carries a turn the database lost.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Iterator, List, Optional

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ConversationPaused, Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker, TrackerEventDiffEngine

from tanya.db import tracker_database_url
from tanya.privacy.masking import mask_value
from tanya.settings import get_settings

logger = logging.getLogger(__name__)

# The database is unreachable (not a bug in a query): these end a turn politely.
STORE_DOWN = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DisconnectionError, sa.exc.TimeoutError)
UNAVAILABLE_MARK = {"tanya": "conversation_store_unavailable"}
SAVE_RETRY_PAUSE_SECONDS = 0.5
CREATE_TABLES_LOCK = 7_305_212_001  # any fixed number: the advisory lock all instances agree on


def masked_event(event: Event) -> Event:
    """A copy of `event` with no personal number in clear."""
    return Event.from_parameters(mask_value(event.as_dict()))


def unavailable_tracker(sender_id: str, domain: Optional[Domain]) -> DialogueStateTracker:
    """Stand-in while the database is down: paused, so Rasa runs no policy and no action."""
    events = [
        ActionExecuted(ACTION_SESSION_START_NAME),
        SessionStarted(),
        ActionExecuted(ACTION_LISTEN_NAME),
        ConversationPaused(metadata=dict(UNAVAILABLE_MARK)),
    ]
    return DialogueStateTracker.from_events(sender_id, events, slots=list(domain.slots) if domain else None)


def is_unavailable_stand_in(tracker: DialogueStateTracker) -> bool:
    return any(
        isinstance(event, ConversationPaused) and (event.metadata or {}).get("tanya") == UNAVAILABLE_MARK["tanya"]
        for event in tracker.events
    )


def create_tables_once(url: str) -> None:
    """Create Rasa's events table under a PostgreSQL advisory lock. Instances started together would
    otherwise race in Rasa's own CREATE TABLE, and the loser logs an ERROR for a table that exists."""
    if not url.startswith(("postgresql", "postgres://")):
        return
    engine = sa.create_engine(url, **create_engine_kwargs(url))
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CREATE_TABLES_LOCK})
            SQLTrackerStore.Base.metadata.create_all(connection)
    except STORE_DOWN:
        pass  # not up yet: Rasa's own constructor waits for the database and creates the table
    finally:
        engine.dispose()


class UrlSQLTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[str] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        url = host or tracker_database_url()
        create_tables_once(url)
        # SQLTrackerStore treats a host containing "://" as a complete SQLAlchemy URL.
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        if "://" in url:
            # Rasa's engine hands out pooled connections a database restart has killed: ping first.
            self.engine.dispose()
            self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        try:
            return await super().retrieve(sender_id)
        except STORE_DOWN as error:
            logger.warning("Conversation store unavailable (%s): the turn is declined politely.", type(error).__name__)
            return unavailable_tracker(sender_id, self.domain)

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Publishing happens in save(), after the write (see the module docstring)."""
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        if is_unavailable_stand_in(tracker):
            return  # the turn was declined: nothing of it is kept
        # Only the events not stored yet are masked (in _additional_events): masking and replaying the
        # whole conversation on every turn made each turn slower than the one before.
        new_events: Optional[List[Event]] = None
        # A turn already answered waits out a short outage (a restart) rather than being forgotten.
        # Repeating the write is safe: Rasa's save appends only the events the database lacks.
        deadline = time.monotonic() + get_settings().tracker_save_retry_seconds
        while True:
            try:
                if new_events is None:
                    new_events = await self._unpublished_events(tracker)
                await super().save(tracker)
                break
            except STORE_DOWN as error:
                if time.monotonic() >= deadline:
                    logger.warning("Conversation store unavailable (%s): a turn could not be stored.", type(error).__name__)
                    return
                await asyncio.sleep(SAVE_RETRY_PAUSE_SECONDS)
        if new_events:
            await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)

    async def _unpublished_events(self, tracker: DialogueStateTracker) -> List[Event]:
        if self.event_broker is None:
            return []
        stored = await super().retrieve(tracker.sender_id)
        return [masked_event(event) for event in TrackerEventDiffEngine.event_difference(stored, tracker)]

    def _additional_events(self, session, tracker: DialogueStateTracker) -> Iterator[Event]:
        """The events the database lacks (Rasa's count), each masked on its way in."""
        return (masked_event(event) for event in super()._additional_events(session, tracker))
