"""Session ids of the website widget, issued by the server and signed, never chosen by the browser.

A widget keeps its session id (localStorage) to continue its conversation after a reload. The server
hands out `<random>.<signature>`: 128 random bits and an HMAC (TANYA_SECRET_KEY) over them. A session
id the server did not sign (a WhatsApp number, a Telegram chat id, another site's guess) is refused and
the socket gets a fresh session of its own; the conversation id is `web:<random>` (tanya.channels.identity).
"""

from __future__ import annotations

import hmac
import re
import secrets
from typing import Optional

from tanya.registration.crypto import keyed_digest

RANDOM_BYTES = 16
SIGNATURE_CHARS = 32
_TOKEN = re.compile(r"^([A-Za-z0-9_-]{22})\.([0-9a-f]{32})$")


def _signature(random_part: str) -> str:
    return keyed_digest(f"web-session|{random_part}")[:SIGNATURE_CHARS]


def issue() -> str:
    """A new session id for a widget."""
    random_part = secrets.token_urlsafe(RANDOM_BYTES)
    return f"{random_part}.{_signature(random_part)}"


def verified(token: object) -> Optional[str]:
    """The random part of a session id this server issued, else None."""
    match = _TOKEN.match(token) if isinstance(token, str) else None
    if match is None:
        return None
    random_part, signature = match.groups()
    return random_part if hmac.compare_digest(signature, _signature(random_part)) else None
