"""`python -m tanya.cluster`: start the cluster, keep it up until Ctrl-C, then stop all of it."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path
from typing import List, Optional

from tanya.settings import PROJECT_ROOT, get_settings


def main(argv: Optional[List[str]] = None) -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(description="Run several Rasa instances and action servers behind nginx.")
    parser.add_argument("--instances", type=int, default=2, help="Rasa instances")
    parser.add_argument("--action-servers", type=int, default=2)
    parser.add_argument("--host", default=settings.rasa_host, help="interface of the public port")
    parser.add_argument("--port", type=int, default=settings.rasa_port, help="public port (REST, socket.io, webhooks)")
    parser.add_argument("--actions-port", type=int, default=settings.actions_port, help="the action servers' balancer")
    parser.add_argument("--run-dir", type=Path, default=PROJECT_ROOT / ".data" / "cluster")
    args = parser.parse_args(argv)
    if args.instances < 1 or args.action_servers < 1:
        parser.error("at least one Rasa instance and one action server")

    from tanya.cluster.launcher import Cluster, ClusterConfig

    cluster = Cluster(ClusterConfig(
        run_dir=args.run_dir, instances=args.instances, action_servers=args.action_servers,
        public_host=args.host, public_port=args.port, actions_port=args.actions_port,
    ))
    stopping = []

    def stop(signum, _frame):
        stopping.append(signum)
        raise KeyboardInterrupt

    for signum in (signal.SIGINT, signal.SIGTERM):  # Ctrl-C, or a supervisor's stop
        signal.signal(signum, stop)
    try:
        print(f"Loading the knowledge base into {cluster.env['DATABASE_URL'].split('@')[-1]}", flush=True)
        cluster.load_knowledge()
        print(f"Starting {args.action_servers} action servers and {args.instances} Rasa instances "
              f"(about a minute per model load)", flush=True)
        cluster.start()
        print(f"\nThe cluster is up after {cluster.started_after:.0f} s:\n{cluster.describe()}\n"
              f"  curl -s -XPOST {cluster.url}/webhooks/rest/webhook -H 'Content-Type: application/json' "
              f"-d '{{\"sender\": \"me\", \"message\": \"gimana cara daftar BPU?\"}}'\nPress Ctrl-C to stop.", flush=True)
        while all(service.running for service in cluster.services):
            time.sleep(1)
        dead = [service.name for service in cluster.services if not service.running]
        print(f"{', '.join(dead)} stopped: stopping the cluster (logs in {cluster.run_dir / 'logs'})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        print("Stopping the cluster", flush=True)
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
