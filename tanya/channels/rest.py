"""The REST channel (POST /webhooks/rest/webhook), strict about what it accepts.

Rasa's own REST channel accepts any body: a missing sender joins the shared conversation "default",
a body that is not a JSON object gives HTTP 500, and text/plain bodies let any website post into a
visitor's conversation from the visitor's browser (a "simple" cross-site request needs no preflight).
This one answers HTTP 400/415 with a JSON error instead, cuts long messages (tanya.channels.inbound)
and never returns an empty answer: when the assistant fails, the user is told so in their language.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, Awaitable, Callable, Dict, Optional, Tuple

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from tanya.channels import identity, json_body
from tanya.channels.inbound import clean_metadata, prepare_text
from tanya.channels.notices import conversation_language, notice
from tanya.channels.outputs import OneMessageCollectingOutput
from tanya.handoff.gate import forwarded_to_agent
from tanya.settings import get_settings

logger = logging.getLogger(__name__)

# Sender ids are chosen by the client: printable, no spaces, bounded. The sender is a bearer credential of
# the client's own conversation, whose id is "rest:<sender>" (tanya.channels.identity): no REST request can
# reach a conversation of another channel, whatever sender it names.
_SENDER = re.compile(r"^[A-Za-z0-9_.:@+\-]{1,128}$")
CHANNEL = "rest"


class RequestError(ValueError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _is_json(request: Request) -> bool:
    return (request.content_type or "").split(";", 1)[0].strip().lower() == "application/json"


def parse_body(content_type_ok: bool, body: bytes) -> Tuple[str, str, Optional[Dict[str, str]]]:
    """(sender, message, metadata) from a request body, or RequestError saying what is wrong."""
    if not content_type_ok:
        raise RequestError(415, "Content-Type must be application/json")
    try:
        data = json_body.loads(body) if body else None
    except json_body.BodyError as problem:
        raise RequestError(400, str(problem)) from None
    if not isinstance(data, dict):
        raise RequestError(400, "the body must be a JSON object with 'sender' and 'message'")
    sender, message = data.get("sender"), data.get("message")
    if not isinstance(sender, str) or not _SENDER.match(sender):
        raise RequestError(400, "'sender' must be a non-empty string of up to 128 letters, digits or . _ - : @ +")
    if not isinstance(message, str):
        raise RequestError(400, "'message' must be a string")
    if not message.strip():
        raise RequestError(400, "'message' must not be empty")
    return sender, message, clean_metadata(data.get("metadata"))


class TanyaRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return CHANNEL

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("tanya_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                client_sender, raw_text, metadata = parse_body(_is_json(request), request.body)
            except RequestError as error:
                return response.json({"error": str(error)}, status=error.status)
            sender = identity.conversation_id(CHANNEL, client_sender)
            settings = get_settings()
            inbound = prepare_text(raw_text, settings.max_message_chars)
            collector = OneMessageCollectingOutput()
            if inbound.clipped:
                await collector.send_text_message(
                    sender, notice("message_clipped", inbound.text, limit=str(settings.max_message_chars))
                )
            answered_before = len(collector.messages)
            try:
                await on_new_message(
                    UserMessage(inbound.text, collector, sender, input_channel=self.name(), metadata=metadata)
                )
            except asyncio.CancelledError:
                logger.warning("REST message timed out before the assistant answered")
            except Exception:  # noqa: BLE001 - the user still gets an answer, staff get the log
                logger.exception("REST message could not be handled")
            # Silence is right only when the message went to a human agent (tanya.handoff.gate).
            if len(collector.messages) == answered_before and not forwarded_to_agent(collector):
                language = await conversation_language(request.app, sender, inbound.text)
                await collector.send_text_message(sender, notice("reply_failed", language=language))
            # The client knows its conversation by the sender it chose.
            return response.json([{**message, "recipient_id": client_sender} for message in collector.messages])

        return webhook
