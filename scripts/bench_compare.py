"""This assistant side by side with the bot `rasa init` creates, in one run, on this machine.

    .venv/bin/python scripts/bench_compare.py [--rounds 3] [--seconds 20] [--no-train-assistant]
    make bench-compare

1. Builds `rasa init`'s bot (Rasa's own initial project, the files `rasa init --no-prompt` copies)
   in a temporary folder and trains it from scratch with the same Rasa; trains this assistant from
   scratch too, in a temporary cache and output folder (models/ is never touched). With
   --no-train-assistant, models/current.tar.gz is used and its training is not timed.
2. Starts both (this one with `python -m tanya.action_server` + `python -m tanya.server`, on
   throw-away SQLite files) and times each start until its first answer.
3. Drives both with the same load (scripts/bench.py, the same messages) in alternating rounds,
   A B A B ..., at 1 and at 20 concurrent users, after a warm-up round each.
4. Starts the production cluster (tanya.cluster: nginx, PostgreSQL, Redis, RabbitMQ) with 1 and then
   2 Rasa instances and measures its throughput at 50 users.
Prints one table with both figures and their ratios. A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench import read_messages  # noqa: E402
from bench import run as run_load  # noqa: E402
from bench_stats import BenchResult, summarise  # noqa: E402

from tanya.cluster.launcher import Cluster, ClusterConfig  # noqa: E402
from tanya.cluster.processes import Service, free_port  # noqa: E402

PYTHON = sys.executable
RASA = str(Path(PYTHON).parent / "rasa")
QUIET = {"TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}


def say(text: str) -> None:
    print(f"==> {text}", flush=True)


def timed(command: List[str], cwd: Path, env: Dict[str, str], log: Path) -> float:
    started = time.monotonic()
    with open(log, "w", encoding="utf-8") as handle:
        subprocess.run(command, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT, check=True)
    return time.monotonic() - started


def first_answer(url: str, started: float, services: List[Service], seconds: float = 600) -> float:
    """Seconds from `started` until `url` gives a non-empty REST answer."""
    body = json.dumps({"sender": "bench-first", "message": "halo"}).encode()
    while time.monotonic() - started < seconds:
        for service in services:
            if not service.running:
                raise RuntimeError(f"{service.name} exited; see {service.log}")
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                if response.status == 200 and json.loads(response.read()):
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url}: no answer within {seconds} s")


class Contender:
    def __init__(self, name: str, services: List[Service], url: str) -> None:
        self.name, self.services, self.url = name, services, url
        self.start_seconds: Optional[float] = None
        self.train_seconds: Optional[float] = None
        self.results: Dict[int, BenchResult] = {}

    def start(self) -> None:
        started = time.monotonic()
        for service in self.services:
            service.start()
        self.start_seconds = first_answer(self.url, started, self.services)

    def stop(self) -> None:
        for service in self.services:
            service.stop()


def merge(into: BenchResult, result: BenchResult) -> None:
    into.latencies += result.latencies
    into.http_errors += result.http_errors
    into.timeouts += result.timeouts
    into.connection_errors += result.connection_errors
    into.empty_replies += result.empty_replies
    into.duration += result.duration


def build_rasa_init_bot(work: Path, env: Dict[str, str]) -> Contender:
    import rasa.cli.scaffold

    folder = work / "rasa-init"
    shutil.copytree(Path(rasa.cli.scaffold.__file__).parent / "initial_project", folder)  # what `rasa init` copies
    bot_env = {**env, "RASA_CACHE_DIRECTORY": str(folder / ".rasa" / "cache")}
    say("Training rasa init's bot from scratch")
    seconds = timed([RASA, "train", "--fixed-model-name", "init"], folder, bot_env, work / "train-init.log")
    port = free_port()
    server = Service("rasa-init", [RASA, "run", "--model", "models/init.tar.gz", "--port", str(port)],
                     bot_env, folder, work / "rasa-init.log", None)
    bot = Contender("rasa init", [server], f"http://127.0.0.1:{port}/webhooks/rest/webhook")
    bot.train_seconds = seconds
    return bot


def build_assistant(work: Path, env: Dict[str, str], train: bool) -> Contender:
    model = ROOT / "models" / "current.tar.gz"
    if train:
        say("Training this assistant from scratch (temporary cache and output folder)")
        out = work / "tanya-models"
        train_env = {**env, "RASA_CACHE_DIRECTORY": str(work / "tanya-cache")}
        seconds = timed([RASA, "train", "--config", "config.yml", "--domain", "domain.yml", "--data", "data/nlu",
                         "data/rules", "--out", str(out), "--fixed-model-name", "bench"], ROOT, train_env,
                        work / "train-tanya.log")
        model = out / "bench.tar.gz"
    actions_port, rasa_port = free_port(), free_port()
    data = work / "tanya-data"
    data.mkdir()
    tanya_env = {
        **env, "DATABASE_URL": f"sqlite:///{data / 'tanya.db'}", "TRACKER_DATABASE_URL": f"sqlite:///{data / 'tracker.db'}",
        "ACTIONS_PORT": str(actions_port), "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook",
        "RASA_PORT": str(rasa_port),
    }
    subprocess.run([PYTHON, "-m", "tanya.knowledge.loader", "--database-url", tanya_env["DATABASE_URL"]],
                   cwd=ROOT, env=tanya_env, check=True, stdout=subprocess.DEVNULL)
    services = [
        Service("actions", [PYTHON, "-m", "tanya.action_server", "--port", str(actions_port)], tanya_env, ROOT,
                work / "tanya-actions.log", None),
        Service("rasa", [PYTHON, "-m", "tanya.server", "--model", str(model), "--port", str(rasa_port)], tanya_env,
                ROOT, work / "tanya-rasa.log", None),
    ]
    assistant = Contender("TanyaBPJAMSOSTEK", services, f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook")
    assistant.train_seconds = seconds if train else None
    return assistant


def alternate(contenders: List[Contender], users: int, rounds: int, seconds: float) -> None:
    conversation = read_messages()
    for contender in contenders:  # warm-up: first calls load lazily built parts
        asyncio.run(run_load(contender.url, users, min(5.0, seconds), 30, conversation))
    for index in range(rounds):
        order = contenders if index % 2 == 0 else list(reversed(contenders))
        for contender in order:
            result = asyncio.run(run_load(contender.url, users, seconds, 60, conversation))
            merge(contender.results.setdefault(users, BenchResult()), result)
            figures = summarise(result)
            say(f"round {index + 1}/{rounds}, {users} user(s), {contender.name}: {figures['throughput_rps']:.1f} req/s, "
                f"p95 {figures['p95_ms']:.0f} ms, errors {figures['errors']}")


def cluster_throughput(work: Path, env: Dict[str, str], instances: int, users: int, seconds: float) -> Dict[str, float]:
    from tanya.cluster import scratch

    admin = os.environ.get("CLUSTER_TEST_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    rabbitmq = os.environ.get("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")
    names = scratch.broker_names("tanya_bench")
    try:
        with scratch.scratch_database(admin, "tanya_bench") as url:
            cluster = Cluster(ClusterConfig(run_dir=work / f"cluster-{instances}", instances=instances, action_servers=2, env={
                **env, "DATABASE_URL": url, "TRACKER_DATABASE_URL": url, "TANYA_LOCK_KEY_PREFIX": f"bench{instances}",
                "TANYA_MAX_CONNECTIONS_PER_CLIENT": "0",  # the load comes from one address
                "RABBITMQ_URL": rabbitmq, "RABBITMQ_QUEUE": names["queue"], "RABBITMQ_EXCHANGE": names["exchange"],
            }))
            cluster.load_knowledge()
            try:
                say(f"Starting the cluster with {instances} Rasa instance(s)")
                cluster.start()
                rest, conversation = f"{cluster.url}/webhooks/rest/webhook", read_messages()
                asyncio.run(run_load(rest, users, 5, 60, conversation))  # warm-up
                figures = summarise(asyncio.run(run_load(rest, users, seconds, 120, conversation)))
                say(f"cluster, {instances} instance(s), {users} users: {figures['throughput_rps']:.1f} req/s, "
                    f"p95 {figures['p95_ms']:.0f} ms, errors {figures['errors']}")
                return figures
            finally:
                cluster.stop()
    finally:
        scratch.delete_broker_names(rabbitmq, names)


def ratio(a: Optional[float], b: Optional[float]) -> str:
    return f"{a / b:.2f}x" if a is not None and b else "-"


def number(value: Optional[float], digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def table(assistant: Contender, bot: Contender, cluster: Dict[int, Dict[str, float]], users_cluster: int) -> str:
    rows = []
    for users in sorted(assistant.results):
        a, b = summarise(assistant.results[users]), summarise(bot.results[users])
        rows += [
            (f"p50 latency, {users} user(s) (ms)", a["p50_ms"], b["p50_ms"], 0),
            (f"p95 latency, {users} user(s) (ms)", a["p95_ms"], b["p95_ms"], 0),
            (f"throughput, {users} user(s) (req/s)", a["throughput_rps"], b["throughput_rps"], 1),
            (f"errors, {users} user(s)", a["errors"], b["errors"], 0),
        ]
    rows += [
        ("training from scratch (s)", assistant.train_seconds, bot.train_seconds, 0),
        ("start to first answer (s)", assistant.start_seconds, bot.start_seconds, 1),
    ]
    width = max(len(r[0]) for r in rows) + 2
    lines = [f"{'':<{width}}{'TanyaBPJAMSOSTEK':>18}{'rasa init bot':>16}{'ratio':>9}", "-" * (width + 43)]
    for name, a, b, digits in rows:
        lines.append(f"{name:<{width}}{number(a, digits):>18}{number(b, digits):>16}{ratio(a, b):>9}")
    if cluster:
        lines += ["", f"cluster (nginx, PostgreSQL, Redis lock store, RabbitMQ), {users_cluster} users:"]
        for instances, figures in sorted(cluster.items()):
            lines.append(f"  {instances} Rasa instance(s): {figures['throughput_rps']:.1f} req/s, p50 {figures['p50_ms']:.0f} ms, "
                         f"p95 {figures['p95_ms']:.0f} ms, errors {figures['errors']:.0f}")
        if 1 in cluster and 2 in cluster:
            lines.append(f"  2 instances / 1 instance: {ratio(cluster[2]['throughput_rps'], cluster[1]['throughput_rps'])} throughput")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="This assistant against rasa init's bot, and the cluster.")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per load level")
    parser.add_argument("--seconds", type=float, default=20, help="length of one round")
    parser.add_argument("--users", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--no-train-assistant", action="store_true", help="use models/current.tar.gz, do not time its training")
    parser.add_argument("--cluster-users", type=int, default=50)
    parser.add_argument("--cluster-seconds", type=float, default=30)
    parser.add_argument("--no-cluster", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    for name in ("TANYA_SECRET_KEY", "ACTION_SERVER_TOKEN"):
        if not os.environ.get(name):
            print(f"{name} is not set: run through `make bench-compare` (scripts/lib.sh loads the dev secrets)", file=sys.stderr)
            return 2
    env = {**os.environ, **QUIET, "PYTHONPATH": str(ROOT)}
    work = Path(tempfile.mkdtemp(prefix="tanya-bench-"))
    say(f"Working in {work} (logs there)")
    contenders: List[Contender] = []
    try:
        bot = build_rasa_init_bot(work, env)
        assistant = build_assistant(work, env, train=not args.no_train_assistant)
        contenders = [assistant, bot]
        for contender in contenders:  # one at a time: each start has the machine to itself
            say(f"Starting {contender.name}")
            contender.start()
            say(f"{contender.name} answered {contender.start_seconds:.1f} s after its start")
        for users in args.users:
            alternate(contenders, users, args.rounds, args.seconds)
    finally:
        for contender in contenders:
            contender.stop()
    cluster: Dict[int, Dict[str, float]] = {}
    if not args.no_cluster:
        for instances in (1, 2):
            cluster[instances] = cluster_throughput(work, env, instances, args.cluster_users, args.cluster_seconds)
    print("\n" + table(assistant, bot, cluster, args.cluster_users), flush=True)
    if args.json:
        args.json.write_text(json.dumps({
            "assistant": {str(u): summarise(r) for u, r in assistant.results.items()},
            "rasa_init": {str(u): summarise(r) for u, r in bot.results.items()},
            "training_s": {"assistant": assistant.train_seconds, "rasa_init": bot.train_seconds},
            "first_answer_s": {"assistant": assistant.start_seconds, "rasa_init": bot.start_seconds},
            "cluster": {str(k): v for k, v in cluster.items()},
        }, indent=2))
    shutil.rmtree(work / "tanya-cache", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
