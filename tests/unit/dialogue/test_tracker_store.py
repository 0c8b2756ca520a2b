"""Conversations persist across restarts, on SQLite (default) and PostgreSQL (production)."""

import asyncio
import uuid

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tanya import db
from tanya.rasa_addons.tracker_store import UrlSQLTrackerStore
from tanya.settings import PROJECT_ROOT

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
DOMAIN = Domain.from_path(str(PROJECT_ROOT / "domain.yml"))


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker_url(request, tmp_path):
    return f"sqlite:///{tmp_path / 'tracker.db'}" if request.param == "sqlite" else POSTGRES_URL


def test_conversation_survives_a_new_store_instance(tracker_url):
    sender = f"persist-{uuid.uuid4().hex[:8]}"
    tracker = DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_listen"),
            UserUttered("kalau untuk PMI?", {"name": "inform"}),
            SlotSet("segment", "pmi"),
            SlotSet("language", "id"),
        ],
        slots=DOMAIN.slots,
    )
    asyncio.run(UrlSQLTrackerStore(domain=DOMAIN, host=tracker_url).save(tracker))

    restarted = UrlSQLTrackerStore(domain=DOMAIN, host=tracker_url)  # as after a server restart
    restored = asyncio.run(restarted.retrieve(sender))
    assert restored is not None
    assert restored.get_slot("segment") == "pmi"
    assert restored.latest_message.text == "kalau untuk PMI?"


def test_url_comes_from_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 't.db'}")
    store = UrlSQLTrackerStore(domain=DOMAIN)
    assert store.engine.url.database == str(tmp_path / "t.db")


def test_database_url_switches_tracker_to_postgresql(monkeypatch):
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    assert db.tracker_database_url() == POSTGRES_URL
    assert db.database_url() == POSTGRES_URL


def test_embedded_default_is_a_sqlite_file(monkeypatch):
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert db.tracker_database_url().startswith("sqlite:///") and db.tracker_database_url().endswith("tracker.db")
    assert db.database_url().endswith("tanya.db")
