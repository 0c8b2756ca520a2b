"""Serve the demo registration page and the chat widget (web/) on a local port.

    .venv/bin/python scripts/serve_web.py [--port 8080] [--server-url http://localhost:5005]

Only an allow-list of files is served (the page, its stylesheet, the widget, the vendored socket.io
client), matched after the request path is decoded and normalised, so "/widget/../package.json" or
"/%2e%2e/" reach nothing; there are no directory listings. A Content-Security-Policy keeps the page to
its own scripts and lets it talk only to the assistant's server; no version banner is sent.

BoundedHTTPServer keeps one client from holding the server: at most TANYA_MAX_CONNECTIONS_PER_CLIENT
open connections per client address (more are closed as they open), and a connection whose request has
not been read and answered TANYA_REQUEST_TIMEOUT_SECONDS after it opened is closed, however slowly it
trickles its header lines (a socket timeout alone restarts with every byte).
"""

from __future__ import annotations

import argparse
import http.server
import json
import mimetypes
import posixpath
import socket
import sys
import threading
from pathlib import Path
from typing import Dict, Optional
from urllib.parse import unquote, urlparse

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
SERVED_FILES = ("index.html", "page.css")
SERVED_DIRS = ("widget", "vendor")
CONFIG_SCRIPT = "config.js"


def allowed_files(web_dir: Path = WEB_DIR) -> Dict[str, Path]:
    """URL path (no leading slash) -> file, for every file the page may load."""
    files = {name: web_dir / name for name in SERVED_FILES if (web_dir / name).is_file()}
    for folder in SERVED_DIRS:
        for path in sorted((web_dir / folder).glob("*")):
            if path.is_file():
                files[f"{folder}/{path.name}"] = path
    return files


def normalise(url_path: str) -> Optional[str]:
    """The request path decoded and normalised, without the leading slash; None when it tries to escape."""
    # Not urlparse: "//widget/x.js" would become a host name and a path.
    path = unquote(url_path.split("?", 1)[0].split("#", 1)[0])
    if "\\" in path or "\x00" in path:
        return None
    normal = posixpath.normpath("/" + path.lstrip("/"))
    if ".." in normal.split("/"):
        return None
    return "index.html" if normal == "/" else normal.lstrip("/")


class WidgetHandler(http.server.BaseHTTPRequestHandler):
    server_url = "http://localhost:5005"
    files: Dict[str, Path] = {}
    server_version = ""
    sys_version = ""

    def version_string(self) -> str:  # no "SimpleHTTP/0.6 Python/3.10" banner
        return ""

    def send_security_headers(self) -> None:
        parsed = urlparse(self.server_url)
        socket_origins = f"{self.server_url} ws://{parsed.netloc} wss://{parsed.netloc}"
        self.send_header(
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src 'self' {socket_origins}; frame-ancestors 'self'; base-uri 'none'",
        )
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve(include_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(include_body=False)

    def _serve(self, include_body: bool) -> None:
        path = normalise(self.path)
        if path == CONFIG_SCRIPT:
            body = f"window.TanyaWidgetConfig = {json.dumps({'serverUrl': self.server_url})};\n".encode()
            self._send(200, "text/javascript; charset=utf-8", body, include_body)
            return
        file = self.files.get(path or "")
        if file is None:
            self._send(404, "text/plain; charset=utf-8", b"Not found\n", include_body)
            return
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type == "application/javascript":
            content_type += "; charset=utf-8"
        self._send(200, content_type, file.read_bytes(), include_body)

    def _send(self, status: int, content_type: str, body: bytes, include_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_security_headers()
        self.end_headers()
        if include_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # quiet: the assistant's logs matter more
        pass


class BoundedHTTPServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server with a cap of connections per client and a deadline per connection."""

    daemon_threads = True

    def __init__(self, address, handler, request_timeout: float, max_per_client: int) -> None:
        from tanya.http_limits import ClientCounter

        self.request_timeout = request_timeout
        self.clients = ClientCounter(max_per_client)
        super().__init__(address, handler)

    def process_request(self, request: socket.socket, client_address) -> None:
        if not self.clients.acquire(client_address[0]):
            self.shutdown_request(request)  # refused: nothing is read from it
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: socket.socket, client_address) -> None:
        request.settimeout(self.request_timeout)  # no single read or write waits longer
        deadline = threading.Timer(self.request_timeout, _cut, args=(request,))
        deadline.daemon = True
        deadline.start()
        try:
            super().process_request_thread(request, client_address)
        finally:
            deadline.cancel()
            self.clients.release(client_address[0])


    def handle_error(self, request, client_address) -> None:
        # A client that went away (or was cut at the deadline: its half-read request ends there and the
        # answer finds the socket shut) is no error of the server's.
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


def _cut(request: socket.socket) -> None:
    """The deadline passed: wake the thread blocked on the socket (its read ends, it closes)."""
    try:
        request.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Serve the demo page with the chat widget.")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--server-url", default="http://localhost:5005")
    args = parser.parse_args(argv)
    if not (WEB_DIR / "vendor" / "socket.io.min.js").exists():
        print("web/vendor/socket.io.min.js is missing: run scripts/setup_web.sh (make run does).", file=sys.stderr)
        return 1
    sys.path.insert(0, str(WEB_DIR.parent))  # the project, for tanya.privacy
    from tanya.privacy import logging as masked_logging
    from tanya.settings import get_settings

    masked_logging.install()  # requests are not logged; Python warnings and errors are, masked
    settings = get_settings()
    WidgetHandler.server_url = args.server_url.rstrip("/")
    WidgetHandler.files = allowed_files()
    address = ("127.0.0.1", args.port)
    with BoundedHTTPServer(address, WidgetHandler, settings.request_timeout_seconds, settings.max_connections_per_client) as server:
        print(f"Demo page with the widget: http://localhost:{args.port}/")
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
