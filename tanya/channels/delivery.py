"""Deliver a text to a user outside a turn (an agent's reply, "the assistant is back"), on their channel.

- socketio (the website widget): emitted as `bot_uttered` to the conversation's room through the
  running socket.io server (tanya.channels.socketio keeps it); with session persistence the room is
  the sender id (the widget's session id), without it the sender id is the socket's own room;
- whatsapp, telegram: the channel module's own `async send_text(sender_id, text)`, imported on use;
- rest and any channel that cannot push: kept in the outbox (tanya.handoff.outbox) and returned with
  the answer to the user's next message (tanya.handoff.gate).
Failures are logged (without the text or the sender) and reported as False; they never raise.
"""

from __future__ import annotations

import asyncio
import importlib
import logging

logger = logging.getLogger(__name__)

PUSH_MODULES = {"whatsapp": "tanya.channels.whatsapp", "telegram": "tanya.channels.telegram"}
SOCKETIO = "socketio"


def uses_outbox(channel: str) -> bool:
    """True for channels whose users only get what is in the answer to their own requests."""
    return channel != SOCKETIO and channel not in PUSH_MODULES


async def deliver(channel: str, sender_id: str, text: str) -> bool:
    """True when the text was handed to the channel (or kept for the user's next request)."""
    try:
        if channel == SOCKETIO:
            return await _emit_socketio(sender_id, text)
        if channel in PUSH_MODULES:
            send_text = getattr(importlib.import_module(PUSH_MODULES[channel]), "send_text")
            await send_text(sender_id, text)
            return True
        from tanya.handoff import bridge

        await asyncio.to_thread(bridge.keep_for_later, channel, sender_id, text)
        return True
    except Exception as error:  # noqa: BLE001 - a failed delivery is reported, never raised to the desk
        logger.warning("Could not deliver a message on channel %s: %s", channel, type(error).__name__)
        return False


async def _emit_socketio(sender_id: str, text: str) -> bool:
    from tanya.channels.socketio import running_server

    server = running_server()
    if server is None:
        logger.warning("No socket.io server runs in this process: the widget message was not delivered")
        return False
    await server["sio"].emit(server["event"], {"text": text}, room=sender_id, namespace=server["namespace"])
    return True
