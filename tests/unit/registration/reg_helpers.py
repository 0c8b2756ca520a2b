"""Constants and helpers shared by the registration tests (imported by name; pytest puts this folder on sys.path)."""

import base64
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TEST_KEY = base64.urlsafe_b64encode(b"tanya-registration-unit-test-key").decode()  # exactly 32 bytes


def run_python(*args, env=None):
    """`python args` from the project root, with the project importable, as the run command does."""
    environment = {**(os.environ if env is None else env), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, *map(str, args)], capture_output=True, text=True, cwd=ROOT, env=environment, timeout=60
    )


def run_module(module, *args, env=None):
    """`python -m module args` from the project root."""
    return run_python("-m", module, *args, env=env)
