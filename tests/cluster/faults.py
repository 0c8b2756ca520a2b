"""Breaking the machine's services on purpose, and what the cluster tests count around it."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import List, Sequence

import sqlalchemy as sa

from tests.cluster.traffic import Outcome, count


def _as_root(command: List[str]) -> List[str]:
    return command if os.geteuid() == 0 else ["sudo", "-n", *command]


def postgres(action: str) -> None:
    """Stop or start this machine's PostgreSQL cluster. pg_ctlcluster is what works here (no systemd
    as PID 1); --skip-systemctl-redirect keeps it from handing over to systemctl."""
    versions = sorted(Path("/etc/postgresql").iterdir()) if Path("/etc/postgresql").exists() else []
    if not versions:
        raise RuntimeError("no PostgreSQL cluster under /etc/postgresql: pg_ctlcluster cannot restart it")
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1].name, "main", action]
    if action == "stop":
        command += ["-m", "fast"]
    subprocess.run(_as_root(command), check=True, capture_output=True, timeout=120)


def wait_for_database(url: str, seconds: float = 60) -> float:
    """Seconds until `url` accepts a query."""
    started = time.monotonic()
    engine = sa.create_engine(url)
    try:
        while True:
            try:
                with engine.connect() as connection:
                    connection.execute(sa.text("SELECT 1"))
                return time.monotonic() - started
            except sa.exc.OperationalError:
                if time.monotonic() - started > seconds:
                    raise
                time.sleep(0.3)
    finally:
        engine.dispose()


def phases(outcomes: Sequence[Outcome], marks: Sequence[tuple]) -> str:
    """'name: ok=.. polite=..' for the time between consecutive (name, time) marks."""
    parts = []
    for (name, start), (_, end) in zip(marks, list(marks[1:]) + [("end", float("inf"))]):
        parts.append(f"{name}: {dict(count(outcomes, start, end))}")
    return "; ".join(parts)
