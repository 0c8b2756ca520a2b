"""Chatwoot's webhook signature: `X-Chatwoot-Signature: sha256=<hex HMAC-SHA256("{timestamp}.{raw body}")>`
keyed with the webhook's secret, and `X-Chatwoot-Timestamp` (Unix seconds).

A request without both headers, with a timestamp more than MAX_AGE_SECONDS away from now (either way:
a replayed or a forged-in-the-future request), or with any other signature is refused. The comparison
is constant-time; the body is never decoded before it is trusted.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Optional

MAX_AGE_SECONDS = 300
PREFIX = "sha256="


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The header value Chatwoot sends for `body` at `timestamp`."""
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
    return PREFIX + digest


def verify(
    secret: str,
    body: bytes,
    signature: Optional[str],
    timestamp: Optional[str],
    now: Optional[float] = None,
    max_age: int = MAX_AGE_SECONDS,
) -> bool:
    """True only for a fresh request signed with `secret`."""
    if not secret or not signature or not timestamp:
        return False
    timestamp = timestamp.strip()
    if not timestamp.isascii() or not timestamp.isdigit():
        return False
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > max_age:
        return False
    provided = signature.strip()
    if not provided.startswith(PREFIX):
        provided = PREFIX + provided  # some releases send the bare hex digest
    return hmac.compare_digest(provided.encode("utf-8", "replace"), sign(secret, timestamp, body).encode("ascii"))
