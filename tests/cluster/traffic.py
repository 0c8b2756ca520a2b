"""Traffic for the cluster tests: users that talk to the balancer, and what PostgreSQL kept of them.

Every message carries a short tag ("[k7]") so that each one can be found exactly once in the tracker
store and in the event queue, whatever text it repeats.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import sqlalchemy as sa

from tanya import messages


@lru_cache(maxsize=1)
def conversation() -> Tuple[str, ...]:
    """The conversation `make bench` loops over (tests/fixtures/load_conversation.txt)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    from bench import read_messages

    return read_messages()


CONVERSATION_HEADER = "X-Test-Conversation"  # logged by the balancer (access log) to count the spread


def polite_failures() -> set:
    return {messages.text("reply_failed", "id"), messages.text("reply_failed", "en")}


@dataclass
class Outcome:
    sender: str
    tag: str
    text: str
    started: float
    ended: float
    status: int  # 0: no HTTP answer at all
    kind: str  # ok | polite | unavailable (balancer's 503) | error
    replies: list = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return self.ended - self.started


def classify(status: int, body: str, polite: set) -> Tuple[str, list]:
    try:
        data = json.loads(body)
    except ValueError:
        return "error", []
    if status == 503 and isinstance(data, dict) and "try again" in data.get("error", ""):
        return "unavailable", []
    if status != 200 or not isinstance(data, list) or not data:
        return "error", data if isinstance(data, list) else []
    texts = {reply.get("text") for reply in data}
    return ("polite" if texts & polite else "ok"), data


async def send(session, url: str, sender: str, tag: str, text: str, polite: set, timeout: float = 150) -> Outcome:
    import aiohttp

    started = time.time()
    body = {"sender": sender, "message": f"{text} [{tag}]"}
    try:
        async with session.post(url, json=body, headers={CONVERSATION_HEADER: sender}, timeout=timeout) as response:
            raw = await response.text()
            kind, replies = classify(response.status, raw, polite)
            return Outcome(sender, tag, text, started, time.time(), response.status, kind, replies)
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return Outcome(sender, tag, text, started, time.time(), 0, "error")


class Load:
    """`users` sequential users looping over conversation() in a background thread until stop()."""

    def __init__(self, base_url: str, users: int, prefix: str = "load") -> None:
        self.url = f"{base_url}/webhooks/rest/webhook"
        self.users = users
        self.senders = [f"{prefix}-{uuid.uuid4().hex[:8]}-{i}" for i in range(users)]
        self.outcomes: List[Outcome] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    def start(self) -> "Load":
        self._thread.start()
        return self

    def stop(self) -> List[Outcome]:
        self._stop.set()
        self._thread.join(timeout=300)
        return self.outcomes

    async def _user(self, session, sender: str, polite: set) -> None:
        index, lines = 0, conversation()
        while not self._stop.is_set():
            outcome = await send(session, self.url, sender, f"k{index}", lines[index % len(lines)], polite)
            self.outcomes.append(outcome)
            index += 1
            if outcome.kind in ("unavailable", "error"):
                await asyncio.sleep(0.5)  # as a client would before trying again

    async def _run(self) -> None:
        import aiohttp

        polite = polite_failures()
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
            await asyncio.gather(*(self._user(session, sender, polite) for sender in self.senders))


def count(outcomes: Sequence[Outcome], since: float = 0, until: float = float("inf")) -> Counter:
    return Counter(o.kind for o in outcomes if since <= o.started < until)


# -- what PostgreSQL kept ------------------------------------------------------------------------
def stored_events(database_url: str, senders: Sequence[str]) -> Dict[str, List[dict]]:
    """REST sender -> its events in the tracker store, in storage order (by id)."""
    from tanya.channels.identity import conversation_id

    sender_of = {conversation_id("rest", sender): sender for sender in senders}
    engine = sa.create_engine(database_url)
    query = sa.text(
        "SELECT id, sender_id, type_name, action_name, data FROM events WHERE sender_id IN :senders ORDER BY id"
    ).bindparams(sa.bindparam("senders", expanding=True))
    result: Dict[str, List[dict]] = defaultdict(list)
    try:
        with engine.connect() as connection:
            for row in connection.execute(query, {"senders": list(sender_of)}):
                event = json.loads(row.data)
                event["_id"] = row.id
                result[sender_of[row.sender_id]].append(event)
    finally:
        engine.dispose()
    return result


def tag_of(text: str) -> Optional[str]:
    if text and text.endswith("]") and " [" in text:
        return text.rsplit(" [", 1)[1][:-1]
    return None


def stored_tags(events: List[dict]) -> List[str]:
    return [tag_of(e.get("text") or "") for e in events if e.get("event") == "user" and tag_of(e.get("text") or "")]


def interleaved_turns(events: List[dict]) -> int:
    """Turns that began before the previous one ended (a user message before the turn's action_listen),
    plus events whose timestamps go back in storage order."""
    violations, listening = 0, True
    last_time = 0.0
    for event in events:
        if event.get("timestamp", 0) + 1e-3 < last_time:
            violations += 1
        last_time = max(last_time, event.get("timestamp", 0))
        if event.get("event") == "user":
            if not listening:
                violations += 1
            listening = False
        elif event.get("event") == "action" and event.get("name") == "action_listen":
            listening = True
    return violations


@dataclass
class Ledger:
    sent: int = 0
    answered: int = 0
    lost: int = 0  # answered, but not in the tracker store
    duplicated: int = 0  # stored more than once
    out_of_order: int = 0  # stored in another order than sent, or turns interleaved
    not_stored_declined: int = 0  # declined politely and (rightly) not stored

    def line(self) -> str:
        return (f"sent={self.sent} answered={self.answered} lost={self.lost} duplicated={self.duplicated} "
                f"out_of_order={self.out_of_order} declined_not_stored={self.not_stored_declined}")


def sequential_ledger(outcomes: Sequence[Outcome], events: Dict[str, List[dict]]) -> Ledger:
    """For users that send one message at a time: each answered message stored once, in sending order."""
    ledger = Ledger()
    by_sender: Dict[str, List[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_sender[outcome.sender].append(outcome)
    for sender, sent in by_sender.items():
        tags = stored_tags(events.get(sender, []))
        counts = Counter(tags)
        ledger.sent += len(sent)
        ledger.duplicated += sum(c - 1 for c in counts.values() if c > 1)
        order = {o.tag: i for i, o in enumerate(sent)}
        positions = [order[t] for t in dict.fromkeys(tags) if t in order]
        ledger.out_of_order += sum(1 for a, b in zip(positions, positions[1:]) if b < a)
        ledger.out_of_order += interleaved_turns(events.get(sender, []))
        for outcome in sent:
            if outcome.kind == "ok":
                ledger.answered += 1
                ledger.lost += counts[outcome.tag] == 0
            elif counts[outcome.tag] == 0:
                ledger.not_stored_declined += 1
    return ledger
