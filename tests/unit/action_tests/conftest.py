"""Action tests: the real domain, trackers built from events, knowledge loaded into a fresh database."""

import pytest
from action_helpers import ROOT, Run

from tanya.knowledge.loader import load_knowledge

TEST_KEY = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMi1ieXRlcw=="


@pytest.fixture
def kb_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    load_knowledge(ROOT / "data" / "knowledge", url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TANYA_SECRET_KEY", TEST_KEY)
    return url


@pytest.fixture
def run():
    return Run
