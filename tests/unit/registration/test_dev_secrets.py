"""The local development secrets file: created once, completed when a secret is missing, never rewritten."""

import os
import stat
import subprocess
import sys

from tanya.dev_secrets import ensure_dev_secrets
from tanya.registration import crypto

NIK = "3273015508900003"


def test_command_creates_all_secrets_once_with_owner_only_mode(tmp_path, monkeypatch):
    path = tmp_path / "keys" / "dev.env"
    command = [sys.executable, "-m", "tanya.dev_secrets", str(path)]
    first = subprocess.run(command, capture_output=True, text=True, check=True)
    content = path.read_text()
    second = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "added TANYA_SECRET_KEY, ACTION_SERVER_TOKEN" in first.stdout
    assert "all present, kept" in second.stdout
    assert path.read_text() == content
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    values = dict(line.split("=", 1) for line in content.splitlines())
    assert set(values) == {"TANYA_SECRET_KEY", "ACTION_SERVER_TOKEN"} and len(values["ACTION_SERVER_TOKEN"]) >= 40
    monkeypatch.setenv(crypto.ENV_VAR, values["TANYA_SECRET_KEY"])
    assert crypto.decrypt(crypto.encrypt(NIK)) == NIK  # a usable key


def test_an_existing_key_is_kept_and_the_missing_token_added(tmp_path):
    path = tmp_path / "dev.env"
    path.write_text("TANYA_SECRET_KEY=kept\n")
    assert ensure_dev_secrets(path) == ["ACTION_SERVER_TOKEN"]
    lines = path.read_text().splitlines()
    assert lines[0] == "TANYA_SECRET_KEY=kept" and lines[1].startswith("ACTION_SERVER_TOKEN=")


def test_mode_ignores_a_permissive_umask(tmp_path):
    previous = os.umask(0)
    try:
        ensure_dev_secrets(tmp_path / "dev.env")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "dev.env").stat().st_mode) == 0o600
