"""Which incoming app messages were already taken, shared by every instance of the assistant.

Meta retries a webhook it thinks failed, a captured agent-desk webhook can be replayed (Chatwoot: its\ndelivery id, signature and message id are claimed together), and Telegram re-sends an update it has no answer for, possibly
to another server behind the balancer. Each message id (WhatsApp `wamid…`, Telegram `update_id`) is
claimed once with an INSERT on a unique key in the knowledge database: the first instance's insert
succeeds and it answers; every later one fails and drops the copy. A dict would only protect one process.
Ids are stored hashed (fixed width, nothing to read), with the time, and forgotten after a week.
The table is created by the migrations (tanya.migrations), like every table of the knowledge database.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from datetime import datetime, timedelta, timezone
from typing import Optional, Sequence

from sqlalchemy import Column, DateTime, Integer, String, UniqueConstraint, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import declarative_base

from tanya.db import session_scope

Base = declarative_base()

KEEP_FOR = timedelta(days=7)  # longer than Meta and Telegram keep retrying
_PRUNE_EVERY_SECONDS = 3600
_last_prune = {"at": 0.0}


class SeenMessage(Base):
    __tablename__ = "channel_seen_message"
    __table_args__ = (UniqueConstraint("channel", "message_hash", name="uq_channel_seen_message"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    channel = Column(String(20), nullable=False)
    message_hash = Column(String(64), nullable=False)
    seen_at = Column(DateTime(timezone=True), nullable=False, index=True)


def _hash(message_id: str) -> str:
    return hashlib.sha256(message_id.encode("utf-8")).hexdigest()


def claim(channel: str, message_id: str, url: Optional[str] = None) -> bool:
    """True the first time `message_id` is claimed for `channel` (by any instance), False after."""
    now = datetime.now(timezone.utc)
    try:
        with session_scope(url) as session:
            session.add(SeenMessage(channel=channel, message_hash=_hash(message_id), seen_at=now))
    except IntegrityError:
        return False
    _prune_now_and_then(url, now)
    return True


def claim_all(channel: str, message_ids: Sequence[str], url: Optional[str] = None) -> bool:
    """True when none of `message_ids` was claimed before for `channel`; then all of them are claimed at
    once (one transaction), e.g. the several keys of one agent-desk webhook. False if any was."""
    now = datetime.now(timezone.utc)
    try:
        with session_scope(url) as session:
            for message_id in dict.fromkeys(message_ids):
                session.add(SeenMessage(channel=channel, message_hash=_hash(message_id), seen_at=now))
    except IntegrityError:
        return False
    _prune_now_and_then(url, now)
    return True


def release(channel: str, message_ids: Sequence[str], url: Optional[str] = None) -> None:
    """Forget claims, so a retry of a message that could not be handled is taken again."""
    hashes = [_hash(message_id) for message_id in message_ids]
    with session_scope(url) as session:
        session.execute(delete(SeenMessage).where(SeenMessage.channel == channel, SeenMessage.message_hash.in_(hashes)))


def _prune_now_and_then(url: Optional[str], now: datetime) -> None:
    if time.monotonic() - _last_prune["at"] < _PRUNE_EVERY_SECONDS:
        return
    _last_prune["at"] = time.monotonic()
    with session_scope(url) as session:
        session.execute(delete(SeenMessage).where(SeenMessage.seen_at < now - KEEP_FOR))


async def claim_async(channel: str, message_id: str, url: Optional[str] = None) -> bool:
    """claim() off the event loop (a database round trip must not hold up other conversations)."""
    return await asyncio.to_thread(claim, channel, message_id, url)
