"""Telegram channel: webhook /webhooks/telegram/webhook, replacing Rasa's stock connector.

Rasa 3.6's own connector calls setWebhook at every start (no network: it fails), answers every update
with HTTP 500 (it reuses the start-up HTTP session in Sanic's loop), never answers button presses and
checks nothing. This one:
- refuses any update without the secret given to setWebhook (`X-Telegram-Bot-Api-Secret-Token`,
  compared in constant time) with 403;
- answers 200 at once and handles the update in the background (tanya.channels.app_turn), once per
  `update_id` across instances (tanya.channels.seen_messages);
- ignores edited messages and chats that are not private (a group would see a user's registration);
- greets on /start in the user's Telegram language (`from.language_code`), answers pictures, voice,
  stickers… politely, sends a pressed button's data (the Rasa payload) to Rasa and always calls
  answerCallbackQuery, so the button stops spinning;
- replies with sendMessage in HTML with an inline keyboard (tanya.channels.app_rendering), retried
  with back-off (tanya.channels.outbound).
The webhook is registered by a separate command, never at start:
    python -m tanya.channels.telegram set-webhook --url https://example.org/webhooks/telegram/webhook
(`make telegram-webhook URL=...`). Enabled when TELEGRAM_BOT_TOKEN and TELEGRAM_SECRET_TOKEN are set.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import json
import logging
import re
import sys
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from tanya import messages
from tanya.channels import addresses, json_body, seen_messages
from tanya.channels.app_rendering import Rendered, telegram_messages, telegram_text
from tanya.channels.app_turn import AppChannel, OnNewMessage, missing_settings
from tanya.channels.outbound import DeliveryError, send_all
from tanya.language import DEFAULT_LANGUAGE
from tanya.privacy.masking import mask_identifier
from tanya.settings import Settings, get_settings

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
REQUIRED = (("telegram_bot_token", "TELEGRAM_BOT_TOKEN"), ("telegram_secret_token", "TELEGRAM_SECRET_TOKEN"))
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_\-]{1,256}$")
_START = re.compile(r"^/(start|help)(@\w+)?(\s|$)", re.IGNORECASE)
# Message contents the assistant cannot read: answered with a polite note (service messages are not).
UNREADABLE_KEYS = frozenset({
    "photo", "sticker", "voice", "audio", "video", "video_note", "animation", "document", "location",
    "venue", "contact", "poll", "dice", "game", "story",
})
EDITED_KEYS = ("edited_message", "edited_channel_post", "edited_business_message")

TEXT, START, CALLBACK, UNREADABLE, IGNORED = "text", "start", "callback", "unreadable", "ignored"


@dataclass(frozen=True)
class Update:
    update_id: int
    kind: str  # TEXT | START | CALLBACK | UNREADABLE | IGNORED
    chat_id: str = ""
    text: str = ""  # the message text, or the pressed button's callback data
    language: str = DEFAULT_LANGUAGE  # from the user's Telegram settings
    callback_id: str = ""


# -- pure parts (unit-tested) ---------------------------------------------------------------------


def secret_is_valid(expected: str, given: Optional[str]) -> bool:
    return bool(expected) and given is not None and hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def telegram_language(user: Any) -> str:
    """English for a Telegram set to English ("en", "en-GB"), Indonesian otherwise."""
    code = user.get("language_code") if isinstance(user, dict) else None
    return "en" if isinstance(code, str) and code.lower().startswith("en") else "id"


def _chat(message: Any) -> Tuple[str, bool]:
    chat = message.get("chat") if isinstance(message, dict) else None
    if not isinstance(chat, dict) or not isinstance(chat.get("id"), int):
        return "", False
    return str(chat["id"]), chat.get("type") == "private"


def parse_update(data: Any) -> Optional[Update]:
    """What an update asks of the assistant; None when it is not a Telegram update at all."""
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int) or isinstance(data.get("update_id"), bool):
        return None
    update_id = data["update_id"]
    if any(key in data for key in EDITED_KEYS):
        return Update(update_id, IGNORED)
    query = data.get("callback_query")
    if isinstance(query, dict) and isinstance(query.get("id"), str):
        chat_id, private = _chat(query.get("message"))
        chosen = query.get("data") if isinstance(query.get("data"), str) else ""
        if not private or not chosen:  # still answered, so the button stops spinning
            return Update(update_id, IGNORED, chat_id, callback_id=query["id"])
        return Update(update_id, CALLBACK, chat_id, chosen, telegram_language(query.get("from")), query["id"])
    message = data.get("message")
    chat_id, private = _chat(message)
    if not chat_id or not private:
        return Update(update_id, IGNORED, chat_id)
    language = telegram_language(message.get("from"))
    text = message.get("text")
    if isinstance(text, str):
        return Update(update_id, START if _START.match(text) else TEXT, chat_id, text, language)
    if any(key in message for key in UNREADABLE_KEYS):
        return Update(update_id, UNREADABLE, chat_id, language=language)
    return Update(update_id, IGNORED, chat_id)


# -- sending ----------------------------------------------------------------------------------------


def method_url(settings: Settings, method: str) -> str:
    return f"{settings.telegram_api_base.rstrip('/')}/bot{settings.telegram_bot_token}/{method}"


async def post_requests(settings: Settings, chat_id: str, requests: Sequence[Tuple[str, Dict[str, Any]]]) -> bool:
    return await send_all("Telegram", chat_id, [(method_url(settings, method), body) for method, body in requests], {})


async def send_text(conversation: str, text: str) -> None:
    """Send `text` (the assistant's markup) to the Telegram chat of `conversation`, e.g. an agent's reply in a
    handoff. Raises DeliveryError (after one WARNING line, chat id masked) when it could not be
    delivered or the channel is not configured."""
    settings = get_settings()
    missing = missing_settings(settings, REQUIRED)
    if missing:
        logger.warning("Telegram: cannot send to %s, not configured (%s)", mask_identifier(conversation), ", ".join(missing))
        raise DeliveryError("Telegram is not configured")
    address = await addresses.book().address_of_async(conversation)
    if address is None:
        logger.warning("Telegram: cannot send to %s, its address is not known (any more)", mask_identifier(conversation))
        raise DeliveryError("no address for the conversation")
    if not await post_requests(settings, address, telegram_text(address, text)):
        raise DeliveryError("the Telegram message was not delivered")


# -- the Rasa channel ---------------------------------------------------------------------------------


class TelegramInput(AppChannel):
    label = "Telegram"

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    def render(self, message: Dict[str, Any], address: str, language: str) -> Rendered:
        return telegram_messages(message, address, language)

    async def post(self, address: str, requests: Sequence[Tuple[str, Dict[str, Any]]]) -> bool:
        return await post_requests(self.settings, address, requests)

    async def handle(self, on_new_message: OnNewMessage, agent: Any, update: Update) -> None:
        if update.callback_id:  # first, whatever follows: the user's button stops spinning
            await post_requests(self.settings, update.chat_id or "?", [("answerCallbackQuery", {"callback_query_id": update.callback_id})])
        if update.kind == IGNORED:
            return
        if update.kind == START:
            await self.deliver_to(update.chat_id, [{"text": messages.text("telegram_start", update.language)}], turn=False)
        elif update.kind == UNREADABLE:
            await self.handle_unsupported(agent, update.chat_id, update.language)
        else:
            await self.handle_text(on_new_message, agent, update.chat_id, update.text, update.language,
                                   pressed=update.kind == CALLBACK)

    async def claim_and_handle(self, on_new_message: OnNewMessage, agent: Any, update: Update) -> None:
        if not await seen_messages.claim_async(CHANNEL, str(update.update_id)):
            logger.info("Telegram: update %s already handled (a retry), dropped", update.update_id)
            return
        await self.handle(on_new_message, agent, update)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        self.settings = get_settings()
        self.missing = missing_settings(self.settings, REQUIRED)
        if self.missing:
            logger.info("Telegram channel disabled: set %s to enable it", ", ".join(self.missing))
        elif not SECRET_TOKEN.match(self.settings.telegram_secret_token):
            self.missing = ["TELEGRAM_SECRET_TOKEN"]
            logger.info("Telegram channel disabled: TELEGRAM_SECRET_TOKEN must be 1-256 of A-Z a-z 0-9 _ -")
        else:
            logger.info("Telegram channel enabled (the webhook is set with `make telegram-webhook URL=...`)")
        webhook = Blueprint("tanya_telegram_webhook", __name__)

        def disabled() -> HTTPResponse:
            return response.json({"error": "the Telegram channel is not configured"}, status=503)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return disabled() if self.missing else response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if self.missing:
                return disabled()
            if not secret_is_valid(self.settings.telegram_secret_token, request.headers.get(SECRET_HEADER)):
                logger.info("Telegram: update refused: missing or wrong %s", SECRET_HEADER)
                return response.json({"error": "invalid secret token"}, status=403)
            try:
                update = parse_update(json_body.loads(request.body or b""))
            except json_body.BodyError:
                update = None
            if update is None:
                return response.json({"error": "not a Telegram update"}, status=400)
            if update.kind != IGNORED or update.callback_id:
                agent = getattr(request.app.ctx, "agent", None)
                self.spawn(self.claim_and_handle(on_new_message, agent, update), update.chat_id, update.language)
            return response.json({"status": "received"})

        return webhook


# -- `python -m tanya.channels.telegram set-webhook --url ...` --------------------------------------------


def set_webhook_request(settings: Settings, url: str) -> Tuple[str, Dict[str, Any]]:
    """The setWebhook call: our URL, the secret Telegram must send back, only the updates we read."""
    return method_url(settings, "setWebhook"), {
        "url": url,
        "secret_token": settings.telegram_secret_token,
        "allowed_updates": ["message", "callback_query"],
        "drop_pending_updates": False,
    }


async def _call(url: str, body: Dict[str, Any]) -> Dict[str, Any]:
    import aiohttp

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as session:
        async with session.post(url, json=body) as answer:
            return await answer.json(content_type=None)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Register the assistant's webhook with Telegram.")
    commands = parser.add_subparsers(dest="command", required=True)
    set_hook = commands.add_parser("set-webhook", help="setWebhook with TELEGRAM_SECRET_TOKEN")
    set_hook.add_argument("--url", required=True, help="https://<your host>/webhooks/telegram/webhook")
    commands.add_parser("webhook-info", help="getWebhookInfo: what Telegram has registered")
    args = parser.parse_args(argv)
    settings = get_settings()
    missing = missing_settings(settings, REQUIRED)
    if missing:
        print(f"Set {', '.join(missing)} first.", file=sys.stderr)
        return 2
    if args.command == "set-webhook":
        if not args.url.startswith("https://"):
            print("Telegram only calls https:// webhooks.", file=sys.stderr)
            return 2
        url, body = set_webhook_request(settings, args.url)
    else:
        url, body = method_url(settings, "getWebhookInfo"), {}
    answer = asyncio.run(_call(url, body))
    print(json.dumps(answer, indent=2, ensure_ascii=False))
    return 0 if isinstance(answer, Mapping) and answer.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
