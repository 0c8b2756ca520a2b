"""Load benchmark of a RUNNING assistant over its REST channel (starts nothing itself).

    .venv/bin/python scripts/bench.py --users 20 --seconds 30 [--url http://localhost:5005/webhooks/rest/webhook]

N simulated users, each with its own sender id, loop over a bilingual conversation for T seconds.
Prints requests, errors, throughput and latency percentiles. Only loopback URLs are accepted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
from pathlib import Path
from typing import Tuple
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_stats import BenchResult, is_loopback_url, summarise  # noqa: E402

# The bilingual conversation every load run loops over (the cluster tests send the same one).
CONVERSATION_FILE = ROOT / "tests" / "fixtures" / "load_conversation.txt"


def read_messages(path: Path = CONVERSATION_FILE) -> Tuple[str, ...]:
    """One user message per non-empty line of `path`."""
    return tuple(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


async def simulated_user(session, url: str, messages, deadline: float, timeout: float, result: BenchResult) -> None:
    import aiohttp

    sender = f"bench-{uuid.uuid4().hex[:10]}"
    index = 0
    while time.monotonic() < deadline:
        message = messages[index % len(messages)]
        index += 1
        started = time.monotonic()
        try:
            async with session.post(url, json={"sender": sender, "message": message}, timeout=timeout) as response:
                body = await response.text()
                elapsed = time.monotonic() - started
                if response.status != 200:
                    result.http_errors += 1
                elif not json.loads(body):
                    result.empty_replies += 1
                    result.latencies.append(elapsed)
                else:
                    result.latencies.append(elapsed)
        except asyncio.TimeoutError:
            result.timeouts += 1
        except aiohttp.ClientError:
            result.connection_errors += 1
            await asyncio.sleep(0.5)  # the server is down: don't spin


async def run(url: str, users: int, seconds: float, timeout: float, messages) -> BenchResult:
    import aiohttp

    result = BenchResult()
    deadline = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=users)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.monotonic()
        await asyncio.gather(*(simulated_user(session, url, messages, deadline, timeout, result) for _ in range(users)))
        result.duration = time.monotonic() - started
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark a running assistant over REST.")
    parser.add_argument("--url", default="http://localhost:5005/webhooks/rest/webhook")
    parser.add_argument("--users", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--messages", type=Path, help=f"a text file with one user message per line (default: {CONVERSATION_FILE.relative_to(ROOT)})")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not is_loopback_url(args.url):
        print(f"Refusing {urlparse(args.url).hostname}: only loopback addresses may be benchmarked.", file=sys.stderr)
        return 2
    messages = read_messages(args.messages or CONVERSATION_FILE)
    result = asyncio.run(run(args.url, max(1, args.users), args.seconds, args.timeout, messages))
    summary = summarise(result)
    print(f"users={args.users} duration={summary['duration_s']:.1f}s")
    print(
        f"requests={summary['requests']} errors={summary['errors']} "
        f"(http={result.http_errors} timeouts={result.timeouts} connection={result.connection_errors} "
        f"empty={result.empty_replies})"
    )
    print(f"throughput={summary['throughput_rps']:.2f} req/s")
    print("latency_ms p50={p50_ms:.0f} p95={p95_ms:.0f} p99={p99_ms:.0f} max={max_ms:.0f}".format(**summary))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
