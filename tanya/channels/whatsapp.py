"""WhatsApp Cloud API channel (Meta): webhook /webhooks/whatsapp/webhook. Rasa ships none.

- GET: Meta's verification handshake (hub.mode=subscribe, hub.verify_token, hub.challenge): the
  challenge as plain text when the token matches, else 403.
- POST: authenticated before anything else, `X-Hub-Signature-256: sha256=<HMAC-SHA256(app secret, raw
  body)>` compared in constant time; missing or wrong → 403, nothing processed or logged. Then 200 at
  once and the messages are handled in the background (tanya.channels.app_turn): Meta retries a slow
  webhook, and a retry is dropped by its message id (`wamid…`, tanya.channels.seen_messages).
- Understood: text, and interactive button/list replies, whose **id** (the Rasa payload we put there)
  goes to Rasa, not their title. Status callbacks are acknowledged and ignored; reactions ignored;
  pictures, voice, location, stickers, documents get a polite reply saying what the assistant reads.
- Replies: POST {WHATSAPP_API_BASE}/{phone-number-id}/messages with the bearer token, retried with
  back-off (tanya.channels.outbound), rendered by tanya.channels.app_rendering.
The Rasa conversation id is a keyed hash of the user's number (wa_id, tanya.channels.identity); the number
itself is kept only in the address book, encrypted (tanya.channels.addresses); log lines show its last 4 digits.
Enabled when WHATSAPP_VERIFY_TOKEN, WHATSAPP_APP_SECRET, WHATSAPP_ACCESS_TOKEN and
WHATSAPP_PHONE_NUMBER_ID are set; otherwise one INFO line at start names what is missing and the
webhook answers 503.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from tanya.channels import addresses, json_body, seen_messages
from tanya.channels.app_rendering import Rendered, whatsapp_messages, whatsapp_text
from tanya.channels.app_turn import AppChannel, OnNewMessage, missing_settings
from tanya.channels.outbound import DeliveryError, send_all
from tanya.language import DEFAULT_LANGUAGE
from tanya.privacy.masking import mask_identifier
from tanya.settings import Settings, get_settings

logger = logging.getLogger(__name__)

CHANNEL = "whatsapp"
REQUIRED = (
    ("whatsapp_verify_token", "WHATSAPP_VERIFY_TOKEN"),
    ("whatsapp_app_secret", "WHATSAPP_APP_SECRET"),
    ("whatsapp_access_token", "WHATSAPP_ACCESS_TOKEN"),
    ("whatsapp_phone_number_id", "WHATSAPP_PHONE_NUMBER_ID"),
)
SIGNATURE_HEADER = "X-Hub-Signature-256"
_WA_ID = re.compile(r"^\d{5,20}$")
_CHALLENGE = re.compile(r"^[A-Za-z0-9_.\-]{1,128}$")
# Message types the assistant cannot read: answered with a polite note. Others (reaction, system,
# unknown future types) are not worth a reply.
UNREADABLE_TYPES = frozenset({"image", "audio", "voice", "video", "document", "sticker", "location", "contacts", "unsupported", "order"})

TEXT, CHOICE, UNREADABLE = "text", "choice", "unreadable"


@dataclass(frozen=True)
class Incoming:
    message_id: str
    sender: str  # the user's WhatsApp id (their number, digits only)
    kind: str  # TEXT | CHOICE | UNREADABLE
    text: str = ""  # the text, or the chosen reply's id (the Rasa payload)


# -- pure parts (unit-tested) ---------------------------------------------------------------------


def signature_is_valid(app_secret: str, body: bytes, header: Optional[str]) -> bool:
    """Meta's `X-Hub-Signature-256` for `body`, compared in constant time."""
    if not app_secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest().encode("ascii")
    return hmac.compare_digest(expected, header[len("sha256="):].strip().lower().encode("utf-8", "replace"))


def verification_challenge(args: Mapping[str, Any], verify_token: str) -> Optional[str]:
    """The challenge to echo for a valid subscription handshake, else None (→ 403)."""
    def first(name: str) -> str:
        value = args.get(name)
        value = value[0] if isinstance(value, (list, tuple)) and value else value
        return value if isinstance(value, str) else ""

    token, challenge = first("hub.verify_token"), first("hub.challenge")
    if first("hub.mode") != "subscribe" or not verify_token or not token or not _CHALLENGE.match(challenge):
        return None
    return challenge if hmac.compare_digest(token.encode("utf-8"), verify_token.encode("utf-8")) else None


def _object(value: Any) -> Dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _incoming(raw: Any) -> Tuple[Optional[Incoming], Optional[str]]:
    """(the message, None), or (None, None) for a kind we skip (reactions, system messages, future types),
    or (None, what is wrong) for a message not in Meta's documented shape."""
    if not isinstance(raw, dict):
        return None, "a message that is not an object"
    message_id, sender, kind = raw.get("id"), raw.get("from"), raw.get("type")
    if not isinstance(message_id, str) or not message_id or not isinstance(sender, str) or not _WA_ID.match(sender):
        return None, "a message without a valid id or sender"
    if kind == "text":
        body = _object(raw.get("text")).get("body")
        return (Incoming(message_id, sender, TEXT, body), None) if isinstance(body, str) else (None, "a text message without a body")
    if kind == "interactive":
        interactive = _object(raw.get("interactive"))
        if interactive.get("type") not in ("button_reply", "list_reply"):
            return None, None  # e.g. a WhatsApp Flow's answer (nfm_reply): not something we sent
        chosen = _object(interactive.get(interactive["type"])).get("id")
        return (Incoming(message_id, sender, CHOICE, chosen), None) if isinstance(chosen, str) and chosen else (None, "a reply without an id")
    if kind == "button":  # a quick-reply button of a template message
        button = _object(raw.get("button"))
        chosen = button.get("payload") or button.get("text")
        return (Incoming(message_id, sender, CHOICE, chosen), None) if isinstance(chosen, str) and chosen else (None, "a button without a payload")
    if kind in UNREADABLE_TYPES:
        return Incoming(message_id, sender, UNREADABLE), None
    return None, None


def _value_messages(value: Dict[str, Any], phone_number_id: str, found: List[Incoming], problems: List[str]) -> None:
    """The user messages of one `messages` change's value, into `found`; what is malformed, into `problems`."""
    metadata = value.get("metadata", {})
    if not isinstance(metadata, dict):
        problems.append("'metadata' is not an object")
        return
    addressed_to = str(metadata.get("phone_number_id") or "")
    if addressed_to and phone_number_id and addressed_to != phone_number_id:
        return  # another number of the same Meta app
    messages = value.get("messages")
    if messages is None:
        if not isinstance(value.get("statuses"), list):  # a status callback has statuses and no messages
            problems.append("a 'messages' change with neither 'messages' nor 'statuses'")
        return
    if not isinstance(messages, list):
        problems.append("'messages' is not a list")
        return
    for raw in messages:
        incoming, problem = _incoming(raw)
        if incoming:
            found.append(incoming)
        elif problem:
            problems.append(problem)


def read_webhook(data: Any, phone_number_id: str) -> Tuple[List[Incoming], List[str]]:
    """(the user messages of a webhook body addressed to our number, what in the body is not in Meta's
    documented shape). Statuses, other numbers and other subscriptions are skipped without a problem."""
    found: List[Incoming] = []
    problems: List[str] = []
    if not isinstance(data, dict) or data.get("object") != "whatsapp_business_account":
        return found, ["not a WhatsApp Business Account webhook"]
    entries = data.get("entry")
    if not isinstance(entries, list):
        return found, ["'entry' is missing or not a list"]
    for entry in entries:
        changes = _object(entry).get("changes")
        if not isinstance(changes, list):
            problems.append("an entry without a 'changes' list")
            continue
        for change in changes:
            if not isinstance(change, dict):
                problems.append("a change that is not an object")
            elif change.get("field") != "messages":
                continue  # another subscription of the app (templates, account updates)
            elif not isinstance(change.get("value"), dict):
                problems.append("a 'messages' change without a 'value' object")
            else:
                _value_messages(change["value"], phone_number_id, found, problems)
    return found, problems


def parse_webhook(data: Any, phone_number_id: str) -> List[Incoming]:
    """The user messages of a webhook body addressed to our number; statuses and the rest are skipped."""
    return read_webhook(data, phone_number_id)[0]


def problem_summary(problems: Sequence[str]) -> str:
    """One line for the log: the first problem, and how many more there were."""
    more = len(problems) - 1
    return problems[0] + (f" (and {more} more)" if more > 0 else "")


# -- sending ----------------------------------------------------------------------------------------


def messages_url(settings: Settings) -> str:
    return f"{settings.whatsapp_api_base.rstrip('/')}/{settings.whatsapp_phone_number_id}/messages"


async def post_requests(settings: Settings, address: str, requests: Sequence[Tuple[str, Dict[str, Any]]]) -> bool:
    url = messages_url(settings)
    headers = {"Authorization": f"Bearer {settings.whatsapp_access_token}"}
    return await send_all("WhatsApp", address, [(url, body) for _, body in requests], headers)


async def send_text(conversation: str, text: str) -> None:
    """Send `text` (the assistant's markup) to the WhatsApp user of `conversation`, e.g. an agent's reply in a
    handoff. Raises DeliveryError (after one WARNING line, number masked) when it could not be
    delivered or the channel is not configured. Free-form messages reach a user only within 24 h of
    their last message (docs/messaging-apps.md)."""
    settings = get_settings()
    missing = missing_settings(settings, REQUIRED)
    if missing:
        logger.warning("WhatsApp: cannot send to %s, not configured (%s)", mask_identifier(conversation), ", ".join(missing))
        raise DeliveryError("WhatsApp is not configured")
    address = await addresses.book().address_of_async(conversation)
    if address is None:
        logger.warning("WhatsApp: cannot send to %s, its address is not known (any more)", mask_identifier(conversation))
        raise DeliveryError("no address for the conversation")
    if not await post_requests(settings, address, whatsapp_text(address, text)):
        raise DeliveryError("the WhatsApp message was not delivered")


# -- the Rasa channel ---------------------------------------------------------------------------------


class WhatsAppInput(AppChannel):
    label = "WhatsApp"

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    def render(self, message: Dict[str, Any], address: str, language: str) -> Rendered:
        return whatsapp_messages(message, address, language)

    async def post(self, address: str, requests: Sequence[Tuple[str, Dict[str, Any]]]) -> bool:
        return await post_requests(self.settings, address, requests)

    async def handle(self, on_new_message: OnNewMessage, agent: Any, messages: Sequence[Incoming]) -> None:
        """One sender's messages of one webhook, in the order they were written."""
        for incoming in messages:
            if not await seen_messages.claim_async(CHANNEL, incoming.message_id):
                logger.info("WhatsApp: message from %s already handled (a retry), dropped", mask_identifier(incoming.sender))
                continue
            if incoming.kind == UNREADABLE:
                await self.handle_unsupported(agent, incoming.sender, DEFAULT_LANGUAGE)
            else:
                await self.handle_text(on_new_message, agent, incoming.sender, incoming.text, pressed=incoming.kind == CHOICE)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        self.settings = get_settings()
        self.missing = missing_settings(self.settings, REQUIRED)
        if self.missing:
            logger.info("WhatsApp channel disabled: set %s to enable it", ", ".join(self.missing))
        else:
            logger.info("WhatsApp channel enabled for phone-number id %s", self.settings.whatsapp_phone_number_id)
        webhook = Blueprint("tanya_whatsapp_webhook", __name__)

        def disabled() -> HTTPResponse:
            return response.json({"error": "the WhatsApp channel is not configured"}, status=503)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return disabled() if self.missing else response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if self.missing:
                return disabled()
            challenge = verification_challenge(request.args, self.settings.whatsapp_verify_token)
            if challenge is None:
                logger.info("WhatsApp: webhook verification refused (wrong mode or token)")
                return response.text("forbidden", status=403)
            logger.info("WhatsApp: webhook verified by Meta")
            return response.text(challenge)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if self.missing:
                return disabled()
            body = request.body or b""
            if not signature_is_valid(self.settings.whatsapp_app_secret, body, request.headers.get(SIGNATURE_HEADER)):
                logger.info("WhatsApp: webhook POST refused: missing or wrong %s", SIGNATURE_HEADER)
                return response.json({"error": "invalid signature"}, status=403)
            try:
                data = json_body.loads(body)
            except json_body.BodyError as problem:
                return response.json({"error": str(problem)}, status=400)
            found, problems = read_webhook(data, self.settings.whatsapp_phone_number_id)
            if problems:
                # Signed by Meta yet not in its documented shape: say so once, answer 200 (a 4xx or 5xx
                # only makes Meta retry the same body), and handle whatever messages could be read.
                logger.warning("WhatsApp: webhook body not in Meta's documented shape: %s; acknowledged, %d message(s) taken",
                               problem_summary(problems), len(found))
            agent = getattr(request.app.ctx, "agent", None)
            by_sender: Dict[str, List[Incoming]] = {}
            for incoming in found:
                by_sender.setdefault(incoming.sender, []).append(incoming)
            for sender, messages in by_sender.items():
                self.spawn(self.handle(on_new_message, agent, messages), sender)
            return response.json({"status": "received"})

        return webhook
