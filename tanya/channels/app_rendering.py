"""Rasa messages (dicts with text, buttons, image) as WhatsApp Cloud API and Telegram Bot API requests.

Pure functions: no network, no database. The answer texts are written once in the assistant's light
markup (tanya.rendering.markup: `*bold*`, bullets, blank lines between paragraphs); each app gets it in
its own form, with its own kind of buttons:

- WhatsApp keeps `*bold*`. Up to 3 buttons with titles of at most 20 characters become reply buttons;
  up to 10 become a list message (row titles of at most 24 characters; a longer title is shortened and
  shown whole as the row's description, up to 72); anything else becomes a numbered text the user
  answers with the number. Texts longer than 4,096 characters (1,024 for the text above buttons) are
  split between paragraphs.
- Telegram gets HTML (`parse_mode=HTML`, everything escaped, `*x*` as <b>x</b>) and an inline keyboard;
  `callback_data` is the Rasa payload when it fits in 64 bytes, else a short key.

A payload too long for an app's id field travels as a short key ("k:" + hash) that the channel
remembers for the user (tanya.channels.choices). A raw payload ("/inform{...}") is never shown: users
see button titles only.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from tanya import messages
from tanya.rendering.markup import split_paragraphs, to_plain, to_telegram_html, to_whatsapp

# -- the apps' limits (Meta's and Telegram's documentation) ----------------------------------------
WHATSAPP_TEXT_LIMIT = 4096
WHATSAPP_BODY_LIMIT = 1024  # text of an interactive (buttons or list) message
WHATSAPP_MAX_REPLY_BUTTONS = 3
WHATSAPP_REPLY_TITLE_LIMIT = 20
WHATSAPP_REPLY_ID_LIMIT = 256
WHATSAPP_MAX_LIST_ROWS = 10
WHATSAPP_ROW_TITLE_LIMIT = 24
WHATSAPP_ROW_DESCRIPTION_LIMIT = 72
WHATSAPP_ROW_ID_LIMIT = 200
WHATSAPP_LIST_BUTTON_LIMIT = 20
TELEGRAM_TEXT_LIMIT = 4096
TELEGRAM_CALLBACK_LIMIT = 64  # bytes, not characters

KEY_PREFIX = "k:"
ELLIPSIS = "…"
_NUMBER_ANSWER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


@dataclass(frozen=True)
class Choice:
    title: str
    payload: str
    description: str = ""


@dataclass
class Rendered:
    """What to send for one Rasa message."""

    requests: List[Tuple[str, Dict[str, Any]]] = field(default_factory=list)  # (Graph path | Bot API method, body)
    # Payloads a reply "1".."n" stands for (WhatsApp numbered text); () when the choices were buttons,
    # None when the message offered no choices at all.
    numbered: Optional[Tuple[str, ...]] = None
    keys: Dict[str, str] = field(default_factory=dict)  # short key -> payload, to remember for this user

    def extend(self, other: "Rendered") -> None:
        """Append `other`; the latest message that offered choices decides what a number means."""
        self.requests += other.requests
        self.keys.update(other.keys)
        if other.numbered is not None:
            self.numbered = other.numbered


def payload_key(payload: str) -> str:
    """A short, stable stand-in for a payload too long for an app's button id."""
    return KEY_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


def clip_title(title: str, limit: int) -> str:
    """`title` in at most `limit` characters: cut at a word when one ends near the limit, with "…"."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    space = cut.rfind(" ")
    if title[limit - 1] != " " and space >= limit // 2:  # the cut is inside a word: drop its start
        cut = cut[:space]
    return cut.rstrip(" ,.;:/-") + ELLIPSIS


def choices_of(message: Dict[str, Any]) -> List[Choice]:
    """The buttons (or quick replies) of a Rasa message, titles without markup."""
    found = []
    for button in message.get("buttons") or message.get("quick_replies") or []:
        if not isinstance(button, dict):
            continue
        title = to_plain(str(button.get("title") or "")).strip()
        payload = str(button.get("payload") or title).strip()
        if not payload:
            continue
        found.append(Choice(title or str(len(found) + 1), payload, to_plain(str(button.get("description") or "")).strip()))
    return found


def numbered_choice(text: str, numbered: Sequence[str]) -> Optional[str]:
    """The payload a reply such as "2" or "2." stands for, when the user was offered numbered choices."""
    match = _NUMBER_ANSWER.match(text or "")
    if not match or not numbered:
        return None
    index = int(match.group(1))
    return numbered[index - 1] if 1 <= index <= len(numbered) else None


def _button_id(payload: str, limit: int, keys: Dict[str, str]) -> str:
    if len(payload) <= limit:
        return payload
    key = payload_key(payload)
    keys[key] = payload
    return key


def _split_for_body(text: str, body_limit: int, text_limit: int) -> Tuple[List[str], str]:
    """(texts to send first, the body of the interactive message): the body is the end of `text`."""
    text = text.strip()
    if len(text) <= body_limit:
        return [], text
    body = split_paragraphs(text, body_limit)[-1]
    rest = text[: -len(body)].rstrip() if text.endswith(body) else text
    return split_paragraphs(rest, text_limit), body


# -- WhatsApp ----------------------------------------------------------------------------------------


def _wa(to: str, kind: str, content: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    return "messages", {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": kind, kind: content}


def whatsapp_text(to: str, text: str) -> List[Tuple[str, Dict[str, Any]]]:
    """Text messages for `text`, split between paragraphs under WhatsApp's limit."""
    return [_wa(to, "text", {"body": part, "preview_url": False}) for part in split_paragraphs(to_whatsapp(text), WHATSAPP_TEXT_LIMIT)]


def _fits_reply_buttons(choices: Sequence[Choice]) -> bool:
    return len(choices) <= WHATSAPP_MAX_REPLY_BUTTONS and all(len(c.title) <= WHATSAPP_REPLY_TITLE_LIMIT for c in choices)


def _fits_list(choices: Sequence[Choice]) -> bool:
    # A title too long for a row is shortened and shown whole as the description, so it must fit there.
    return len(choices) <= WHATSAPP_MAX_LIST_ROWS and all(len(c.title) <= WHATSAPP_ROW_DESCRIPTION_LIMIT for c in choices)


def _list_row(choice: Choice, keys: Dict[str, str]) -> Dict[str, str]:
    row = {"id": _button_id(choice.payload, WHATSAPP_ROW_ID_LIMIT, keys), "title": clip_title(choice.title, WHATSAPP_ROW_TITLE_LIMIT)}
    description = choice.title if row["title"] != choice.title else choice.description
    if description:
        row["description"] = clip_title(description, WHATSAPP_ROW_DESCRIPTION_LIMIT)
    return row


def whatsapp_messages(message: Dict[str, Any], to: str, language: str) -> Rendered:
    """The Graph API requests for one Rasa message sent to WhatsApp user `to`."""
    rendered = Rendered()
    text = to_whatsapp((message.get("text") or "").strip())
    choices = choices_of(message)
    if choices and (_fits_reply_buttons(choices) or _fits_list(choices)):
        before, body = _split_for_body(text or messages.text("choose_prompt", language), WHATSAPP_BODY_LIMIT, WHATSAPP_TEXT_LIMIT)
        rendered.requests += [_wa(to, "text", {"body": part, "preview_url": False}) for part in before]
        if _fits_reply_buttons(choices):
            buttons = [
                {"type": "reply", "reply": {"id": _button_id(c.payload, WHATSAPP_REPLY_ID_LIMIT, rendered.keys), "title": c.title}}
                for c in choices
            ]
            action: Dict[str, Any] = {"buttons": buttons}
            kind = "button"
        else:
            label = clip_title(messages.text("list_button_label", language), WHATSAPP_LIST_BUTTON_LIMIT)
            action = {"button": label, "sections": [{"rows": [_list_row(c, rendered.keys) for c in choices]}]}
            kind = "list"
        rendered.requests.append(_wa(to, "interactive", {"type": kind, "body": {"text": body}, "action": action}))
        rendered.numbered = ()
    elif choices:
        lines = "\n".join(f"{number}. {choice.title}" for number, choice in enumerate(choices, start=1))
        hint = messages.text("numbered_choice_hint", language)
        rendered.requests += whatsapp_text(to, "\n\n".join(part for part in (text, lines, hint) if part))
        rendered.numbered = tuple(choice.payload for choice in choices)
    elif text:
        rendered.requests += whatsapp_text(to, text)
    if message.get("image"):
        rendered.requests.append(_wa(to, "image", {"link": str(message["image"])}))
    if message.get("attachment"):
        rendered.requests += whatsapp_text(to, str(message["attachment"]))
    return rendered


# -- Telegram ----------------------------------------------------------------------------------------


def callback_data(payload: str, keys: Dict[str, str]) -> str:
    """The payload itself when it fits Telegram's 64 bytes, else a short key for it."""
    if len(payload.encode("utf-8")) <= TELEGRAM_CALLBACK_LIMIT and not payload.startswith(KEY_PREFIX):
        return payload
    key = payload_key(payload)
    keys[key] = payload
    return key


def inline_keyboard(choices: Iterable[Choice], keys: Dict[str, str]) -> Dict[str, Any]:
    """One button per row: titles stay readable on a phone."""
    return {"inline_keyboard": [[{"text": c.title, "callback_data": callback_data(c.payload, keys)}] for c in choices]}


def telegram_text(chat_id: str, text: str) -> List[Tuple[str, Dict[str, Any]]]:
    """sendMessage requests for `text` in HTML, split between paragraphs (the limit counts the text
    after Telegram parsed the tags, so splitting the source text is enough)."""
    return [
        ("sendMessage", {"chat_id": chat_id, "text": to_telegram_html(part), "parse_mode": "HTML"})
        for part in split_paragraphs(text, TELEGRAM_TEXT_LIMIT)
    ]


def telegram_messages(message: Dict[str, Any], chat_id: str, language: str) -> Rendered:
    """The Bot API requests for one Rasa message sent to Telegram chat `chat_id`."""
    rendered = Rendered()
    text = (message.get("text") or "").strip()
    choices = choices_of(message)
    if choices:
        rendered.requests += telegram_text(chat_id, text or messages.text("choose_prompt", language))
        rendered.requests[-1][1]["reply_markup"] = inline_keyboard(choices, rendered.keys)
        rendered.numbered = ()
    elif text:
        rendered.requests += telegram_text(chat_id, text)
    if message.get("image"):
        rendered.requests.append(("sendPhoto", {"chat_id": chat_id, "photo": str(message["image"])}))
    if message.get("attachment"):
        rendered.requests += telegram_text(chat_id, str(message["attachment"]))
    return rendered
