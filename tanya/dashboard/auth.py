"""Staff login: the token check, signed session cookies, logout, and a limit on wrong tokens.

Only the standard library: the cookie is "<expires>.<nonce>.<HMAC-SHA256 hex>", signed with a key
derived from the staff token and TANYA_SECRET_KEY, so changing the token ends every session. Tokens
and signatures are compared in constant time. A logout revokes the cookie's nonce in this process
(until it would have expired anyway), so a copied cookie stops working too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import defaultdict, deque
from typing import Callable, Deque, Dict, Optional

MIN_TOKEN_CHARS = 12
THROTTLE_WINDOW_SECONDS = 60.0


class TokenMissing(RuntimeError):
    """The dashboard has no usable staff token: it must not start."""


def check_token(token: str) -> str:
    token = (token or "").strip()
    if not token:
        raise TokenMissing(
            "TANYA_DASHBOARD_TOKEN is not set: the dashboard never runs without a staff login. "
            f"Set it to a secret of at least {MIN_TOKEN_CHARS} characters, e.g. "
            "export TANYA_DASHBOARD_TOKEN=$(python -c 'import secrets; print(secrets.token_urlsafe(24))')"
        )
    if len(token) < MIN_TOKEN_CHARS:
        raise TokenMissing(f"TANYA_DASHBOARD_TOKEN is too short: use at least {MIN_TOKEN_CHARS} characters.")
    return token


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class Sessions:
    """Issues and checks the staff session cookie."""

    def __init__(self, token: str, secret_key: str, lifetime_seconds: float, clock: Callable[[], float] = time.time) -> None:
        self._token_digest = _digest(token)
        self._key = hashlib.sha256(b"tanya-dashboard-session\0" + token.encode() + b"\0" + secret_key.encode()).digest()
        self.lifetime = lifetime_seconds
        self._clock = clock
        self._revoked: Dict[str, float] = {}  # nonce -> when the cookie would expire

    def token_matches(self, candidate: str) -> bool:
        # Digests first: equal lengths, so the comparison's time says nothing about the token.
        return hmac.compare_digest(_digest(candidate or ""), self._token_digest)

    def _sign(self, payload: str) -> str:
        return hmac.new(self._key, payload.encode(), hashlib.sha256).hexdigest()

    def issue(self) -> str:
        expires = int(self._clock() + self.lifetime)
        payload = f"{expires}.{secrets.token_urlsafe(18)}"
        return f"{payload}.{self._sign(payload)}"

    def _parts(self, cookie: Optional[str]):
        parts = (cookie or "").split(".")
        if len(parts) != 3 or not parts[0].isdigit():
            return None
        expires, nonce, signature = parts
        if not hmac.compare_digest(signature, self._sign(f"{expires}.{nonce}")):
            return None
        return int(expires), nonce

    def valid(self, cookie: Optional[str]) -> bool:
        parts = self._parts(cookie)
        if parts is None:
            return False
        expires, nonce = parts
        return expires > self._clock() and nonce not in self._revoked

    def revoke(self, cookie: Optional[str]) -> None:
        parts = self._parts(cookie)
        if parts is None:
            return
        now = self._clock()
        self._revoked = {nonce: until for nonce, until in self._revoked.items() if until > now}
        self._revoked[parts[1]] = parts[0]


class LoginThrottle:
    """At most `limit` wrong tokens per client address within a minute; then refuse until it is over."""

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._failures: Dict[str, Deque[float]] = defaultdict(deque)

    def _recent(self, client: str) -> Deque[float]:
        failures = self._failures[client]
        while failures and failures[0] <= self._clock() - THROTTLE_WINDOW_SECONDS:
            failures.popleft()
        return failures

    def blocked(self, client: str) -> bool:
        return len(self._recent(client)) >= self.limit

    def failed(self, client: str) -> None:
        self._recent(client).append(self._clock())
        if len(self._failures) > 10000:  # many addresses: forget the idle ones
            for address in [a for a, f in self._failures.items() if not f]:
                del self._failures[address]
