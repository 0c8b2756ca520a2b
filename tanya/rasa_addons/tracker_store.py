"""A persistent SQL tracker store configured by URL, which never stores NIK or phone numbers in clear.

endpoints.yml names this class; the database comes from TRACKER_DATABASE_URL / DATABASE_URL, so the
same file serves the embedded SQLite default and PostgreSQL in production. Before events are written,
every string in them (user text, parse data, entities, slot values, bot text) goes through
tanya.privacy.masking, because Rasa OSS would otherwise keep them verbatim.
"""

from __future__ import annotations

from typing import Any, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from tanya.db import tracker_database_url
from tanya.privacy.masking import mask_value


def redacted_tracker(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """A copy of the tracker whose events carry no personal numbers in clear."""
    events = [Event.from_parameters(mask_value(event.as_dict())) for event in tracker.events]
    return DialogueStateTracker.from_events(
        tracker.sender_id, events, slots=list(tracker.slots.values()), max_event_history=tracker._max_event_history
    )


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

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(redacted_tracker(tracker))
