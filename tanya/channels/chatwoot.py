"""The agent desk's webhook: POST /webhooks/chatwoot/webhook (Chatwoot API-inbox callback or agent bot).

Served in the Rasa process as an input channel (credentials.yml), because resolving a handoff must
change the Rasa conversation. In order:
1. the signature (tanya.handoff.signature) is checked before anything is read: 403 otherwise, and
   neither the body nor the headers are logged;
2. an event already handled is skipped, by any instance and after a restart: its keys are claimed in the
   database (tanya.channels.seen_messages) - the X-Chatwoot-Delivery id (the same across Chatwoot's
   retries), the signature (a captured request replayed within the 5-minute window has the same one,
   whatever delivery id it is given: that header is outside the signature) and the message id;
3. `message_created` by an agent (`outgoing`, not `private`) in a conversation that is with an agent
   is delivered to the user on their channel (tanya.channels.delivery); private notes, the user's own
   forwarded messages (`incoming`) and activity messages are ignored;
4. a conversation set to `resolved` gives the Rasa conversation back: ConversationResumed is appended
   to its tracker (under the conversation's lock, as Rasa's processor does) and the user is told.
Anything else is acknowledged with 200 and ignored, so Chatwoot does not retry it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, ConversationResumed
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from tanya import messages
from tanya.channels import delivery, json_body, seen_messages
from tanya.handoff import bridge, signature
from tanya.language import SUPPORTED_LANGUAGES
from tanya.settings import get_settings

logger = logging.getLogger(__name__)

CHANNEL = "chatwoot"
OUTGOING = ("outgoing", 1)
RESOLVED_EVENTS = ("conversation_status_changed", "conversation_resolved")


def _conversation_keys(payload: Dict[str, Any], conversation: Dict[str, Any]) -> Tuple[Optional[int], Optional[str]]:
    """(display id, contact inbox source id) of the desk conversation an event is about."""
    raw_id = conversation.get("id", conversation.get("display_id"))
    try:
        conversation_id = int(raw_id) if raw_id is not None else None
    except (TypeError, ValueError):
        conversation_id = None
    contact_inbox = conversation.get("contact_inbox") if isinstance(conversation.get("contact_inbox"), dict) else {}
    source_id = contact_inbox.get("source_id") if isinstance(contact_inbox.get("source_id"), str) else None
    return conversation_id, source_id


def replay_keys(delivery_id: Optional[str], signature_header: Optional[str], payload: Dict[str, Any]) -> List[str]:
    """What makes one agent-desk event unique: any of these seen before means the event was handled."""
    keys = [f"signature:{(signature_header or '').strip().lower().replace('sha256=', '')}"]
    if delivery_id:
        keys.append(f"delivery:{delivery_id.strip()}")
    message_id = payload.get("id")
    if payload.get("event") == "message_created" and isinstance(message_id, int) and not isinstance(message_id, bool):
        keys.append(f"message:{message_id}")
    return keys


def agent_text(payload: Dict[str, Any]) -> Optional[str]:
    """The text of an agent's reply to the user, or None for anything the user must not see."""
    if payload.get("event") != "message_created":
        return None
    if payload.get("message_type") not in OUTGOING or payload.get("private") is not False:
        return None  # the user's own forwarded message, a private note, an activity ("resolved by ...")
    content = payload.get("content")
    return content.strip() if isinstance(content, str) and content.strip() else None


def resolved(payload: Dict[str, Any]) -> bool:
    return payload.get("event") in RESOLVED_EVENTS and payload.get("status") == "resolved"


class ChatwootInput(InputChannel):
    """Receives the agent desk's events; sends nothing of its own to Rasa."""

    @classmethod
    def name(cls) -> Text:
        return "chatwoot"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "ChatwootInput":
        return cls()  # configured from the environment (CHATWOOT_*), never from a committed file

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("tanya_chatwoot_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            secret = get_settings().chatwoot_webhook_secret
            if not signature.verify(
                secret,
                request.body or b"",
                request.headers.get("x-chatwoot-signature"),
                request.headers.get("x-chatwoot-timestamp"),
            ):
                logger.warning("Agent desk webhook refused: missing, stale or wrong signature")
                return response.json({"error": "invalid signature"}, status=403)
            try:
                payload = json_body.loads(request.body or b"")
            except json_body.BodyError as problem:
                return response.json({"error": str(problem)}, status=400)
            if not isinstance(payload, dict):
                return response.json({"error": "the body must be a JSON object"}, status=400)
            keys = replay_keys(request.headers.get("x-chatwoot-delivery"), request.headers.get("x-chatwoot-signature"), payload)
            if not await asyncio.to_thread(seen_messages.claim_all, CHANNEL, keys):
                logger.info("Agent desk event already handled (a retry or a replay), dropped")
                return response.json({"status": "duplicate"})
            try:
                status = await self._handle(request, payload)
            except Exception:  # noqa: BLE001 - the desk gets an answer, staff get the log
                logger.exception("Agent desk event could not be handled")
                await asyncio.to_thread(seen_messages.release, CHANNEL, keys)  # a retry may succeed
                return response.json({"status": "failed"}, status=503)
            return response.json({"status": status})

        return webhook

    async def _handle(self, request: Request, payload: Dict[str, Any]) -> str:
        if payload.get("event") == "message_created":
            text = agent_text(payload)
            if text is None:
                return "ignored"
            conversation = payload.get("conversation") if isinstance(payload.get("conversation"), dict) else {}
            handoff = await asyncio.to_thread(bridge.find_active, *_conversation_keys(payload, conversation))
            if handoff is None:
                return "ignored"
            delivered = await delivery.deliver(handoff.channel, handoff.sender_id, text)
            return "delivered" if delivered else "not_delivered"
        if resolved(payload):
            handoff = await asyncio.to_thread(bridge.find_active, *_conversation_keys(payload, payload))
            if handoff is None or not await asyncio.to_thread(bridge.close, handoff):
                return "ignored"
            language = await self._resume(request, handoff.sender_id) or handoff.language
            await delivery.deliver(handoff.channel, handoff.sender_id, messages.text("handoff_resumed", language))
            logger.info("Agent desk conversation %s resolved: the assistant is back", handoff.conversation_id)
            return "resumed"
        return "ignored"

    @staticmethod
    async def _resume(request: Request, sender_id: str) -> Optional[str]:
        """Give the Rasa conversation back to the assistant; its language, if the tracker knows it."""
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None:
            logger.warning("No Rasa agent loaded: the conversation could not be resumed")
            return None
        async with agent.lock_store.lock(sender_id):
            tracker = await agent.tracker_store.retrieve(sender_id)
            if tracker is None:
                return None
            if tracker.is_paused():
                # The messages logged while paused got no answer: listen afresh, as after any turn.
                tracker.update(ConversationResumed())
                tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
                await agent.tracker_store.save(tracker)
            language = tracker.get_slot("language")
        return language if language in SUPPORTED_LANGUAGES else None
