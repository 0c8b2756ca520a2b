"""Where a messaging-app conversation is delivered: its address (WhatsApp number, Telegram chat id), sealed.

Conversation ids of the apps are keyed hashes (tanya.channels.identity), so an agent's reply or any other
message sent outside a turn needs the address back. Each incoming message records it here, encrypted with
TANYA_SECRET_KEY; rows unused for ADDRESS_KEPT_FOR are pruned (an agent's reply reaches WhatsApp users only
within 24 h anyway). Shared by every instance through the knowledge database; the table comes from
tanya.migrations.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta, timezone
from typing import Dict, Optional

from sqlalchemy import Column, DateTime, String, Text, delete, select
from sqlalchemy.orm import declarative_base

from tanya.db import session_scope
from tanya.registration import crypto

Base = declarative_base()

ADDRESS_KEPT_FOR = timedelta(days=30)
# A conversation's row is rewritten (its time refreshed) at most this often by one process.
_REFRESH_SECONDS = 6 * 3600
_PRUNE_EVERY_SECONDS = 3600


class ChannelAddress(Base):
    __tablename__ = "channel_address"

    conversation_id = Column(String(80), primary_key=True)
    channel = Column(String(20), nullable=False)
    address_encrypted = Column(Text, nullable=False)
    used_at = Column(DateTime(timezone=True), nullable=False, index=True)


class AddressBook:
    """Remembers addresses in the database; knows which ones this process wrote recently."""

    def __init__(self, url: Optional[str] = None) -> None:
        self.url = url
        self._written: Dict[str, float] = {}
        self._last_prune = 0.0

    def remember(self, channel: str, conversation: str, address: str) -> None:
        now = time.monotonic()
        if now - self._written.get(conversation, -_REFRESH_SECONDS) < _REFRESH_SECONDS:
            return
        moment = datetime.now(timezone.utc)
        with session_scope(self.url) as session:
            # One row per conversation: merge() inserts or refreshes it (the address never changes).
            session.merge(ChannelAddress(conversation_id=conversation, channel=channel,
                                         address_encrypted=crypto.seal(address, conversation), used_at=moment))
            if now - self._last_prune >= _PRUNE_EVERY_SECONDS:
                self._last_prune = now
                session.execute(delete(ChannelAddress).where(ChannelAddress.used_at < moment - ADDRESS_KEPT_FOR))
        self._written[conversation] = now

    def address_of(self, conversation: str) -> Optional[str]:
        """The address of `conversation`, or None when it was never seen (or forgotten)."""
        with session_scope(self.url) as session:
            token = session.execute(
                select(ChannelAddress.address_encrypted).where(ChannelAddress.conversation_id == conversation)
            ).scalar_one_or_none()
        return crypto.unseal(token, conversation) if token else None

    async def remember_async(self, channel: str, conversation: str, address: str) -> None:
        await asyncio.to_thread(self.remember, channel, conversation, address)

    async def address_of_async(self, conversation: str) -> Optional[str]:
        return await asyncio.to_thread(self.address_of, conversation)


_BOOK: Dict[str, AddressBook] = {}


def book(url: Optional[str] = None) -> AddressBook:
    """The process's address book for `url` (default: the configured database)."""
    return _BOOK.setdefault(url or "", AddressBook(url))
