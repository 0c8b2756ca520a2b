"""Sending replies to an app's HTTP API (Meta's Graph API, Telegram's Bot API), with retries.

One aiohttp session per batch of replies, opened and closed inside the running event loop (Rasa's
stock Telegram connector keeps one from start-up and fails with "Event loop is closed"). A request is
retried with exponential back-off (and jitter) on HTTP 429 and 5xx and on network errors. A wait the
server asks for is honoured in full, never shortened: Telegram's flood control puts it in the JSON body
(`parameters.retry_after`, no header), other services in a Retry-After header; a wait longer than
`max_retry_after` gives up instead (retrying sooner only earns another 429). Other 4xx answers are final: sending the same
request again would fail the same way. When a reply cannot be delivered, one WARNING line says so, with
the recipient masked; neither the body (the user's data) nor the URL (Telegram's carries the bot token)
is ever logged. The replies of a batch are sent in order; after a failure the rest are not sent, as
they would make no sense without it.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Dict, Optional, Sequence, Tuple

import aiohttp

from tanya.privacy.masking import mask_identifier, mask_text

logger = logging.getLogger(__name__)


class DeliveryError(RuntimeError):
    """A message could not be handed to the app (already logged, recipient masked)."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    first_delay: float = 0.5  # seconds; doubled after every failed attempt
    max_delay: float = 8.0
    timeout: float = 15.0  # per request
    max_retry_after: float = 30.0  # longest wait a server may ask for that we sit out; longer: give up


DEFAULT_POLICY = RetryPolicy()


def retryable(status: int) -> bool:
    return status == 429 or status >= 500


def backoff(attempt: int, policy: RetryPolicy, retry_after: Optional[float] = None) -> Optional[float]:
    """Seconds to wait after failed attempt number `attempt` (1-based); None: do not retry (the server
    asked for a longer wait than `policy.max_retry_after`)."""
    if retry_after is not None and retry_after >= 0:
        if retry_after > policy.max_retry_after:
            return None
        # A little more than asked: the clocks of two machines never agree to the millisecond.
        return retry_after + random.uniform(0.05, 0.25)
    delay = min(policy.first_delay * 2 ** (attempt - 1), policy.max_delay)
    return delay * random.uniform(0.5, 1.0)


def _seconds(value: Any) -> Optional[float]:
    """Seconds from a number, a numeric string or an HTTP date (Retry-After allows both); None otherwise."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return max(float(value), 0.0)
    except (TypeError, ValueError):
        pass
    try:
        when = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max((when - datetime.now(timezone.utc)).total_seconds(), 0.0)


def retry_after(headers: Any, body: Any) -> Optional[float]:
    """The wait the server asked for: the body's `parameters.retry_after` (Telegram's Bot API) or the
    Retry-After header, the longer when both are given; None when neither is."""
    parameters = body.get("parameters") if isinstance(body, dict) else None
    from_body = _seconds(parameters.get("retry_after")) if isinstance(parameters, dict) else None
    from_header = _seconds(headers.get("Retry-After")) if headers is not None else None
    given = [value for value in (from_body, from_header) if value is not None]
    return max(given) if given else None


def describe_error(status: int, body: Any) -> str:
    """'HTTP 400 (code 131047: …)' from a Graph API error, 'HTTP 400 (Bad Request: …)' from Telegram's."""
    detail = ""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            detail = f"code {error.get('code')}: {error.get('message', '')}".strip(": ")
        elif body.get("description"):
            detail = str(body["description"])
    return f"HTTP {status}" + (f" ({mask_text(detail[:200])})" if detail else "")


async def _post_one(
    session: aiohttp.ClientSession, label: str, recipient: str, url: str, body: Dict[str, Any],
    headers: Dict[str, str], policy: RetryPolicy,
) -> bool:
    problem = "not attempted"
    for attempt in range(1, policy.attempts + 1):
        asked = None
        try:
            async with session.post(url, json=body, headers=headers) as response:
                if response.status < 300:
                    return True
                try:
                    answer = await response.json(content_type=None)
                except ValueError:
                    answer = None
                problem = describe_error(response.status, answer)
                if not retryable(response.status):
                    break
                asked = retry_after(response.headers, answer)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            problem = type(error).__name__  # never str(error): it may name the URL
        if attempt < policy.attempts:
            wait = backoff(attempt, policy, asked)
            if wait is None:
                problem += f" (asked to wait {asked:.0f} s, longer than {policy.max_retry_after:.0f} s)"
                break
            await asyncio.sleep(wait)
    logger.warning(
        "%s: a reply to %s was not delivered after %d attempt(s): %s",
        label, mask_identifier(recipient), attempt, problem,
    )
    return False


async def send_all(
    label: str, recipient: str, requests: Sequence[Tuple[str, Dict[str, Any]]], headers: Dict[str, str],
    policy: RetryPolicy = DEFAULT_POLICY,
) -> bool:
    """POST every (url, JSON body) in order; False (and one WARNING line) when one is not delivered."""
    if not requests:
        return True
    timeout = aiohttp.ClientTimeout(total=policy.timeout)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        for url, body in requests:
            if not await _post_one(session, label, recipient, url, body, headers, policy):
                return False
    return True
