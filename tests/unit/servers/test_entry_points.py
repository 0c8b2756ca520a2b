"""The servers' entry points: the action server's shared secret and the settings they read."""

import subprocess
import sys

import pytest

from tanya.action_server import authorised
from tanya.settings import Settings, rasa_environment

TOKEN = "s3cret-token-value"


@pytest.mark.parametrize(
    "header, expected",
    [
        (f"Bearer {TOKEN}", True),
        (f"Bearer {TOKEN} ", True),
        (f"bearer {TOKEN}", False),
        (TOKEN, False),
        ("Bearer wrong", False),
        ("Bearer ", False),
        (None, False),
    ],
)
def test_only_the_exact_bearer_token_is_authorised(header, expected):
    assert authorised(header, TOKEN) is expected


def test_no_configured_token_authorises_nothing():
    assert authorised("Bearer ", "") is False


@pytest.mark.parametrize("module", ["tanya.action_server", "tanya.server"])
def test_servers_refuse_to_start_without_the_token(module, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": ".", "ACTION_SERVER_TOKEN": ""}
    result = subprocess.run([sys.executable, "-m", module], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "ACTION_SERVER_TOKEN" in result.stderr


def test_action_url_follows_the_actions_port(monkeypatch):
    monkeypatch.delenv("ACTION_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("ACTIONS_PORT", "6123")
    monkeypatch.setenv("ACTION_SERVER_TOKEN", TOKEN)
    assert rasa_environment(Settings()) == {
        "ACTION_ENDPOINT_URL": "http://127.0.0.1:6123/webhook",
        "ACTION_SERVER_TOKEN": TOKEN,
    }


def test_database_urls_fall_back_in_order(monkeypatch):
    for name in ("DATABASE_URL", "TRACKER_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    assert Settings().tracker_url.endswith(".data/tracker.db")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    assert Settings().knowledge_url == Settings().tracker_url == "postgresql://u@h/db"
    monkeypatch.setenv("TRACKER_DATABASE_URL", "sqlite:///t.db")
    assert Settings().tracker_url == "sqlite:///t.db"
