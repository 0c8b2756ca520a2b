"""One service process (of the cluster, or of the test harness): started in its own process group, logging
to its own file; and the two helpers every launcher needs (a free port, waiting for HTTP)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_http(url: str, seconds: float, process: Optional[subprocess.Popen] = None, log: Optional[Path] = None) -> None:
    """Return once `url` answers HTTP; fail if the process exits or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"{url}: the server exited with {process.returncode}\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


class Service:
    def __init__(
        self, name: str, command: List[str], env: Dict[str, str], cwd: Path, log: Path,
        health_url: Optional[str], port: Optional[int] = None,
    ) -> None:
        self.name, self.command, self.env, self.cwd, self.log, self.health_url = name, command, env, cwd, log, health_url
        self.port = port
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> "Service":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "a", encoding="utf-8") as handle:
            self.process = subprocess.Popen(
                self.command, cwd=self.cwd, env=self.env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def wait(self, seconds: float) -> None:
        if self.health_url:
            wait_http(self.health_url, seconds, self.process, self.log)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def terminate(self) -> None:
        """SIGTERM to the process group, without waiting."""
        if self.running:
            os.killpg(self.process.pid, signal.SIGTERM)

    def stop(self, grace: float = 30) -> None:
        """SIGTERM to the process group, SIGKILL after `grace` seconds."""
        if not self.running:
            return
        self.terminate()
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL: the process dies without cleaning up, like a crashed host."""
        if self.running:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
