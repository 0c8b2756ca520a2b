"""The few calls of Chatwoot's Application API the handoff makes (https://developers.chatwoot.com/api-reference).

Every request carries the `api_access_token` header and a timeout; any failure (network, timeout, a
non-2xx answer, a body that is not the documented JSON) becomes ChatwootError, whose message names the
call and the HTTP status but never the token or the content sent. Synchronous on purpose: the action
server calls it directly, the Rasa process through a worker thread (tanya.handoff.bridge).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional

import requests

from tanya.settings import Settings


class ChatwootError(RuntimeError):
    """The desk could not be reached or refused a call."""


@dataclass(frozen=True)
class ChatwootConfig:
    url: str
    token: str
    account_id: str
    inbox_id: str
    timeout: float = 5.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Optional["ChatwootConfig"]:
        """The configuration, or None when the handoff to a desk is not configured."""
        if not settings.chatwoot_configured:
            return None
        return cls(
            url=settings.chatwoot_url.strip().rstrip("/"),
            token=settings.chatwoot_api_token.strip(),
            account_id=settings.chatwoot_account_id.strip(),
            inbox_id=settings.chatwoot_inbox_id.strip(),
            timeout=settings.chatwoot_timeout_seconds,
        )


class ChatwootClient:
    def __init__(self, config: ChatwootConfig, session: Optional[requests.Session] = None) -> None:
        self.config = config
        self.session = session or requests.Session()

    # -- contacts -----------------------------------------------------------------------------------
    def find_contact(self, identifier: str) -> Optional[Dict[str, Any]]:
        """The contact whose `identifier` is exactly `identifier` (the search also matches parts)."""
        found = self._call("GET", "contacts/search", "search contacts", params={"q": identifier})
        for contact in _list(found.get("payload")):
            if isinstance(contact, dict) and contact.get("identifier") == identifier:
                return contact
        return None

    def create_contact(self, identifier: str, name: str) -> Dict[str, Any]:
        body = {"inbox_id": _int_or_str(self.config.inbox_id), "name": name, "identifier": identifier}
        created = self._call("POST", "contacts", "create contact", json=body)
        payload = created.get("payload") if isinstance(created.get("payload"), dict) else created
        contact = payload.get("contact") if isinstance(payload.get("contact"), dict) else payload
        if not isinstance(contact, dict) or contact.get("id") is None:
            raise ChatwootError("create contact: the answer has no contact id")
        return contact

    # -- conversations ------------------------------------------------------------------------------
    def create_conversation(self, contact_id: Any, source_id: str, attributes: Dict[str, str]) -> int:
        """A new conversation in the inbox, pending until the bridge opens it; its (display) id."""
        body = {
            "inbox_id": _int_or_str(self.config.inbox_id),
            "contact_id": contact_id,
            "source_id": source_id,
            "status": "pending",
            "custom_attributes": attributes,
        }
        created = self._call("POST", "conversations", "create conversation", json=body)
        try:
            return int(created["id"])
        except (KeyError, TypeError, ValueError):
            raise ChatwootError("create conversation: the answer has no conversation id") from None

    def post_message(self, conversation_id: int, content: str, message_type: str = "incoming", private: bool = False) -> Dict[str, Any]:
        body = {"content": content, "message_type": message_type, "private": private}
        return self._call("POST", f"conversations/{int(conversation_id)}/messages", "post message", json=body)

    def set_status(self, conversation_id: int, status: str) -> None:
        self._call("POST", f"conversations/{int(conversation_id)}/toggle_status", "toggle status", json={"status": status})

    # -- transport ----------------------------------------------------------------------------------
    def _call(self, method: str, path: str, what: str, **kwargs: Any) -> Dict[str, Any]:
        url = f"{self.config.url}/api/v1/accounts/{self.config.account_id}/{path}"
        try:
            response = self.session.request(
                method,
                url,
                headers={"api_access_token": self.config.token, "Accept": "application/json"},
                timeout=self.config.timeout,
                **kwargs,
            )
        except requests.RequestException as error:
            raise ChatwootError(f"{what}: the desk is unreachable ({type(error).__name__})") from None
        if not 200 <= response.status_code < 300:
            raise ChatwootError(f"{what}: HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError:
            raise ChatwootError(f"{what}: the answer is not JSON") from None
        if not isinstance(data, dict):
            raise ChatwootError(f"{what}: the answer is not a JSON object")
        return data


def _list(value: Any) -> List[Any]:
    return value if isinstance(value, list) else []


def _int_or_str(value: str) -> Any:
    return int(value) if value.isdigit() else value
