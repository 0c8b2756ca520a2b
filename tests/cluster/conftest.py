"""One production-mode cluster for the cluster tests, on this machine's real services.

Two Rasa instances and two action servers behind nginx, on free ports, with:
- a PostgreSQL database of its own (created here, dropped at the end: the developer's data is never
  touched) for the knowledge base, registrations and the tracker store;
- the atomic Redis lock store under a key prefix of its own;
- a RabbitMQ exchange and queue of their own (deleted at the end).
At the end, every ERROR or Traceback in any service's log fails the run, unless a fault test
declared it as the report of the fault it injected (tests/cluster/logcheck.py).
"""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import pytest

from tanya.cluster import scratch
from tanya.cluster.launcher import Cluster, ClusterConfig
from tanya.cluster.scratch import scratch_database
from tests.cluster.logcheck import FaultLog

ROOT = Path(__file__).resolve().parents[2]
ADMIN_URL = os.environ.get("CLUSTER_TEST_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
RABBITMQ_URL = os.environ.get("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")


ORDER = ["test_burst", "test_event_broker", "test_fault_actions", "test_fault_postgres", "test_fault_rasa"]


def pytest_collection_modifyitems(items):
    # Cluster tests run in this order, after every other test: the fault that cannot be undone
    # cheaply (a dead Rasa instance) comes last.
    def rank(item):
        return next((i + 1 for i, name in enumerate(ORDER) if f"tests/cluster/{name}" in item.nodeid), 0)

    items.sort(key=rank)  # stable: everything else keeps its order, first


@pytest.fixture(scope="session")
def run_id() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture(scope="session")
def cluster_database():
    """A PostgreSQL database of this run only."""
    with scratch_database(ADMIN_URL, "tanya_cluster") as url:
        yield url


@pytest.fixture(scope="session")
def broker_names():
    names = scratch.broker_names("tanya_cluster")
    yield names
    scratch.delete_broker_names(RABBITMQ_URL, names)


def ensure_balancer() -> None:
    from tanya.cluster.balancer import find_nginx

    try:
        find_nginx()
    except FileNotFoundError:
        subprocess.run([str(ROOT / "scripts" / "setup_cluster.sh"), "--balancer"], check=True)


@pytest.fixture(scope="session")
def cluster(tmp_path_factory, cluster_database, broker_names, run_id):
    ensure_balancer()
    running = Cluster(ClusterConfig(
        run_dir=tmp_path_factory.mktemp("cluster"),
        instances=2,
        action_servers=2,
        access_log=True,
        # Another endpoints file measures another set-up, e.g. Rasa's own RedisLockStore (docs/production.md).
        endpoints=Path(os.environ.get("CLUSTER_TEST_ENDPOINTS", ROOT / "endpoints.cluster.yml")),
        env={
            "DATABASE_URL": cluster_database,
            "TRACKER_DATABASE_URL": cluster_database,
            "TANYA_LOCK_KEY_PREFIX": f"tc{run_id}",
            # Fifty simulated users all come from 127.0.0.1: nginx's per-client cap (tests/unit/cluster) stays off here.
            "TANYA_MAX_CONNECTIONS_PER_CLIENT": "0",
            "RABBITMQ_URL": RABBITMQ_URL,
            "RABBITMQ_QUEUE": broker_names["queue"],
            "RABBITMQ_EXCHANGE": broker_names["exchange"],
        },
    ))
    running.load_knowledge()
    running.start()
    print(f"\n[cluster] up after {running.started_after:.0f} s\n{running.describe()}")
    running.faults = FaultLog([service.log for service in running.rasa + running.actions])
    yield running
    running.stop()
    unexplained, expected = running.faults.report()
    for name, count in expected.items():
        print(f"[cluster] {count} logged error(s) reported the injected fault '{name}'")
    assert not unexplained, "errors in the cluster's logs:\n" + "\n".join(unexplained[:40])


@pytest.fixture
def database_url(cluster) -> str:
    return cluster.env["DATABASE_URL"]
