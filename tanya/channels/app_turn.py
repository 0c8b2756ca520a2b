"""What the WhatsApp and Telegram channels share: a turn handled in the background, then rendered.

The webhook answers at once (Meta retries a slow webhook) and the turn runs as an asyncio task, kept in
a set until it finishes (a task nobody references may be garbage-collected mid-way). A turn:
1. the text goes through tanya.channels.inbound.prepare_text, like on every channel (length limit,
   typed control payloads); a cut message is announced with the `message_clipped` notice;
2. Rasa answers into a collecting output; nothing comes back (an error, a timeout) → `reply_failed`,
   unless the conversation is paused because a human agent took it over;
3. the replies are rendered for the app (tanya.channels.app_rendering) and sent in order
   (tanya.channels.outbound); numbered choices and long-payload keys are remembered (tanya.channels.choices).
An exception is logged as one WARNING line with the sender masked, and the user is told politely.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence, Set, Tuple

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage

from tanya.channels import addresses, choices, identity
from tanya.channels.app_rendering import KEY_PREFIX, Rendered, numbered_choice
from tanya.channels.inbound import prepare_text
from tanya.channels.notices import notice
from tanya.channels.outputs import OneMessageCollectingOutput
from tanya.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, detect_language
from tanya.privacy.masking import mask_identifier
from tanya.settings import Settings, get_settings

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def missing_settings(settings: Settings, names: Sequence[Tuple[str, str]]) -> List[str]:
    """The environment variables (of (attribute, VARIABLE) pairs) that are not set."""
    return [variable for attribute, variable in names if not str(getattr(settings, attribute) or "").strip()]


async def conversation_language(agent: Any, sender_id: str, fallback: str = DEFAULT_LANGUAGE) -> str:
    """The language of the user's conversation so far (the `language` slot), else `fallback`."""
    try:
        tracker = await agent.tracker_store.retrieve(sender_id) if agent is not None else None
    except Exception:  # noqa: BLE001 - a language guess must never stop a reply
        tracker = None
    language = tracker.get_slot("language") if tracker is not None and tracker.events else None
    return language if language in SUPPORTED_LANGUAGES else fallback


async def is_paused(agent: Any, sender_id: str) -> bool:
    """True while a human agent has the conversation (Rasa predicts nothing, on purpose)."""
    try:
        tracker = await agent.tracker_store.retrieve(sender_id) if agent is not None else None
    except Exception:  # noqa: BLE001
        return False
    return bool(tracker is not None and tracker.is_paused())


def reply_language(replies: Sequence[Dict[str, Any]]) -> str:
    """The language the assistant answered in (for the app's own words: list label, hints)."""
    return detect_language(" ".join(str(reply.get("text") or "") for reply in replies))


class AppChannel(InputChannel):
    """Base of the messaging-app channels: subclasses parse their webhooks, render and post."""

    label = "App"  # for log lines

    def __init__(self) -> None:
        self._tasks: Set[asyncio.Task] = set()
        # One sender's messages are handled one after the other, in the order their webhooks arrived
        # (asyncio locks are fair); Rasa's own lock does not keep that order.
        self._sender_locks: Dict[str, asyncio.Lock] = {}
        self._sender_waiting: Dict[str, int] = {}
        self.missing: List[str] = []

    # -- subclasses ------------------------------------------------------------------------------
    def render(self, message: Dict[str, Any], address: str, language: str) -> Rendered:
        raise NotImplementedError

    async def post(self, address: str, requests: Sequence[Tuple[str, Dict[str, Any]]]) -> bool:
        raise NotImplementedError

    # -- conversations and addresses ---------------------------------------------------------------
    def conversation_of(self, address: str) -> str:
        """The Rasa conversation id of the person at `address` (a keyed hash: tanya.channels.identity)."""
        return identity.conversation_id(self.name(), address)

    async def address_of(self, conversation: str) -> Optional[str]:
        """Where to send a message for `conversation` outside a turn (tanya.channels.addresses)."""
        return await addresses.book().address_of_async(conversation)

    # -- background work -------------------------------------------------------------------------
    def spawn(self, work: Awaitable[None], address: str, language: Optional[str] = None) -> None:
        task = asyncio.get_running_loop().create_task(self._guarded(work, address, language))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guarded(self, work: Awaitable[None], address: str, language: Optional[str]) -> None:
        lock = self._sender_locks.setdefault(address, asyncio.Lock())
        self._sender_waiting[address] = self._sender_waiting.get(address, 0) + 1
        try:
            async with lock:
                await self._run(work, address, language)
        finally:
            if inspect.iscoroutine(work):
                work.close()  # no-op when it ran; stops a "never awaited" warning when cancelled while waiting
            self._sender_waiting[address] -= 1
            if not self._sender_waiting[address]:
                del self._sender_waiting[address], self._sender_locks[address]

    async def _run(self, work: Awaitable[None], address: str, language: Optional[str]) -> None:
        who = mask_identifier(address)
        try:
            await work
        except asyncio.CancelledError:
            logger.warning("%s: the message from %s was not finished (server stopping)", self.label, who)
        except Exception as error:  # noqa: BLE001 - the user is told; staff get one line
            logger.warning("%s: a message from %s could not be handled: %s", self.label, who, type(error).__name__)
            logger.debug("%s: details", self.label, exc_info=True)
            try:
                await self.deliver_to(address, [{"text": notice("reply_failed", language=language or DEFAULT_LANGUAGE)}], turn=False)
            except Exception as second:  # noqa: BLE001
                logger.warning("%s: could not tell %s about it either: %s", self.label, who, type(second).__name__)

    # -- a turn ----------------------------------------------------------------------------------
    async def resolve_choice(self, conversation: str, text: str, pressed: bool) -> Optional[str]:
        """The payload an answer stands for: a pressed button's key ("k:…"), or a typed number ("2")
        when numbered choices were offered. None: use `text` as it is. "": a key nobody remembers."""
        if pressed:
            if text.startswith(KEY_PREFIX):
                return await choices.payload_for_key_async(self.name(), conversation, text) or ""
            return None
        if text.strip().rstrip(".)").strip().isdigit() and len(text.strip()) <= 3:
            offered = await choices.numbered_choices_async(self.name(), conversation)
            return numbered_choice(text, offered)
        return None

    async def handle_text(self, on_new_message: OnNewMessage, agent: Any, address: str, raw_text: str,
                          language: Optional[str] = None, pressed: bool = False) -> None:
        """One turn for a typed text or (`pressed`) a button's id / callback data from `address`."""
        conversation = self.conversation_of(address)
        await addresses.book().remember_async(self.name(), conversation, address)
        payload = await self.resolve_choice(conversation, raw_text, pressed)
        if payload == "":
            fallback = await conversation_language(agent, conversation, language or DEFAULT_LANGUAGE)
            await self.deliver_to(address, [{"text": notice("choice_expired", language=fallback)}], turn=False)
            return
        settings = get_settings()
        inbound = prepare_text(payload or raw_text, settings.max_message_chars)
        if inbound.empty:
            fallback = await conversation_language(agent, conversation, language or DEFAULT_LANGUAGE)
            await self.deliver_to(address, [{"text": notice("empty_message", language=fallback)}], turn=False)
            return
        collector = OneMessageCollectingOutput()
        if inbound.clipped:
            await collector.send_text_message(conversation, notice("message_clipped", inbound.text, limit=str(settings.max_message_chars)))
        answered_before = len(collector.messages)
        await on_new_message(UserMessage(inbound.text, collector, conversation, input_channel=self.name()))
        replies = list(collector.messages)
        if len(replies) == answered_before and not await is_paused(agent, conversation):
            replies.append({"text": notice("reply_failed", inbound.text)})
        await self.deliver_to(address, replies, turn=True)

    async def handle_unsupported(self, agent: Any, address: str, fallback: str) -> None:
        language = await conversation_language(agent, self.conversation_of(address), fallback)
        await self.deliver_to(address, [{"text": notice("unsupported_message_type", language=language)}], turn=False)

    async def deliver(self, conversation: str, replies: Sequence[Dict[str, Any]], turn: bool = False) -> bool:
        """Send `replies` to the person of `conversation` (outside a turn: their address is looked up)."""
        address = await self.address_of(conversation)
        if address is None:
            logger.warning("%s: no address known for conversation %s: message not sent", self.label, mask_identifier(conversation))
            return False
        return await self.deliver_to(address, replies, turn)

    async def deliver_to(self, address: str, replies: Sequence[Dict[str, Any]], turn: bool) -> bool:
        """Render and send `replies` to `address`; after a turn, its numbered choices replace the previous ones."""
        language = reply_language(replies)
        rendered = Rendered()
        for reply in replies:
            rendered.extend(self.render(reply, address, language))
        # After a turn, a number means what this turn offered (or nothing); outside a turn, only new
        # numbered choices replace the old ones.
        numbered = (rendered.numbered or ()) if turn else (rendered.numbered or None)
        if turn or rendered.keys or numbered:
            await choices.save_turn_async(self.name(), self.conversation_of(address), numbered, rendered.keys)
        return await self.post(address, rendered.requests)

    def get_output_channel(self) -> Optional[OutputChannel]:
        return AppOutput(self) if not self.missing else None


class AppOutput(OutputChannel):
    """Messages outside a turn (e.g. a reminder Rasa triggers): rendered and sent at once."""

    def __init__(self, channel: AppChannel) -> None:
        self.channel = channel

    def name(self) -> str:  # type: ignore[override]
        return self.channel.name()

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        await self.channel.deliver(recipient_id, [message], turn=False)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.channel.deliver(recipient_id, [{"text": text}], turn=False)
