"""What every fake of an external service shares: a JSON HTTP server on a free loopback port.

A subclass answers `answer(method, path, headers, raw_body) -> (status, json_answer)`; this module serves
it from a thread, queues forced failures (`fail_next`) and polls for what arrived (`poll`). It has no
`start()`, so tests/fakes does not start it as a service of its own.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple, TypeVar

T = TypeVar("T")


def parse_json(raw: bytes, empty: Any = None, invalid: Any = None) -> Any:
    """The JSON in `raw`; `empty` for no body, `invalid` for a body that is not JSON."""
    if not raw:
        return empty
    try:
        return json.loads(raw)
    except ValueError:
        return invalid


def poll(fetch: Callable[[], T], done: Callable[[T], bool], timeout: float, describe: Callable[[T], str]) -> T:
    """fetch() until done(value) holds; AssertionError saying what arrived when `timeout` runs out."""
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out; {describe(value)}")
        time.sleep(0.05)


class JsonHttpFake:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: List[int] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep the test output clean
                pass

            def _serve(self, method: str) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, answer = fake.answer(method, self.path, dict(self.headers), raw)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._serve("POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, method: str, path: str, headers: Dict[str, str], raw: bytes) -> Tuple[int, Any]:
        raise NotImplementedError

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def fail_next(self, count: int = 1, status: int = 500) -> None:
        """The next `count` calls are answered with `status` (an outage of the real service)."""
        with self._lock:
            self._failures += [status] * count

    def _take_failure(self) -> Optional[int]:
        with self._lock:
            return self._failures.pop(0) if self._failures else None

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
