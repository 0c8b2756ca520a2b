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


# Each entry point started as `make run` starts it, with only its blocking serve call replaced by one that
# raises a Python warning quoting a user's number (as Rasa's "Failed to parse arguments in line" does).
_WARN = "warnings.warn('Failed to parse arguments in line ' + repr(sys.argv[1]))"
_SERVING = {
    "action server": f"""
import sys, warnings
import tanya.action_server as entry
class App:
    def run(self, **options):
        {_WARN}
entry.create_app = lambda token: App()
sys.exit(entry.main(["--port", "1"]))
""",
    "dashboard": f"""
import sys, warnings
import tanya.dashboard.cli as entry
entry.web.run_app = lambda *args, **options: {_WARN}
sys.exit(entry.main(["--port", "1"]))
""",
    "web": f"""
import sys, warnings
sys.path.insert(0, "scripts")
import serve_web as entry
class Server:
    def __init__(self, *args):
        pass
    def __enter__(self):
        return self
    def __exit__(self, *args):
        return False
    def serve_forever(self):
        {_WARN}
entry.BoundedHTTPServer = Server
sys.exit(entry.main(["--port", "1"]))
""",
}


@pytest.mark.parametrize("name", sorted(_SERVING))
def test_every_entry_point_logs_python_warnings_masked(name):
    from tanya.settings import PROJECT_ROOT

    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT), "ACTION_SERVER_TOKEN": TOKEN,
           "TANYA_DASHBOARD_TOKEN": "a-staff-token-long-enough-0123456789", "TANYA_SECRET_KEY": "x" * 44}
    result = subprocess.run([sys.executable, "-c", _SERVING[name], "/inform{\"x\": 3201 0117 0890 0001}"], env=env,
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = [line for line in result.stderr.splitlines() if "Failed to parse arguments" in line]
    assert len(lines) == 1 and "py.warnings" in lines[0], result.stderr[-2000:]
    assert "**** **** **** 0001" in lines[0] and "0117" not in result.stderr
