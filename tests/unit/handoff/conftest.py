"""Handoff unit tests: a fresh knowledge database, the encryption key, and the fake Chatwoot desk."""

from pathlib import Path

import pytest

from tanya.knowledge.loader import load_knowledge
from tests.fakes import chatwoot as fake_chatwoot

ROOT = Path(__file__).resolve().parents[3]
TEST_KEY = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMi1ieXRlcw=="
CHATWOOT_VARIABLES = (
    "CHATWOOT_URL", "CHATWOOT_API_TOKEN", "CHATWOOT_ACCOUNT_ID", "CHATWOOT_INBOX_ID", "CHATWOOT_WEBHOOK_SECRET",
    "CHATWOOT_TIMEOUT_SECONDS", "CHATWOOT_NOTE_LANGUAGE",
)


@pytest.fixture(scope="session")
def desk():
    fake = fake_chatwoot.start()
    yield fake
    fake.stop()


@pytest.fixture
def no_desk(monkeypatch):
    for name in CHATWOOT_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def kb_url(tmp_path, monkeypatch, no_desk):
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    load_knowledge(ROOT / "data" / "knowledge", url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TANYA_SECRET_KEY", TEST_KEY)
    return url


@pytest.fixture
def with_desk(kb_url, desk, monkeypatch):
    """The knowledge database and the environment pointing at the fake desk (up)."""
    for name, value in desk.env.items():
        monkeypatch.setenv(name, value)
    desk.outage(False)
    yield desk
    desk.outage(False)
