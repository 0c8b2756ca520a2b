"""The one gate every channel's messages pass through on their way to Rasa, for the handoff.

While a conversation is with an agent, Rasa's processor only logs a user's message (the conversation
is paused) and answers nothing. So, before Rasa sees a message, the gate
- hands the user any agent messages waiting in the outbox (channels that cannot push: REST);
- forwards the text to the desk conversation (tanya.handoff.bridge.forward);
then lets Rasa log the message as usual (the analytics count it), and afterwards tells the user, on
the first forwarded message only, that it reached the agent (or, when the desk is unreachable, that it
did not, with the call center). It is applied to every channel by tanya.server (wrap_channels), so a
new channel gets it without code of its own.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Iterable

from rasa.core.channels.channel import UserMessage

from tanya import messages
from tanya.channels import delivery
from tanya.handoff import bridge

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]
_FORWARDED_FLAG = "handoff_forwarded"


def forwarded_to_agent(output_channel: Any) -> bool:
    """True when the message answered through `output_channel` went to an agent (silence is expected)."""
    return bool(getattr(output_channel, _FORWARDED_FLAG, False))


async def _send(message: UserMessage, text: str) -> None:
    await message.output_channel.send_text_message(message.sender_id, text)


def _failure_notice(language: str) -> str:
    try:
        return messages.text("handoff_forward_failed", language, call_center=bridge.call_center_text(language))
    except Exception:  # noqa: BLE001 - the knowledge is unreadable: the generic apology still answers
        return messages.text("reply_failed", language)


def with_handoff(on_new_message: Handler) -> Handler:
    async def handle(message: UserMessage) -> Any:
        if not bridge.configured():
            return await on_new_message(message)
        channel, sender = message.input_channel or "", message.sender_id
        forwarded = bridge.Forwarded()
        try:
            if delivery.uses_outbox(channel):
                for text in await asyncio.to_thread(bridge.take_waiting, channel, sender):
                    await _send(message, text)
            forwarded = await asyncio.to_thread(bridge.forward, channel, sender, message.text or "")
        except Exception as error:  # noqa: BLE001 - the assistant still handles the message
            logger.warning("Handoff gate skipped for one message: %s", type(error).__name__)
        answer = await on_new_message(message)  # Rasa logs it; paused, it predicts nothing
        if forwarded.with_agent:
            setattr(message.output_channel, _FORWARDED_FLAG, True)
            language = forwarded.handoff.language
            if not forwarded.delivered:
                await _send(message, _failure_notice(language))
            elif forwarded.first:
                await _send(message, messages.text("handoff_forwarded", language))
        return answer

    return handle


def wrap_channels(channels: Iterable[Any]) -> None:
    """Route every channel's messages through the gate (before Rasa registers their blueprints)."""
    for channel in channels:
        build = channel.blueprint

        def blueprint(on_new_message: Handler, _build=build):
            return _build(with_handoff(on_new_message))

        channel.blueprint = blueprint
