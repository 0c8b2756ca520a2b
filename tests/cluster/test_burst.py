"""Bursts from many senders through the balancer to two instances: nothing lost, doubled or interleaved.

50 conversations for 60 s. Each conversation sends its messages in bursts of three at once (a user
tapping send three times, a channel retrying): the balancer spreads the three over both instances,
and the atomic lock store must run them one at a time. Then PostgreSQL must hold every user message
exactly once, with each conversation's turns whole and in order.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter, defaultdict

from tests.cluster.traffic import conversation as load_conversation
from tests.cluster.traffic import interleaved_turns, polite_failures, send, stored_events, stored_tags

CONVERSATIONS = 50
SECONDS = 60
BURST = 3


async def burst_traffic(base_url: str, senders, seconds: float):
    import aiohttp

    url = f"{base_url}/webhooks/rest/webhook"
    polite = polite_failures()
    deadline = time.monotonic() + seconds
    outcomes = []

    async def conversation(session, sender: str, offset: int) -> None:
        burst = 0
        while time.monotonic() < deadline:
            lines = load_conversation()
            texts = [lines[(offset + burst * BURST + k) % len(lines)] for k in range(BURST)]
            outcomes.extend(await asyncio.gather(*(
                send(session, url, sender, f"b{burst}m{k}", text, polite) for k, text in enumerate(texts)
            )))
            burst += 1

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        await asyncio.gather(*(conversation(session, sender, i) for i, sender in enumerate(senders)))
    return outcomes


def served_by(access_log, senders) -> dict:
    """sender -> the instances (upstream addresses) that served its requests."""
    wanted, spread = set(senders), defaultdict(set)
    for line in access_log.read_text().splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3] in wanted:
            spread[parts[3]].update(address.strip(",") for address in parts[2].split(",") if address != "-")
    return spread


def test_bursts_from_fifty_conversations_are_stored_exactly_once_and_in_order(cluster, database_url):
    senders = [f"burst-{uuid.uuid4().hex[:8]}-{i}" for i in range(CONVERSATIONS)]
    started = time.monotonic()
    outcomes = asyncio.run(burst_traffic(cluster.url, senders, SECONDS))
    took = time.monotonic() - started
    kinds = Counter(o.kind for o in outcomes)
    events = stored_events(database_url, senders)

    lost = duplicated = out_of_order = 0
    by_sender = defaultdict(list)
    for outcome in outcomes:
        by_sender[outcome.sender].append(outcome)
    for sender in senders:
        tags = stored_tags(events.get(sender, []))
        counts = Counter(tags)
        duplicated += sum(c - 1 for c in counts.values() if c > 1)
        lost += sum(1 for o in by_sender[sender] if counts[o.tag] == 0)
        bursts = [int(tag[1:].split("m")[0]) for tag in dict.fromkeys(tags)]
        out_of_order += sum(1 for a, b in zip(bursts, bursts[1:]) if b < a)  # a later burst stored before an earlier one
        out_of_order += interleaved_turns(events.get(sender, []))
    spread = served_by(cluster.run_dir / "access.log", senders)
    both = sum(1 for s in senders if len(spread.get(s, ())) >= 2)
    latencies = sorted(o.seconds for o in outcomes)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0

    print(f"\n[burst] {CONVERSATIONS} conversations x {SECONDS} s in bursts of {BURST}, through nginx to 2 instances: "
          f"{len(outcomes)} messages in {took:.0f} s ({len(outcomes) / took:.1f}/s, p95 {p95:.1f} s); replies {dict(kinds)}")
    print(f"[burst] PostgreSQL: {sum(len(v) for v in events.values())} events; lost={lost} duplicated={duplicated} "
          f"out_of_order={out_of_order}; conversations served by both instances: {both}/{CONVERSATIONS}")
    assert len(outcomes) >= CONVERSATIONS * BURST * 2, "too little traffic to prove anything"
    assert kinds == Counter(ok=len(outcomes)), f"some messages were not answered: {dict(kinds)}"
    assert (lost, duplicated, out_of_order) == (0, 0, 0)
    assert both >= CONVERSATIONS * 0.8, "the balancer did not spread conversations over both instances"
