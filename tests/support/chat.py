"""A REST conversation with a running assistant, one fresh sender per Chat."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from typing import Any, List, Optional, Tuple


def post(url: str, body: bytes, content_type: str = "application/json", timeout: float = 90) -> Tuple[int, Any]:
    """(HTTP status, parsed JSON or raw text) of a POST; HTTP errors are returned, not raised."""
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode("utf-8", errors="replace")


class Chat:
    def __init__(self, rasa_url: str, sender: Optional[str] = None) -> None:
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.sender = sender or f"test-{uuid.uuid4().hex[:12]}"

    @property
    def conversation(self) -> str:
        """The Rasa conversation id the REST channel gives this sender (tanya.channels.identity)."""
        from tanya.channels.identity import conversation_id

        return conversation_id("rest", self.sender)

    def say(self, message: str, metadata: Optional[dict] = None) -> List[dict]:
        body = {"sender": self.sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        status, replies = post(self.url, json.dumps(body).encode())
        assert status == 200, f"HTTP {status} for {message!r}: {replies}"
        assert isinstance(replies, list) and replies, f"no reply to {message!r}"
        return replies

    def text(self, message: str, metadata: Optional[dict] = None) -> str:
        """Every reply text and button title of the turn, joined."""
        parts = []
        for reply in self.say(message, metadata):
            parts.append(reply.get("text") or "")
            parts += [button.get("title", "") for button in reply.get("buttons") or []]
        return "\n".join(parts)

    def buttons(self, message: str) -> List[dict]:
        return [button for reply in self.say(message) for button in reply.get("buttons") or []]
