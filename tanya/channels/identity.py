"""Conversation ids: every channel names its own conversations, and no channel can name another's.

Rasa keys a conversation (tracker, lock, slots, sealed form answers, handoff) by its sender id alone, so
whoever can choose a sender id can act inside that conversation. Every channel therefore builds the id
itself from what it verified, with its own prefix, and never takes one from a client as it is:
- WhatsApp `wa:<keyed hash of the number>`, Telegram `tg:<keyed hash of the chat id>`: the webhook is signed
  by Meta / carries Telegram's secret, so the address is real; it is hashed with TANYA_SECRET_KEY, so
  neither the tracker store nor the logs hold a phone number (the address book keeps it, encrypted);
- the website widget `web:<id the server issued>` (tanya.channels.web_session);
- REST `rest:<the client's sender>`: the sender is a bearer credential of that client's own conversation.
A prefix is added by exactly one channel, so "web:wa:..." or "rest:tg:..." is still that channel's own.
"""

from __future__ import annotations

from typing import Optional

from tanya.registration.crypto import keyed_digest

PREFIX = {"whatsapp": "wa", "telegram": "tg", "socketio": "web", "rest": "rest"}
# Channels whose address is personal (a phone number, a Telegram account): hashed in the id.
HASHED = frozenset({"whatsapp", "telegram"})
HASH_CHARS = 32
SEPARATOR = ":"


def conversation_id(channel: str, address: str) -> str:
    """The conversation id `channel` uses for the person or session at `address`."""
    prefix = PREFIX[channel]
    local = keyed_digest(f"conversation-id|{channel}|{address}")[:HASH_CHARS] if channel in HASHED else address
    return f"{prefix}{SEPARATOR}{local}"


def channel_of(conversation: str) -> Optional[str]:
    """The channel that made `conversation`, or None for an id no channel of ours made."""
    prefix, separator, _ = (conversation or "").partition(SEPARATOR)
    if not separator:
        return None
    return next((channel for channel, known in PREFIX.items() if known == prefix), None)


def local_part(conversation: str) -> str:
    """What follows the channel's prefix (the REST sender or the widget session as the client knows it)."""
    return conversation.partition(SEPARATOR)[2]
