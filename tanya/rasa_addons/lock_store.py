"""An atomic Redis lock store: several Rasa instances may take any message of any conversation.

Rasa serialises the turns of one conversation with a ticket lock (rasa.core.lock.TicketLock): a
message draws the next ticket number and waits until it is served. Rasa's RedisLockStore keeps that
lock as one JSON value and changes it by GET, modify, SET from each instance. Two instances drawing a
ticket for the same conversation at the same moment read the same value, draw the same number and
both run, and the SQL tracker store then keeps only one of the two turns (RasaHQ/rasa#9213; the fix,
PR #11256, was reverted from the open-source edition). A burst from one sender spread over two
instances loses messages.

Here every change of a conversation's queue is one Lua script, which Redis runs atomically:
- a ticket number comes from INCR on the conversation's counter, so no two messages share one;
- the queue is a hash ticket -> expiry (Redis server time, so the instances' clocks do not matter); the
  lowest live ticket is served, in the order the tickets were drawn;
- a ticket is a lease: it expires `lease_seconds` after it was last renewed. A waiting message renews
  its ticket every time it looks at the queue, the message being served renews it in the background.
  When an instance dies, its tickets stop being renewed and the conversation moves on after at most
  one lease, instead of Rasa's whole lock lifetime (60 s);
- no ticket lives longer than Rasa's lock lifetime (TICKET_LOCK_LIFETIME), as in Rasa's own stores;
- both keys of a conversation expire with its last ticket, and a release that leaves the queue empty
  deletes them: nothing accumulates in Redis.
Keys carry a hash of the conversation id, never the id itself (a WhatsApp sender id is a phone number).

endpoints.cluster.yml loads it from its module path:
    lock_store:
      type: tanya.rasa_addons.lock_store.AtomicRedisLockStore
The Redis URL comes from REDIS_URL (tanya.settings) unless the endpoint sets `url`.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import deque
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, List, Optional, Text, Tuple

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

DEFAULT_SOCKET_TIMEOUT_SECONDS = 5.0
# A waiting message looks at the queue soon, then less and less often (a turn takes 0.1-1 s).
FIRST_POLL_SECONDS = 0.01
MAX_POLL_SECONDS = 0.2

# Shared by every script: KEYS[1] = the conversation's tickets (hash number -> expiry, ms),
# KEYS[2] = its ticket counter.
_PRELUDE = """
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- Drops expired tickets; returns the lowest live ticket (or nil) and the latest expiry.
local function purge(now)
  local flat = redis.call('HGETALL', KEYS[1])
  local head, latest = nil, 0
  for i = 1, #flat, 2 do
    local number, expires = tonumber(flat[i]), tonumber(flat[i + 1])
    if expires <= now then
      redis.call('HDEL', KEYS[1], flat[i])
    else
      if head == nil or number < head then head = number end
      if expires > latest then latest = expires end
    end
  end
  return head, latest
end
-- Both keys live as long as the last ticket, and go when no ticket is left.
local function keep_until(latest, now)
  if latest > now then
    redis.call('PEXPIRE', KEYS[1], latest - now + 1000)
    redis.call('PEXPIRE', KEYS[2], latest - now + 1000)
  else
    redis.call('DEL', KEYS[1], KEYS[2])
  end
end
"""

# ARGV[1] = lease (ms). Returns {ticket, lowest live ticket}.
ISSUE_SCRIPT = _PRELUDE + """
local now = now_ms()
local head, latest = purge(now)
local number = redis.call('INCR', KEYS[2])
local expires = now + tonumber(ARGV[1])
redis.call('HSET', KEYS[1], number, expires)
keep_until(math.max(latest, expires), now)
if head == nil then head = number end
return {number, head}
"""

# ARGV[1] = ticket, ARGV[2] = lease (ms). Renews the ticket; returns the lowest live ticket, or -1 when
# this ticket has expired (it is gone from the queue).
RENEW_SCRIPT = _PRELUDE + """
local now = now_ms()
local head, latest = purge(now)
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  keep_until(latest, now)
  return -1
end
local expires = now + tonumber(ARGV[2])
redis.call('HSET', KEYS[1], ARGV[1], expires)
keep_until(math.max(latest, expires), now)
return head
"""

# ARGV[1] = ticket. Returns the number of tickets still waiting.
RELEASE_SCRIPT = _PRELUDE + """
local now = now_ms()
redis.call('HDEL', KEYS[1], ARGV[1])
local head, latest = purge(now)
keep_until(latest, now)
return redis.call('HLEN', KEYS[1])
"""

# Returns the live tickets as a flat list number, expiry (ms), number, expiry, ...
PEEK_SCRIPT = _PRELUDE + """
local now = now_ms()
local head, latest = purge(now)
keep_until(latest, now)
return redis.call('HGETALL', KEYS[1])
"""


def _redis_url(endpoint_config: Optional[EndpointConfig]) -> str:
    """The endpoint's `url` (a redis:// URL, or a host with `port`/`db`/`password`), else REDIS_URL."""
    url = (endpoint_config.url if endpoint_config else None) or ""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return url
    if url:
        kwargs = endpoint_config.kwargs
        password = kwargs.get("password")
        auth = f":{password}@" if password else ""
        return f"redis://{auth}{url}:{int(kwargs.get('port', 6379))}/{int(kwargs.get('db', 1))}"
    from tanya.settings import get_settings

    return get_settings().redis_url


class AtomicRedisLockStore(LockStore):
    """Rasa's ticket lock with every change made atomically in Redis (see the module docstring)."""

    def __init__(
        self,
        endpoint_config: Optional[EndpointConfig] = None,
        url: Optional[str] = None,
        lease_seconds: Optional[float] = None,
        key_prefix: Optional[str] = None,
        socket_timeout: Optional[float] = None,
    ) -> None:
        import redis
        import redis.asyncio

        from tanya.settings import get_settings

        settings = get_settings()
        kwargs = dict(endpoint_config.kwargs) if endpoint_config else {}
        self.url = url or _redis_url(endpoint_config)
        self.lease_seconds = float(lease_seconds or kwargs.get("lease_seconds") or settings.lock_lease_seconds)
        prefix = str(key_prefix or kwargs.get("key_prefix") or settings.lock_key_prefix)
        if not prefix.isalnum():
            raise ValueError(f"lock store key prefix must be letters and digits, not {prefix!r}")
        self.key_prefix = f"{prefix}:lock:"
        timeout = float(socket_timeout or kwargs.get("socket_timeout") or DEFAULT_SOCKET_TIMEOUT_SECONDS)
        # The sync client serves Rasa's synchronous LockStore interface; lock() uses the async one, so
        # waiting for a turn never blocks the event loop.
        self.red = redis.Redis.from_url(self.url, socket_timeout=timeout, socket_connect_timeout=timeout)
        self.ared = redis.asyncio.Redis.from_url(self.url, socket_timeout=timeout, socket_connect_timeout=timeout)
        self._scripts = {name: self.red.register_script(source) for name, source in _SOURCES.items()}
        self._ascripts = {name: self.ared.register_script(source) for name, source in _SOURCES.items()}
        super().__init__()

    # -- keys -------------------------------------------------------------------------------------
    def keys_for(self, conversation_id: Text) -> List[str]:
        """The conversation's two keys; the braces keep both on one Redis Cluster slot."""
        digest = hashlib.sha256(conversation_id.encode("utf-8")).hexdigest()[:32]
        return [f"{self.key_prefix}{{{digest}}}:tickets", f"{self.key_prefix}{{{digest}}}:counter"]

    @property
    def _lease_ms(self) -> int:
        return max(1, int(self.lease_seconds * 1000))

    # -- the lock Rasa takes around every turn ------------------------------------------------------
    @asynccontextmanager
    async def lock(
        self,
        conversation_id: Text,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = MAX_POLL_SECONDS,
    ) -> AsyncGenerator[TicketLock, None]:
        """Wait for this conversation's turn (in ticket order), hold it while the body runs."""
        keys = self.keys_for(conversation_id)
        deadline = time.monotonic() + lock_lifetime
        ticket, head = await self._run_async("issue", keys, [self._lease_ms])
        keeper: Optional[asyncio.Task] = None
        try:
            if head != ticket:
                await self._wait_for_turn(conversation_id, keys, ticket, deadline, min(wait_time_in_seconds, MAX_POLL_SECONDS))
            keeper = asyncio.get_running_loop().create_task(self._keep_alive(keys, ticket, deadline))
            yield TicketLock(conversation_id, deque([Ticket(ticket, time.time() + self.lease_seconds)]))
        finally:
            if keeper is not None:
                keeper.cancel()
            await self._release(keys, ticket)

    async def _wait_for_turn(
        self, conversation_id: Text, keys: List[str], ticket: int, deadline: float, max_poll: float
    ) -> None:
        delay = FIRST_POLL_SECONDS
        while True:
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_poll)
            head = await self._run_async("renew", keys, [ticket, self._lease_ms])
            if head == ticket:
                return
            if head < 0:
                raise LockError("The conversation's lock ticket expired while waiting for its turn.")
            if time.monotonic() > deadline:
                raise LockError(f"Waited longer than the lock lifetime for a turn of the conversation (ticket {ticket}).")
            logger.debug("Ticket %s waits for ticket %s of the same conversation.", ticket, head)

    async def _keep_alive(self, keys: List[str], ticket: int, deadline: float) -> None:
        """Renew the served ticket until the turn ends, at most for the lock lifetime."""
        interval = self.lease_seconds / 3
        while time.monotonic() + interval < deadline:
            await asyncio.sleep(interval)
            try:
                if await self._run_async("renew", keys, [ticket, self._lease_ms]) < 0:
                    logger.warning("A turn outlived its lock ticket (ticket %s): the next message no longer waits.", ticket)
                    return
            except LockError as error:
                logger.warning("Could not renew a lock ticket: %s", error)

    async def _release(self, keys: List[str], ticket: int) -> None:
        try:
            await self._run_async("release", keys, [ticket])
        except LockError as error:
            # The lease runs out on its own: the next message waits at most lease_seconds.
            logger.warning("Could not release a lock ticket; it expires by itself: %s", error)

    async def _run_async(self, name: str, keys: List[str], args: List[Any]) -> Any:
        import redis

        try:
            return await self._ascripts[name](keys=keys, args=args)
        except redis.RedisError as error:
            raise LockError(f"The lock store (Redis) failed: {type(error).__name__}: {error}") from error

    def _run(self, name: str, keys: List[str], args: List[Any]) -> Any:
        import redis

        try:
            return self._scripts[name](keys=keys, args=args)
        except redis.RedisError as error:
            raise LockError(f"The lock store (Redis) failed: {type(error).__name__}: {error}") from error

    # -- Rasa's synchronous LockStore interface, atomic as well ------------------------------------
    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        ticket, _ = self._run("issue", self.keys_for(conversation_id), [self._lease_ms])
        return int(ticket)

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        flat = self._run("peek", self.keys_for(conversation_id), [])
        tickets = sorted(_pairs(flat))
        if not tickets:
            return None
        return TicketLock(conversation_id, deque(Ticket(number, expires / 1000) for number, expires in tickets))

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        self._run("release", self.keys_for(conversation_id), [ticket_number])

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        # The release script deletes the keys itself when the queue is left empty.
        self.finish_serving(conversation_id, ticket_number)

    def delete_lock(self, conversation_id: Text) -> None:
        deleted = self.red.delete(*self.keys_for(conversation_id))
        self._log_deletion(conversation_id, bool(deleted))

    def save_lock(self, lock: TicketLock) -> None:
        raise NotImplementedError("AtomicRedisLockStore changes tickets only through its atomic scripts")


def _pairs(flat: List[Any]) -> List[Tuple[int, int]]:
    return [(int(flat[i]), int(flat[i + 1])) for i in range(0, len(flat), 2)]


_SOURCES = {"issue": ISSUE_SCRIPT, "renew": RENEW_SCRIPT, "release": RELEASE_SCRIPT, "peek": PEEK_SCRIPT}
