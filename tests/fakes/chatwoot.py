"""A fake Chatwoot agent desk: the Application API routes the handoff uses, and the desk's webhooks.

Real HTTP on a loopback port (ThreadingHTTPServer in a thread). Routes, as documented in Chatwoot's API
reference (https://developers.chatwoot.com/api-reference), under /api/v1/accounts/{account_id}/:
- GET  contacts/search?q=            -> {"meta": {"count"}, "payload": [contact, ...]}
- POST contacts                      -> {"payload": {"contact": {...}, "contact_inbox": {"inbox", "source_id"}}}
- POST conversations                 -> {"id": display id, "account_id", "inbox_id", "status", ...}
- POST conversations/{id}/messages   -> the message
- POST conversations/{id}/toggle_status -> {"meta": {}, "payload": {"success", "conversation_id", "current_status"}}
Every call needs the `api_access_token` header (401 without it or with another token); another account
is 404. Every request is recorded. `outage(True)` makes every API route answer 503, like a desk that is
down. The agent's side is played by `agent_reply` and `resolve`, which post Chatwoot-shaped webhooks
(signed like Chatwoot: sha256=HMAC("{timestamp}.{body}")) to the assistant, or unsigned / wrongly signed.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import parse_qs, urlsplit

from tests.fakes.json_http import JsonHttpFake, parse_json, poll

TOKEN = "fake-chatwoot-token"
ACCOUNT_ID = "3"
INBOX_ID = "7"
WEBHOOK_SECRET = "fake-chatwoot-webhook-secret"
AGENT = {"id": 11, "name": "Sari (agent)", "email": "sari@example.org", "type": "user"}
_ROUTE = re.compile(r"^/api/v1/accounts/(?P<account>[^/]+)/(?P<rest>.+)$")


@dataclass
class Recorded:
    method: str
    path: str
    query: Dict[str, List[str]]
    headers: Dict[str, str]
    body: Any


@dataclass
class Conversation:
    id: int
    contact_id: int
    source_id: str
    inbox_id: int
    status: str
    custom_attributes: Dict[str, Any]
    messages: List[Dict[str, Any]] = field(default_factory=list)

    def webhook_data(self) -> Dict[str, Any]:
        """Chatwoot's conversation webhook data (Conversations::EventDataPresenter#push_data, abridged)."""
        return {
            "id": self.id,
            "inbox_id": self.inbox_id,
            "status": self.status,
            "channel": "Channel::Api",
            "contact_inbox": {"source_id": self.source_id, "inbox_id": self.inbox_id, "contact_id": self.contact_id},
            "custom_attributes": self.custom_attributes,
            "meta": {"sender": {"id": self.contact_id, "type": "contact"}, "assignee": AGENT},
            "messages": self.messages[-1:],
            "timestamp": int(time.time()),
        }


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def signed_request(
    payload: Any, secret: str = WEBHOOK_SECRET, mode: str = "signed", delivery: Optional[str] = None
) -> Tuple[bytes, Dict[str, str]]:
    """(body, headers) of a webhook as the desk sends it; mode: signed | unsigned | wrong (another secret) |
    stale (10 min old). `delivery` is the X-Chatwoot-Delivery id (the same across Chatwoot's retries)."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    stamp = str(int(time.time()) - (600 if mode == "stale" else 0))
    headers = {"Content-Type": "application/json", "X-Chatwoot-Delivery": delivery or uuid.uuid4().hex}
    if mode != "unsigned":
        headers["X-Chatwoot-Timestamp"] = stamp
        headers["X-Chatwoot-Signature"] = sign("not-the-secret" if mode == "wrong" else secret, stamp, body)
    return body, headers


def post_webhook(
    url: str, payload: Any, secret: str = WEBHOOK_SECRET, mode: str = "signed", delivery: Optional[str] = None
) -> Tuple[int, Any]:
    """POST `payload` as the desk would (see signed_request); a new delivery id by default."""
    return post_raw(url, *signed_request(payload, secret, mode, delivery))


def post_raw(url: str, body: bytes, headers: Dict[str, str]) -> Tuple[int, Any]:
    """POST a request exactly as captured (a replay)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            status, raw = answer.status, answer.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode("utf-8", "replace")


class FakeChatwoot(JsonHttpFake):
    def __init__(self) -> None:
        self.requests: List[Recorded] = []
        self.contacts: Dict[int, Dict[str, Any]] = {}
        self.conversations: Dict[int, Conversation] = {}
        self._ids = itertools.count(101)
        self._message_ids = itertools.count(5001)
        self._down = False
        super().__init__()

    # -- what the tests use -----------------------------------------------------------------------------
    @property
    def env(self) -> Dict[str, str]:
        return {
            "CHATWOOT_URL": self.url,
            "CHATWOOT_API_TOKEN": TOKEN,
            "CHATWOOT_ACCOUNT_ID": ACCOUNT_ID,
            "CHATWOOT_INBOX_ID": INBOX_ID,
            "CHATWOOT_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "CHATWOOT_TIMEOUT_SECONDS": "3",
        }

    def outage(self, down: bool) -> None:
        self._down = down

    def conversation_by_source(self, source_id: str) -> Optional[Conversation]:
        with self._lock:
            found = [c for c in self.conversations.values() if c.source_id == source_id]
        return found[-1] if found else None

    def wait_for(self, condition: Callable[[], Any], timeout: float = 10.0) -> Any:
        return poll(condition, bool, timeout, lambda _: "the fake desk did not see what the test waited for")

    def agent_reply(
        self, webhook_url: str, conversation_id: int, text: str, private: bool = False, mode: str = "signed",
        delivery: Optional[str] = None,
    ):
        """The agent writes in the desk: the message is stored and the desk's webhook is sent."""
        return post_webhook(webhook_url, self.agent_message(conversation_id, text, private), mode=mode, delivery=delivery)

    def agent_message(self, conversation_id: int, text: str, private: bool = False) -> Dict[str, Any]:
        """The agent writes in the desk: the message is stored; its webhook payload is returned."""
        conversation = self.conversations[conversation_id]
        with self._lock:
            message = self._store_message(conversation, {"content": text, "message_type": "outgoing", "private": private}, AGENT)
        payload = {
            "event": "message_created",
            **message,
            "sender": AGENT,
            "conversation": conversation.webhook_data(),
            "account": {"id": int(ACCOUNT_ID), "name": "BPJS Ketenagakerjaan"},
            "inbox": {"id": int(INBOX_ID), "name": "TanyaBPJAMSOSTEK"},
        }
        return payload

    def resolve(self, webhook_url: str, conversation_id: int, mode: str = "signed"):
        conversation = self.conversations[conversation_id]
        conversation.status = "resolved"
        payload = {**conversation.webhook_data(), "event": "conversation_status_changed", "changed_attributes": [{"status": {"previous_value": "open", "current_value": "resolved"}}]}
        return post_webhook(webhook_url, payload, mode=mode)

    # -- the API ----------------------------------------------------------------------------------------
    def _store_message(self, conversation: Conversation, body: Dict[str, Any], sender: Optional[Dict[str, Any]]) -> Dict[str, Any]:
        message = {
            "id": next(self._message_ids),
            "content": body.get("content"),
            "message_type": body.get("message_type") or "outgoing",
            "private": bool(body.get("private")),
            "content_type": "text",
            "conversation_id": conversation.id,
            "sender": sender,
            "created_at": int(time.time()),
        }
        conversation.messages.append(message)
        return message

    def _api(self, method: str, rest: str, query: Dict[str, List[str]], body: Any) -> Tuple[int, Dict[str, Any]]:
        body = body if isinstance(body, dict) else {}
        if method == "GET" and rest == "contacts/search":
            q = (query.get("q") or [""])[0]
            found = [c for c in self.contacts.values() if q and (q in (c.get("identifier") or "") or q in c["name"])]
            return 200, {"meta": {"count": len(found), "current_page": 1}, "payload": found}
        if method == "POST" and rest == "contacts":
            if str(body.get("inbox_id")) != INBOX_ID or not body.get("name"):
                return 422, {"message": "inbox_id and name are required"}
            if any(c.get("identifier") == body.get("identifier") for c in self.contacts.values()):
                return 422, {"message": "Identifier has already been taken"}
            contact_id = next(self._ids)
            source_id = str(uuid.uuid4())
            contact = {
                "id": contact_id,
                "name": body["name"],
                "identifier": body.get("identifier"),
                "phone_number": body.get("phone_number"),
                "contact_inboxes": [{"source_id": source_id, "inbox": {"id": int(INBOX_ID)}}],
            }
            self.contacts[contact_id] = contact
            return 200, {"payload": {"contact": contact, "contact_inbox": {"inbox": {"id": int(INBOX_ID)}, "source_id": source_id}}}
        if method == "POST" and rest == "conversations":
            if str(body.get("inbox_id")) != INBOX_ID or not body.get("source_id"):
                return 422, {"message": "inbox_id and source_id are required"}
            if body.get("contact_id") not in self.contacts:
                return 404, {"error": "contact not found"}
            conversation = Conversation(
                id=next(self._ids),
                contact_id=body["contact_id"],
                source_id=body["source_id"],
                inbox_id=int(INBOX_ID),
                status=body.get("status") or "open",
                custom_attributes=body.get("custom_attributes") or {},
            )
            self.conversations[conversation.id] = conversation
            return 200, {"id": conversation.id, "account_id": int(ACCOUNT_ID), "inbox_id": conversation.inbox_id, "status": conversation.status}
        match = re.fullmatch(r"conversations/(\d+)/(messages|toggle_status)", rest)
        if method == "POST" and match:
            conversation = self.conversations.get(int(match.group(1)))
            if conversation is None:
                return 404, {"error": "Resource could not be found"}
            if match.group(2) == "messages":
                if not isinstance(body.get("content"), str) or body.get("message_type") not in ("incoming", "outgoing"):
                    return 422, {"message": "content and message_type are required"}
                return 200, self._store_message(conversation, body, None)
            if body.get("status") not in ("open", "resolved", "pending", "snoozed"):
                return 422, {"message": "unknown status"}
            conversation.status = body["status"]
            return 200, {"meta": {}, "payload": {"success": True, "conversation_id": conversation.id, "current_status": conversation.status}}
        return 404, {"error": "Resource could not be found"}

    def answer(self, method: str, path: str, headers: Dict[str, str], raw: bytes) -> Tuple[int, Any]:
        parts = urlsplit(path)
        body = parse_json(raw, invalid=raw.decode("utf-8", "replace"))
        with self._lock:
            self.requests.append(Recorded(method, parts.path, parse_qs(parts.query), headers, body))
            match = _ROUTE.match(parts.path)
            if self._down:
                return 503, {"error": "Service Unavailable"}
            if {name.lower(): value for name, value in headers.items()}.get("api_access_token") != TOKEN:
                return 401, {"error": "You need to sign in or sign up before continuing."}
            if not match or match.group("account") != ACCOUNT_ID:
                return 404, {"error": "Resource could not be found"}
            return self._api(method, match.group("rest"), parse_qs(parts.query), body)


def start() -> FakeChatwoot:
    return FakeChatwoot()
