"""Start the production cluster on this host: N Rasa instances and M action servers behind nginx.

    python -m tanya.cluster --instances 2 --action-servers 2 --port 5005

Every Rasa instance runs `python -m tanya.server --endpoints endpoints.cluster.yml` (PostgreSQL
tracker store, atomic Redis lock store, RabbitMQ event broker); every action server runs
`python -m tanya.action_server`; both kinds listen on free loopback ports and are reached only
through nginx (tanya.cluster.balancer): Rasa on the public port, the actions on ACTIONS_PORT.
The same class starts the cluster of tests/cluster, on free ports and a throw-away database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, List

from tanya.cluster import balancer
from tanya.cluster.processes import Service, free_port
from tanya.settings import PROJECT_ROOT


@dataclass
class ClusterConfig:
    run_dir: Path
    instances: int = 2
    action_servers: int = 2
    public_host: str = "127.0.0.1"
    public_port: int = 0  # 0: a free port
    actions_port: int = 0
    endpoints: Path = PROJECT_ROOT / "endpoints.cluster.yml"
    model: Path = PROJECT_ROOT / "models" / "current.tar.gz"
    env: Dict[str, str] = field(default_factory=dict)  # on top of os.environ
    access_log: bool = False  # log which instance served each request (tests)


class Cluster:
    def __init__(self, config: ClusterConfig) -> None:
        self.config = config
        self.run_dir = config.run_dir.resolve()
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.public_port = config.public_port or free_port()
        self.actions_port = config.actions_port or free_port()
        self.env = {
            **os.environ,
            "PYTHONPATH": str(PROJECT_ROOT),
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            **config.env,
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.actions_port}/webhook",
        }
        for name in ("TANYA_SECRET_KEY", "ACTION_SERVER_TOKEN", "DATABASE_URL"):
            if not self.env.get(name):
                raise RuntimeError(f"{name} is not set (scripts/run_cluster.sh sets it)")
        python = sys.executable
        logs = self.run_dir / "logs"
        self.actions: List[Service] = []
        for index in range(config.action_servers):
            port = free_port()
            self.actions.append(Service(
                f"actions-{index + 1}", [python, "-m", "tanya.action_server", "--port", str(port)],
                {**self.env, "ACTIONS_PORT": str(port)}, PROJECT_ROOT, logs / f"actions-{index + 1}.log",
                f"http://127.0.0.1:{port}/health", port,
            ))
        self.rasa: List[Service] = []
        for index in range(config.instances):
            port = free_port()
            self.rasa.append(Service(
                f"rasa-{index + 1}",
                [python, "-m", "tanya.server", "--model", str(config.model), "--endpoints", str(config.endpoints),
                 "--host", "127.0.0.1", "--port", str(port)],
                # Behind nginx every client is 127.0.0.1: nginx applies the per-client cap instead.
                {**self.env, "RASA_PORT": str(port), "TANYA_MAX_CONNECTIONS_PER_CLIENT": "0"}, PROJECT_ROOT,
                logs / f"rasa-{index + 1}.log",
                f"http://127.0.0.1:{port}/", port,
            ))
        ports = balancer.BalancerPorts(
            config.public_host, self.public_port, self.actions_port,
            [s.port for s in self.rasa], [s.port for s in self.actions],
        )
        limits = balancer.ConnectionLimits.from_settings()
        if "TANYA_MAX_CONNECTIONS_PER_CLIENT" in self.env:  # the cluster's own setting wins over this process's
            limits = replace(limits, per_client=int(self.env["TANYA_MAX_CONNECTIONS_PER_CLIENT"]))
        nginx_conf = balancer.write_config(ports, self.run_dir, config.access_log, limits)
        self.nginx = Service(
            "nginx", balancer.command(nginx_conf, self.run_dir), self.env, self.run_dir, logs / "nginx.log",
            f"http://{config.public_host}:{self.public_port}/",
        )

    @property
    def url(self) -> str:
        return f"http://{self.config.public_host}:{self.public_port}"

    @property
    def services(self) -> List[Service]:
        return [self.nginx, *self.rasa, *self.actions]

    def load_knowledge(self) -> None:
        """Create the knowledge tables and load data/knowledge (idempotent)."""
        subprocess.run(
            [sys.executable, "-m", "tanya.knowledge.loader", "--database-url", self.env["DATABASE_URL"]],
            cwd=PROJECT_ROOT, env=self.env, check=True, stdout=subprocess.DEVNULL,
        )

    def start(self, timeout: float = 600) -> "Cluster":
        started = time.monotonic()
        # Action servers first (Rasa calls them from its first turn), the balancer last (no 502 at start).
        for service in [*self.actions, *self.rasa]:
            service.start()
        for service in self.actions:
            service.wait(120)
        with ThreadPoolExecutor(len(self.rasa)) as pool:
            list(pool.map(lambda s: s.wait(max(60, timeout - (time.monotonic() - started))), self.rasa))
        self.nginx.start().wait(30)
        self.started_after = time.monotonic() - started
        return self

    def restart(self, service: Service, timeout: float = 400) -> float:
        """Start a stopped service again; returns the seconds until it answered."""
        started = time.monotonic()
        service.start().wait(timeout)
        return time.monotonic() - started

    def stop(self) -> None:
        """Stop every service at once (SIGTERM), then wait for each (SIGKILL after 30 s)."""
        for service in self.services:
            service.terminate()
        for service in self.services:
            service.stop()

    def describe(self) -> str:
        lines = [f"balancer (nginx)  {self.url}  (actions behind it on 127.0.0.1:{self.actions_port})"]
        lines += [f"{s.name:<17} 127.0.0.1:{s.port}  log {s.log}" for s in self.rasa + self.actions]
        return "\n".join(lines)
