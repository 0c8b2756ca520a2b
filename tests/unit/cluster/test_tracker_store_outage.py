"""The tracker store when its PostgreSQL goes away: a polite stand-in, no lost answered turns, no
events published for writes that failed, recovery without a restart. Against the machine's real
PostgreSQL, in a database of this module's own (created and dropped here)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tanya.cluster.scratch import scratch_database
from tanya.rasa_addons.tracker_store import UrlSQLTrackerStore, is_unavailable_stand_in

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEAD_URL = "postgresql://postgres@127.0.0.1:1/nowhere"  # nothing listens on port 1: "connection refused"
DOMAIN = Domain.from_yaml("version: '3.1'\nintents: [greet]\n")


@pytest.fixture(scope="module")
def database_url():
    with scratch_database(ADMIN_URL, "tanya_unit") as url:
        yield url


class RecordingBroker:
    def __init__(self):
        self.published = []

    def publish(self, event, headers=None):
        self.published.append(event)


def conversation(sender: str, *texts: str) -> DialogueStateTracker:
    events = [ActionExecuted("action_listen")]
    for text in texts:
        events += [UserUttered(text, {"name": "greet", "confidence": 1.0}), ActionExecuted("action_listen")]
    return DialogueStateTracker.from_events(sender, events)


def take_database_away(store: UrlSQLTrackerStore):
    """Point the store at a server that refuses connections; returns a function that brings it back."""
    working = store.sessionmaker
    store.sessionmaker = sa.orm.sessionmaker(bind=sa.create_engine(DEAD_URL))
    return lambda: setattr(store, "sessionmaker", working)


def test_connections_are_pinged_before_use(database_url):
    store = UrlSQLTrackerStore(domain=DOMAIN, host=database_url)
    assert store.engine.pool._pre_ping is True


def test_a_read_while_the_database_is_down_gives_a_paused_stand_in_that_is_never_stored(database_url):
    store = UrlSQLTrackerStore(domain=DOMAIN, host=database_url, event_broker=RecordingBroker())
    sender = f"s-{uuid.uuid4().hex[:8]}"
    asyncio.run(store.save(conversation(sender, "halo")))
    bring_back = take_database_away(store)
    stand_in = asyncio.run(store.retrieve(sender))
    assert stand_in.is_paused() and is_unavailable_stand_in(stand_in)
    stand_in.update(UserUttered("halo lagi"))
    bring_back()
    asyncio.run(store.save(stand_in))  # the declined turn leaves nothing behind
    kept = asyncio.run(store.retrieve(sender))
    assert not kept.is_paused() and [e.text for e in kept.events if isinstance(e, UserUttered)] == ["halo"]


def test_an_answered_turn_waits_for_the_database_to_come_back(database_url, monkeypatch):
    monkeypatch.setenv("TANYA_TRACKER_SAVE_RETRY_SECONDS", "10")
    broker = RecordingBroker()
    store = UrlSQLTrackerStore(domain=DOMAIN, host=database_url, event_broker=broker)
    sender = f"s-{uuid.uuid4().hex[:8]}"

    async def outage_of_one_second():
        bring_back = take_database_away(store)
        save = asyncio.ensure_future(store.save(conversation(sender, "satu", "dua")))
        await asyncio.sleep(1.0)
        assert not save.done() and not broker.published  # still trying; nothing published yet
        bring_back()
        await save

    asyncio.run(outage_of_one_second())
    texts = [e.text for e in asyncio.run(store.retrieve(sender)).events if isinstance(e, UserUttered)]
    assert texts == ["satu", "dua"]
    assert [e["text"] for e in broker.published if e["event"] == "user"] == ["satu", "dua"]


def test_a_long_outage_gives_up_with_a_warning_and_publishes_nothing(database_url, monkeypatch, caplog):
    monkeypatch.setenv("TANYA_TRACKER_SAVE_RETRY_SECONDS", "0.6")
    broker = RecordingBroker()
    store = UrlSQLTrackerStore(domain=DOMAIN, host=database_url, event_broker=broker)
    take_database_away(store)
    asyncio.run(store.save(conversation("s-long", "halo")))  # no exception reaches Rasa
    assert not broker.published
    assert any("could not be stored" in record.getMessage() and record.levelname == "WARNING" for record in caplog.records)


def test_each_event_is_published_once_after_it_was_written(database_url):
    broker = RecordingBroker()
    store = UrlSQLTrackerStore(domain=DOMAIN, host=database_url, event_broker=broker)
    sender = f"s-{uuid.uuid4().hex[:8]}"
    tracker = conversation(sender, "satu")
    asyncio.run(store.save(tracker))
    tracker.update(UserUttered("dua"))
    asyncio.run(store.save(tracker))
    asyncio.run(store.save(tracker))  # nothing new: nothing published
    assert [e["event"] for e in broker.published] == ["action", "user", "action", "user"]


def test_instances_started_together_create_the_table_without_an_error(caplog):
    import threading

    with scratch_database(ADMIN_URL, "tanya_unit") as url:  # a database without the table yet
        threads = [threading.Thread(target=UrlSQLTrackerStore, kwargs={"domain": DOMAIN, "host": url}) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not [r for r in caplog.records if r.levelname == "ERROR"], "a racing CREATE TABLE was logged"
        engine = sa.create_engine(url)
        assert sa.inspect(engine).has_table("events")
        engine.dispose()
