"""A fake of Meta's Graph API for WhatsApp Cloud API messages, and Meta's side of the webhook.

Real HTTP on a loopback port (ThreadingHTTPServer in a thread). The one route the assistant calls, as
documented (developers.facebook.com/docs/whatsapp/cloud-api/reference/messages):
- POST /v20.0/{phone-number-id}/messages with `Authorization: Bearer <token>` and a JSON body
  -> 200 {"messaging_product": "whatsapp", "contacts": [{"input", "wa_id"}], "messages": [{"id": "wamid…"}]}
  A wrong token is 401 (error code 190), another phone-number id 400 (code 100), a body outside the
  documented limits 400 (code 131009): reply buttons ≤ 3 with titles ≤ 20, list rows ≤ 10 with titles ≤ 24
  and descriptions ≤ 72, text ≤ 4096, the text above buttons ≤ 1024.
`fail_next(n, status)` makes the next n calls answer `status` (default 500), as Meta does in an outage.
Every call is recorded. Meta's side of the webhook is played by `webhook_body`, `sign` and `post_webhook`.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

from tests.fakes.json_http import JsonHttpFake, parse_json, poll

VERSION = "v20.0"
PHONE_NUMBER_ID = "109876543210123"
ACCESS_TOKEN = "fake-graph-access-token"
APP_SECRET = "fake-meta-app-secret"
VERIFY_TOKEN = "fake-verify-token"
_ids = itertools.count(1)


@dataclass
class Recorded:
    path: str
    headers: Dict[str, str]
    body: Any
    status: int  # what the fake answered


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    """Meta's X-Hub-Signature-256 header value for `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def new_wamid() -> str:
    return f"wamid.FAKE{int(time.time() * 1000)}{next(_ids):06d}"


def webhook_body(messages: Optional[List[dict]] = None, statuses: Optional[List[dict]] = None,
                 contacts: Optional[List[dict]] = None, phone_number_id: str = PHONE_NUMBER_ID) -> dict:
    """A webhook body as Meta posts it (one entry, one `messages` change)."""
    value: Dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550001111", "phone_number_id": phone_number_id},
    }
    if contacts:
        value["contacts"] = contacts
    if messages is not None:
        value["messages"] = messages
    if statuses is not None:
        value["statuses"] = statuses
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA_ID", "changes": [{"field": "messages", "value": value}]}]}


def text_message(sender: str, text: str, wamid: Optional[str] = None) -> dict:
    return {"from": sender, "id": wamid or new_wamid(), "timestamp": str(int(time.time())), "type": "text", "text": {"body": text}}


def button_reply(sender: str, reply_id: str, title: str, wamid: Optional[str] = None) -> dict:
    return {"from": sender, "id": wamid or new_wamid(), "timestamp": str(int(time.time())), "type": "interactive",
            "interactive": {"type": "button_reply", "button_reply": {"id": reply_id, "title": title}}}


def list_reply(sender: str, reply_id: str, title: str, wamid: Optional[str] = None) -> dict:
    return {"from": sender, "id": wamid or new_wamid(), "timestamp": str(int(time.time())), "type": "interactive",
            "interactive": {"type": "list_reply", "list_reply": {"id": reply_id, "title": title, "description": ""}}}


def image_message(sender: str, wamid: Optional[str] = None) -> dict:
    return {"from": sender, "id": wamid or new_wamid(), "timestamp": str(int(time.time())), "type": "image",
            "image": {"mime_type": "image/jpeg", "sha256": "abc", "id": "1234567890"}}


def post_webhook(url: str, body: dict, signature: Optional[str] = "valid", timeout: float = 30) -> Tuple[int, str]:
    """POST `body` as Meta would. signature: "valid", None (no header), or a header value to send as is."""
    raw = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if signature == "valid":
        headers["X-Hub-Signature-256"] = sign(raw)
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    request = urllib.request.Request(url, data=raw, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _error(status: int, code: int, message: str) -> Tuple[int, dict]:
    return status, {"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "FAKE"}}


def contract_problem(body: Any) -> Optional[str]:
    """Why Meta would refuse this message body (None: it is fine)."""
    if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp" or not body.get("to"):
        return "messaging_product and to are required"
    kind = body.get("type")
    content = body.get(kind)
    if kind == "text":
        text = (content or {}).get("body") or ""
        return None if 0 < len(text) <= 4096 else "text.body must be 1-4096 characters"
    if kind == "image":
        return None if (content or {}).get("link") else "image.link is required"
    if kind != "interactive" or not isinstance(content, dict):
        return f"unsupported type {kind!r}"
    body_text = (content.get("body") or {}).get("text") or ""
    if not 0 < len(body_text) <= 1024:
        return "interactive.body.text must be 1-1024 characters"
    action = content.get("action") or {}
    if content.get("type") == "button":
        buttons = action.get("buttons") or []
        if not 1 <= len(buttons) <= 3:
            return "1-3 reply buttons"
        for button in buttons:
            reply = button.get("reply") or {}
            if not 0 < len(reply.get("title") or "") <= 20 or not 0 < len(reply.get("id") or "") <= 256:
                return "reply button title 1-20, id 1-256 characters"
        return None
    if content.get("type") == "list":
        if not 0 < len(action.get("button") or "") <= 20:
            return "list button label 1-20 characters"
        rows = [row for section in action.get("sections") or [] for row in section.get("rows") or []]
        if not 1 <= len(rows) <= 10:
            return "1-10 list rows"
        for row in rows:
            if not 0 < len(row.get("title") or "") <= 24 or len(row.get("description") or "") > 72 or not 0 < len(row.get("id") or "") <= 200:
                return "row title 1-24, description <= 72, id 1-200 characters"
        return None
    return f"unsupported interactive type {content.get('type')!r}"


class GraphApiFake(JsonHttpFake):
    def __init__(self) -> None:
        self.records: List[Recorded] = []
        super().__init__()

    # -- the documented contract ----------------------------------------------------------------
    def answer(self, method: str, path: str, headers: Dict[str, str], raw: bytes) -> Tuple[int, dict]:
        body = parse_json(raw)
        status, answer = self._decide(path, headers, body)
        with self._lock:
            self.records.append(Recorded(path, headers, body, status))
        return status, answer

    def _decide(self, path: str, headers: Dict[str, str], body: Any) -> Tuple[int, dict]:
        failed = self._take_failure()
        if failed:
            return _error(failed, 131000, "Something went wrong (fake outage)")
        auth = {k.lower(): v for k, v in headers.items()}.get("authorization", "")
        if auth != f"Bearer {ACCESS_TOKEN}":
            return _error(401, 190, "Invalid OAuth access token")
        parts = path.split("?")[0].strip("/").split("/")
        if len(parts) != 3 or parts[0] != VERSION or parts[2] != "messages":
            return _error(404, 100, "Unknown path")
        if parts[1] != PHONE_NUMBER_ID:
            return _error(400, 100, "Unsupported post request: unknown phone-number id")
        problem = contract_problem(body)
        if problem:
            return _error(400, 131009, f"Parameter value is not valid: {problem}")
        return 200, {"messaging_product": "whatsapp", "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                     "messages": [{"id": new_wamid()}]}

    # -- for the tests ----------------------------------------------------------------------------
    @property
    def env(self) -> Dict[str, str]:
        return {
            "WHATSAPP_API_BASE": f"{self.url}/{VERSION}",
            "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN,
            "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
            "WHATSAPP_APP_SECRET": APP_SECRET,
            "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        }

    def calls_to(self, recipient: str) -> List[Recorded]:
        """Every call (answered or refused) for `recipient`, in order."""
        with self._lock:
            return [r for r in self.records if isinstance(r.body, dict) and r.body.get("to") == recipient]

    def delivered_to(self, recipient: str) -> List[dict]:
        """The message bodies the fake accepted for `recipient`, in order."""
        return [r.body for r in self.calls_to(recipient) if r.status == 200]

    def wait_for(self, recipient: str, predicate: Callable[[List[dict]], bool], timeout: float = 60) -> List[dict]:
        """Poll until predicate(delivered messages) holds; AssertionError with what arrived otherwise."""
        return poll(lambda: self.delivered_to(recipient), predicate, timeout,
                    lambda got: f"delivered to {recipient}: {json.dumps(got, ensure_ascii=False)[:3000]}")


def start() -> GraphApiFake:
    return GraphApiFake()


def message_text(body: dict) -> str:
    """What the user reads in a message body: text, or the interactive body with its buttons/rows."""
    if body.get("type") == "text":
        return body["text"]["body"]
    if body.get("type") == "interactive":
        interactive = body["interactive"]
        parts = [interactive["body"]["text"]]
        action = interactive.get("action") or {}
        parts += [b["reply"]["title"] for b in action.get("buttons") or []]
        parts += [row["title"] + " " + row.get("description", "") for s in action.get("sections") or [] for row in s["rows"]]
        return "\n".join(parts)
    return ""
