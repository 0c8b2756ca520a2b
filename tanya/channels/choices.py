"""What a user's short answer stands for, remembered in the knowledge database (shared by instances).

Two kinds, both from tanya.channels.app_rendering:
- numbered choices: WhatsApp offered "1. …, 2. …" as text; the user's "2" means the second payload.
  Only the choices of the user's latest turn count: every turn replaces them (or clears them), so a
  "2" typed later as an answer (number of workers) is not taken for an old choice.
- keys: a payload too long for a button id (Telegram's 64 bytes) travels as "k:<hash>"; pressing an
  older button still works, until the key is forgotten (30 days).
Senders are stored hashed: nothing here identifies a user. The table comes from tanya.migrations.
"""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime, timedelta, timezone
from typing import Dict, Optional, Sequence, Tuple

from sqlalchemy import Column, DateTime, Integer, String, Text, UniqueConstraint, delete, select
from sqlalchemy.orm import declarative_base

from tanya.db import session_scope

Base = declarative_base()

NUMBERED = "number"
KEY = "key"
NUMBERED_VALID_FOR = timedelta(hours=24)
KEYS_VALID_FOR = timedelta(days=30)


class ChannelChoice(Base):
    __tablename__ = "channel_choice"
    __table_args__ = (UniqueConstraint("channel", "sender_hash", "kind", "choice_key", name="uq_channel_choice"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    channel = Column(String(20), nullable=False)
    sender_hash = Column(String(64), nullable=False, index=True)
    kind = Column(String(10), nullable=False)
    choice_key = Column(String(40), nullable=False)
    payload = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, index=True)


def _sender(sender_id: str) -> str:
    return hashlib.sha256(sender_id.encode("utf-8")).hexdigest()


def _mine(channel: str, sender_id: str, kind: str):
    return (ChannelChoice.channel == channel) & (ChannelChoice.sender_hash == _sender(sender_id)) & (ChannelChoice.kind == kind)


def save_turn(channel: str, sender_id: str, numbered: Optional[Sequence[str]], keys: Dict[str, str],
              url: Optional[str] = None) -> None:
    """After a turn: its numbered choices replace the previous ones (None: keep them); keys are added."""
    now = datetime.now(timezone.utc)
    with session_scope(url) as session:
        if numbered is not None:
            session.execute(delete(ChannelChoice).where(_mine(channel, sender_id, NUMBERED)))
        for number, payload in enumerate(numbered or (), start=1):
            session.add(ChannelChoice(channel=channel, sender_hash=_sender(sender_id), kind=NUMBERED,
                                      choice_key=str(number), payload=payload, created_at=now))
        if keys:
            known = set(session.execute(
                select(ChannelChoice.choice_key).where(_mine(channel, sender_id, KEY), ChannelChoice.choice_key.in_(list(keys)))
            ).scalars())
            for key, payload in keys.items():
                if key not in known:
                    session.add(ChannelChoice(channel=channel, sender_hash=_sender(sender_id), kind=KEY,
                                              choice_key=key, payload=payload, created_at=now))
        # Forgotten choices of everybody, in the same short transaction (an indexed range delete).
        session.execute(delete(ChannelChoice).where(
            ((ChannelChoice.kind == NUMBERED) & (ChannelChoice.created_at < now - NUMBERED_VALID_FOR))
            | ((ChannelChoice.kind == KEY) & (ChannelChoice.created_at < now - KEYS_VALID_FOR))
        ))


def numbered_choices(channel: str, sender_id: str, url: Optional[str] = None) -> Tuple[str, ...]:
    """The payloads of the numbered choices offered in the user's latest turn, in order."""
    since = datetime.now(timezone.utc) - NUMBERED_VALID_FOR
    with session_scope(url) as session:
        rows = session.execute(
            select(ChannelChoice.choice_key, ChannelChoice.payload)
            .where(_mine(channel, sender_id, NUMBERED), ChannelChoice.created_at >= since)
        ).all()
    return tuple(payload for _, payload in sorted(rows, key=lambda row: int(row[0])))


def payload_for_key(channel: str, sender_id: str, key: str, url: Optional[str] = None) -> Optional[str]:
    with session_scope(url) as session:
        return session.execute(
            select(ChannelChoice.payload).where(_mine(channel, sender_id, KEY), ChannelChoice.choice_key == key)
        ).scalars().first()


async def save_turn_async(channel: str, sender_id: str, numbered: Optional[Sequence[str]], keys: Dict[str, str]) -> None:
    await asyncio.to_thread(save_turn, channel, sender_id, numbered, keys)


async def numbered_choices_async(channel: str, sender_id: str) -> Tuple[str, ...]:
    return await asyncio.to_thread(numbered_choices, channel, sender_id)


async def payload_for_key_async(channel: str, sender_id: str, key: str) -> Optional[str]:
    return await asyncio.to_thread(payload_for_key, channel, sender_id, key)
