"""Connection limits of the Rasa server: a cap per client address and a deadline for each request.

Sanic 21.12 (Rasa 3.6's) restarts its request and response timers on every byte received, so a client
that trickles a header line or a body one byte at a time holds a connection for ever, and nothing caps
how many connections one address opens. BoundedProtocol, the server's protocol, adds:
- a cap of open connections per client address (TANYA_MAX_CONNECTIONS_PER_CLIENT): websockets count,
  one over the cap is closed as it opens;
- a deadline: a request's headers AND body must have arrived TANYA_REQUEST_TIMEOUT_SECONDS after its
  first byte, however slowly they trickle; then the client gets a 408 and the connection closes.
  Websockets and the time the assistant takes to answer are not limited by it.
An idle connection (or one that never sends a byte) is closed by Sanic's KEEP_ALIVE_TIMEOUT.
ClientCounter is shared with the demo web server (scripts/serve_web.py).
"""

from __future__ import annotations

import threading
from collections import Counter
from time import monotonic
from typing import Any, Optional

from sanic.server.protocols.http_protocol import Stage
from sanic.server.protocols.websocket_protocol import WebSocketProtocol

_TIMEOUT_BODY = b'{"error": "request timeout"}'
TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
    b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(_TIMEOUT_BODY), _TIMEOUT_BODY)
)
CLOSE_GRACE_SECONDS = 1.0  # time for the 408 to leave before the socket is aborted


class ClientCounter:
    """Open connections per client address, with a cap (0: none). Thread-safe: the web server's
    threads share one."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._open: Counter = Counter()
        self._lock = threading.Lock()

    def acquire(self, client: str) -> bool:
        """Count one more connection of `client`; False (and not counted) when it holds the cap already."""
        with self._lock:
            if self.cap > 0 and self._open[client] >= self.cap:
                return False
            self._open[client] += 1
            return True

    def release(self, client: str) -> None:
        with self._lock:
            self._open[client] -= 1
            if self._open[client] <= 0:
                del self._open[client]

    def open(self, client: str) -> int:
        with self._lock:
            return self._open[client]


def configure(app: Any, request_timeout: float, keep_alive_timeout: float, max_per_client: int, max_header_bytes: int) -> None:
    """The Sanic settings BoundedProtocol and Sanic itself read (call before the server starts)."""
    app.config.REQUEST_TIMEOUT = request_timeout
    app.config.KEEP_ALIVE_TIMEOUT = keep_alive_timeout
    app.config.REQUEST_MAX_HEADER_SIZE = min(max_header_bytes, 16384)  # Sanic's own ceiling
    app.ctx.clients = ClientCounter(max_per_client)


def peer_address(transport: Any) -> str:
    peer = transport.get_extra_info("peername")
    return str(peer[0]) if isinstance(peer, (tuple, list)) and peer else str(peer or "")


def receiving(http: Any) -> bool:
    """The request's head or body is still arriving (not a websocket, no response started)."""
    # getattr: Http's slots are empty until its first request begins
    if http is None or getattr(http, "upgrade_websocket", False):
        return False
    if http.stage is Stage.REQUEST:
        return True
    return http.stage is Stage.HANDLER and bool(getattr(http, "request_body", None)) and getattr(http, "response", None) is None


class BoundedProtocol(WebSocketProtocol):
    """Sanic's protocol (with websockets) plus the per-client cap and the request deadline."""

    __slots__ = ("_client", "_began")  # Sanic's protocols have slots: no attribute without one

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._client: Optional[str] = None
        self._began: Optional[float] = None

    def connection_made(self, transport: Any) -> None:
        clients = getattr(self.app.ctx, "clients", None)
        client = peer_address(transport)
        if clients is not None and not clients.acquire(client):
            self.transport = None
            transport.abort()  # refused: no request is read from it
            return
        self._client = client if clients is not None else None
        super().connection_made(transport)

    def connection_lost(self, exc: Optional[BaseException]) -> None:
        if self._client is not None:
            self.app.ctx.clients.release(self._client)
            self._client = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        http = getattr(self, "_http", None)  # set by the connection's task, which may not have run yet
        if http is not None and not getattr(http, "upgrade_websocket", False) and (self._began is None or http.stage is Stage.IDLE):
            self._began = monotonic()  # the first bytes of a request
        super().data_received(data)

    def check_timeouts(self) -> None:
        if not receiving(getattr(self, "_http", None)):
            self._began = None  # between requests, or answering one: no deadline runs
        elif self._task and self._began is not None and monotonic() - self._began > self.request_timeout:
            self._refuse_slow_request()
            return
        super().check_timeouts()

    def _refuse_slow_request(self) -> None:
        # Not Sanic's cancel-and-answer: after answering it goes on reading the rest of the body.
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(TIMEOUT_RESPONSE)
        self.close(timeout=CLOSE_GRACE_SECONDS)
