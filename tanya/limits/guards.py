"""The assistant's limits on handoffs to an agent and on failed status checks (tanya.limits.rules).

Keyed on the sender: the conversation id the channel built from what it verified (tanya.channels.identity,
e.g. `wa:<hash>`), hashed again with TANYA_SECRET_KEY for the tables. Never on a reference or a number
a person owns, so somebody else's wrong guesses cannot lock its owner out of their own channel. A client
that makes up a new sender for every try (REST) is held by the global ceilings instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy.orm import Session

from tanya.limits import store
from tanya.limits.rules import Rule, allows, lock_end, reached, window_start
from tanya.registration.crypto import keyed_digest
from tanya.settings import Settings

SENDER = "sender"  # this sender reached its own limit
BUSY = "busy"  # everybody together reached the global ceiling
HANDOFF_ALL = "handoff:all"
STATUS_ALL = "status-failure:all"
_MINUTE = timedelta(minutes=1)


def sender_key(kind: str, sender: str) -> str:
    """The pseudonymous key of `sender`'s events of `kind` (no sender id in the tables)."""
    return f"{kind}:{keyed_digest(f'limit|{kind}|{sender}')}"


@dataclass(frozen=True)
class HandoffRules:
    per_sender: Rule
    overall: Rule

    @classmethod
    def from_settings(cls, settings: Settings) -> "HandoffRules":
        return cls(
            per_sender=Rule(settings.handoff_max_per_sender, timedelta(minutes=settings.handoff_sender_window_minutes)),
            overall=Rule(settings.handoff_max_per_minute, _MINUTE),
        )


@dataclass(frozen=True)
class StatusRules:
    per_sender: Rule
    overall: Rule

    @classmethod
    def from_settings(cls, settings: Settings) -> "StatusRules":
        window = timedelta(minutes=settings.status_window_minutes)
        return cls(
            per_sender=Rule(settings.status_max_failures, window, lock=window),
            overall=Rule(settings.status_max_failures_per_minute, _MINUTE, lock=timedelta(minutes=settings.status_pause_minutes)),
        )


def admit_handoff(session: Session, sender: str, rules: HandoffRules, now: datetime) -> Optional[str]:
    """None when a handoff for `sender` may open now (it is counted); else SENDER or BUSY."""
    key = sender_key("handoff", sender)
    store.serialise(session, HANDOFF_ALL)  # every admission takes its turn: no two take the last place
    if not allows(rules.per_sender, store.count_since(session, key, window_start(rules.per_sender, now))):
        return SENDER
    if not allows(rules.overall, store.count_since(session, HANDOFF_ALL, window_start(rules.overall, now))):
        return BUSY
    for counted, rule in ((key, rules.per_sender), (HANDOFF_ALL, rules.overall)):
        if rule.enabled:
            store.record(session, counted, now, forget_before=window_start(rule, now))
    return None


def status_refusal(session: Session, sender: str, now: datetime) -> Optional[str]:
    """SENDER when this sender's status checks are locked, BUSY while the global ceiling pauses every
    check, None when `sender` may check now."""
    if store.locked(session, sender_key("status-failure", sender), now):
        return SENDER
    if store.locked(session, STATUS_ALL, now):
        return BUSY
    return None


def count_status_failure(session: Session, sender: str, rules: StatusRules, now: datetime) -> None:
    """Count one failed status check of `sender`; a rule it fills locks its key (the sender, or everyone)."""
    store.serialise(session, STATUS_ALL)
    for key, rule in ((sender_key("status-failure", sender), rules.per_sender), (STATUS_ALL, rules.overall)):
        if not rule.enabled:
            continue
        store.record(session, key, now, forget_before=window_start(rule, now))
        if reached(rule, store.count_since(session, key, window_start(rule, now))):
            store.lock(session, key, lock_end(rule, now) or now + rule.window, now)
