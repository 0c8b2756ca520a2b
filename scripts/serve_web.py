"""Serve the demo registration page and the chat widget (web/) on a local port.

    .venv/bin/python scripts/serve_web.py [--port 8080] [--server-url http://localhost:5005]

Only local files are served; a Content-Security-Policy keeps the page to its own scripts and lets it
talk only to the assistant's server.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import sys
from pathlib import Path
from urllib.parse import urlparse

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
SERVED = ("index.html", "page.css", "widget/", "vendor/")
CONFIG_SCRIPT = "config.js"


class WidgetHandler(http.server.SimpleHTTPRequestHandler):
    server_url = "http://localhost:5005"

    def end_headers(self) -> None:
        parsed = urlparse(self.server_url)
        socket_origins = f"{self.server_url} ws://{parsed.netloc} wss://{parsed.netloc}"
        self.send_header(
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src 'self' {socket_origins}; frame-ancestors 'self'; base-uri 'none'",
        )
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = urlparse(self.path).path.lstrip("/")
        if path == CONFIG_SCRIPT:
            self._send_config()
            return
        if path and not path.startswith(SERVED):
            self.send_error(404)  # package.json, node_modules and the like stay private
            return
        super().do_GET()

    def _send_config(self) -> None:
        """The widget's configuration for this page: where the assistant is."""
        body = f"window.TanyaWidgetConfig = {json.dumps({'serverUrl': self.server_url})};\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/javascript; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # quiet: the assistant's logs matter more
        pass


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Serve the demo page with the chat widget.")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--server-url", default="http://localhost:5005")
    args = parser.parse_args(argv)
    if not (WEB_DIR / "vendor" / "socket.io.min.js").exists():
        print("web/vendor/socket.io.min.js is missing: run scripts/setup_web.sh (make run does).", file=sys.stderr)
        return 1
    WidgetHandler.server_url = args.server_url.rstrip("/")
    handler = functools.partial(WidgetHandler, directory=str(WEB_DIR))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"Demo page with the widget: http://localhost:{args.port}/")
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
