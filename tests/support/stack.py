"""A running assistant for tests: the action server and the Rasa server on free ports, throw-away databases.

Started the way `make run` starts them (python -m tanya.action_server / tanya.server) with the trained
model, so the tests exercise the real entry points. Nothing touches the developer's own databases or
ports: a test run works while `make run` is up. Each server's log goes to a file; `log_problems()`
lists every ERROR or Traceback line, which the tests treat as a failure.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional

from tanya.cluster.processes import Service, free_port, wait_http

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PROBLEM = re.compile(r"\bERROR\b|Traceback")

__all__ = ["PYTHON", "ROOT", "Server", "Stack", "free_port", "wait_http"]


class Server(Service):
    """One server process of a test stack, started from the project root, with its own log file."""

    def __init__(self, name: str, command: List[str], env: Dict[str, str], health_url: str, log: Path) -> None:
        super().__init__(name, command, env, ROOT, log, health_url)

    def start(self, wait: bool = True, timeout: float = 300) -> "Server":
        super().start()
        if wait:
            self.wait(timeout)
        return self

    @property
    def pid(self) -> int:
        return self.process.pid

    def peak_rss_kb(self) -> int:
        """The process's peak resident memory (VmHWM), in kB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        raise RuntimeError("VmHWM not found")


class Stack:
    """Action server + Rasa server for one test session."""

    def __init__(self, workdir: Path, extra_env: Optional[Dict[str, str]] = None, credentials: Optional[Path] = None):
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.actions_port, self.rasa_port = free_port(), free_port()
        self.database_url = f"sqlite:///{workdir / 'tanya.db'}"
        self.tracker_url = f"sqlite:///{workdir / 'tracker.db'}"
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "DATABASE_URL": self.database_url,
            "TRACKER_DATABASE_URL": self.tracker_url,
            "ACTIONS_PORT": str(self.actions_port),
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.actions_port}/webhook",
            "RASA_PORT": str(self.rasa_port),
            **(extra_env or {}),
        }
        for name in ("TANYA_SECRET_KEY", "ACTION_SERVER_TOKEN"):
            if not self.env.get(name):
                raise RuntimeError(f"{name} is not set: run the tests through the test command (make test)")
        self.actions = Server(
            "actions",
            [PYTHON, "-m", "tanya.action_server"],
            self.env,
            f"http://127.0.0.1:{self.actions_port}/health",
            workdir / "actions.log",
        )
        rasa_command = [PYTHON, "-m", "tanya.server", "--port", str(self.rasa_port)]
        if credentials:
            rasa_command += ["--credentials", str(credentials)]
        self.rasa = Server("rasa", rasa_command, self.env, f"http://127.0.0.1:{self.rasa_port}/", workdir / "rasa.log")

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"

    def load_knowledge(self) -> None:
        subprocess.run(
            [PYTHON, "-m", "tanya.knowledge.loader", "--database-url", self.database_url],
            cwd=ROOT, env=self.env, check=True, capture_output=True,
        )

    def start(self) -> "Stack":
        self.load_knowledge()
        self.actions.start(wait=False)
        self.rasa.start(wait=False)
        self.actions.wait(120)
        self.rasa.wait(400)
        return self

    def stop(self) -> None:
        self.rasa.stop()
        self.actions.stop()

    def log_problems(self) -> List[str]:
        problems = []
        for server in (self.actions, self.rasa):
            if server.log.exists():
                lines = server.log.read_text(errors="replace").splitlines()
                for index, line in enumerate(lines):
                    if PROBLEM.search(line):
                        problems.append(f"{server.name}: {line}")
                        if "Traceback" in line:  # the frames and the exception, to diagnose from the report
                            problems += [f"{server.name}:   {frame}" for frame in lines[index + 1 : index + 25]]
        return problems


def main() -> int:
    """`python -m tests.support.stack DIR`: start a stack and keep it up (for trying things by hand)."""
    stack = Stack(Path(sys.argv[1]).resolve()).start()
    print(f"Rasa {stack.rasa_url}  actions {stack.actions_url}", flush=True)
    try:
        signal.pause()
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
