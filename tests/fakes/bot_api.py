"""A fake of Telegram's Bot API, and Telegram's side of the webhook.

Real HTTP on a loopback port (ThreadingHTTPServer in a thread). Methods, as documented
(core.telegram.org/bots/api), at POST /bot{token}/{method} with a JSON body:
- sendMessage: chat_id, text (1-4096 characters after the HTML is parsed), parse_mode "HTML" (only
  Telegram's tags, balanced; a stray "<" or "&" is a 400 "can't parse entities"), reply_markup with
  inline_keyboard buttons whose callback_data is 1-64 bytes -> {"ok": true, "result": Message}
- answerCallbackQuery: callback_query_id -> {"ok": true, "result": true}
- sendPhoto, setWebhook, getWebhookInfo: accepted.
Another token is 401 {"ok": false, "error_code": 401, "description": "Unauthorized"}. Flood control
(`flood_next`) answers as the Bot API does: 429 with the wait in the body only,
{"ok": false, "error_code": 429, "description": "Too Many Requests: retry after N", "parameters": {"retry_after": N}},
and no Retry-After header. Every call is recorded, with the time it arrived (time.monotonic()). Telegram's side is played by `message_update`, `callback_update` and `post_update`.
"""

from __future__ import annotations

import itertools
import json
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Callable, Dict, List, Optional, Tuple

from tests.fakes.json_http import JsonHttpFake, parse_json, poll

BOT_TOKEN = "123456789:FAKE-bot-token_for-tests"
SECRET_TOKEN = "fake-telegram-secret_123"
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler", "blockquote", "span"}
_update_ids = itertools.count(int(time.time()) % 100000 * 1000)
_message_ids = itertools.count(1)


@dataclass
class Recorded:
    method: str
    body: Any
    status: int
    at: float = field(default_factory=time.monotonic)  # when the call arrived


class _EntityParser(HTMLParser):
    """Telegram's HTML parse mode, strictly enough to catch escaping mistakes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: List[str] = []
        self.problem: Optional[str] = None
        self.text: List[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag not in ALLOWED_TAGS:
            self.problem = self.problem or f"unsupported start tag {tag!r}"
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.problem = self.problem or f"unmatched end tag {tag!r}"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(text: str) -> Tuple[Optional[str], str]:
    """(problem, the text the user sees) for a parse_mode=HTML text."""
    if re.search(r"<(?![a-zA-Z/])", text):
        return "unescaped '<'", text
    if re.search(r"&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)", text):
        return "unescaped '&'", text
    parser = _EntityParser()
    parser.feed(text)
    parser.close()
    if parser.stack:
        return parser.problem or f"unclosed tag {parser.stack[-1]!r}", text
    return parser.problem, "".join(parser.text)


def contract_problem(method: str, body: Any) -> Optional[str]:
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    if method == "sendMessage":
        if not body.get("chat_id"):
            return "chat_id is required"
        text = body.get("text") or ""
        if body.get("parse_mode") == "HTML":
            problem, text = parse_html(text)
            if problem:
                return f"can't parse entities: {problem}"
        if not 0 < len(text) <= 4096:
            return "message text must be 1-4096 characters"
        for row in (body.get("reply_markup") or {}).get("inline_keyboard") or []:
            for button in row:
                data = button.get("callback_data") or ""
                if not button.get("text") or not 0 < len(data.encode("utf-8")) <= 64:
                    return "BUTTON_DATA_INVALID"
        return None
    if method == "answerCallbackQuery":
        return None if body.get("callback_query_id") else "callback_query_id is required"
    if method in ("sendPhoto", "setWebhook", "getWebhookInfo"):
        return None
    return f"method {method!r} not found"


def message_update(chat_id: int, text: Optional[str] = None, language_code: str = "id",
                   update_id: Optional[int] = None, extra: Optional[dict] = None, chat_type: str = "private") -> dict:
    """An update with a user's message (text, or the `extra` fields such as a photo)."""
    message: Dict[str, Any] = {
        "message_id": next(_message_ids),
        "from": {"id": chat_id, "is_bot": False, "first_name": "Budi", "language_code": language_code},
        "chat": {"id": chat_id, "first_name": "Budi", "type": chat_type},
        "date": int(time.time()),
    }
    if text is not None:
        message["text"] = text
    message.update(extra or {})
    return {"update_id": update_id if update_id is not None else next(_update_ids), "message": message}


def callback_update(chat_id: int, data: str, language_code: str = "id", update_id: Optional[int] = None) -> dict:
    query_id = f"cbq{next(_message_ids)}"
    return {
        "update_id": update_id if update_id is not None else next(_update_ids),
        "callback_query": {
            "id": query_id,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Budi", "language_code": language_code},
            "message": {"message_id": next(_message_ids), "chat": {"id": chat_id, "type": "private"}, "date": int(time.time()), "text": "…"},
            "chat_instance": "42",
            "data": data,
        },
    }


def post_update(url: str, update: dict, secret: Optional[str] = SECRET_TOKEN, timeout: float = 30) -> Tuple[int, str]:
    """POST `update` as Telegram would, with the secret header (None: without it)."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, data=json.dumps(update).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class BotApiFake(JsonHttpFake):
    def __init__(self) -> None:
        self.records: List[Recorded] = []
        self._floods: List[int] = []
        super().__init__()

    def answer(self, method: str, path: str, headers: Dict[str, str], raw: bytes) -> Tuple[int, dict]:
        body = parse_json(raw, empty={})
        match = re.fullmatch(r"/bot(?P<token>[^/]+)/(?P<method>\w+)", path.split("?")[0])
        api_method = match.group("method") if match else path
        status, answer = self._decide(match, api_method, body)
        with self._lock:
            self.records.append(Recorded(api_method, body, status))
        return status, answer

    def _decide(self, match: Optional[re.Match], method: str, body: Any) -> Tuple[int, dict]:
        with self._lock:
            flood = self._floods.pop(0) if self._floods else None
        if flood is not None:
            return 429, {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {flood}",
                         "parameters": {"retry_after": flood}}
        failed = self._take_failure()
        if failed:
            return failed, {"ok": False, "error_code": failed, "description": "Internal Server Error (fake outage)"}
        if not match or match.group("token") != BOT_TOKEN:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        problem = contract_problem(method, body)
        if problem:
            code = 404 if problem.startswith("method") else 400
            return code, {"ok": False, "error_code": code, "description": f"Bad Request: {problem}"}
        if method == "sendMessage":
            return 200, {"ok": True, "result": {"message_id": next(_message_ids), "date": int(time.time()),
                                                "chat": {"id": body["chat_id"], "type": "private"}, "text": body["text"]}}
        return 200, {"ok": True, "result": True}

    # -- for the tests ----------------------------------------------------------------------------
    @property
    def env(self) -> Dict[str, str]:
        return {"TELEGRAM_API_BASE": self.url, "TELEGRAM_BOT_TOKEN": BOT_TOKEN, "TELEGRAM_SECRET_TOKEN": SECRET_TOKEN}

    def flood_next(self, count: int = 1, retry_after: int = 3) -> None:
        """The next `count` calls hit flood control: 429 asking for `retry_after` seconds (body only)."""
        with self._lock:
            self._floods += [retry_after] * count

    def calls(self, method: Optional[str] = None) -> List[Recorded]:
        with self._lock:
            return [r for r in self.records if method is None or r.method == method]

    def delivered_to(self, chat_id: int) -> List[dict]:
        """The sendMessage bodies the fake accepted for `chat_id`, in order."""
        return [r.body for r in self.calls("sendMessage") if r.status == 200 and str(r.body.get("chat_id")) == str(chat_id)]

    def answered_callbacks(self) -> List[str]:
        return [r.body.get("callback_query_id") for r in self.calls("answerCallbackQuery") if r.status == 200]

    def wait_for(self, chat_id: int, predicate: Callable[[List[dict]], bool], timeout: float = 60) -> List[dict]:
        return poll(lambda: self.delivered_to(chat_id), predicate, timeout,
                    lambda got: f"delivered to {chat_id}: {json.dumps(got, ensure_ascii=False)[:3000]}")


def start() -> BotApiFake:
    return BotApiFake()


def visible_text(body: dict) -> str:
    """What the user sees of a sendMessage: the parsed text and the button labels."""
    text = body.get("text") or ""
    if body.get("parse_mode") == "HTML":
        text = parse_html(text)[1]
    labels = [b["text"] for row in (body.get("reply_markup") or {}).get("inline_keyboard") or [] for b in row]
    return "\n".join([text] + labels)
