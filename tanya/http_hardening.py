"""What both servers do to every HTTP exchange: bounded bodies, JSON errors, no version banners.

Used by tanya.server (Rasa) and tanya.action_server; kept in one place so both answer the same way.
"""

from __future__ import annotations

from sanic import Sanic, response
from sanic.request import Request

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def harden(app: Sanic, max_request_bytes: int) -> None:
    app.config.REQUEST_MAX_SIZE = max_request_bytes
    # Errors Sanic raises itself (413, 404, 405) are answered as JSON, never as an HTML page.
    app.config.FALLBACK_ERROR_FORMAT = "json"

    @app.on_request
    async def plain_root(request: Request):
        # Rasa's "/" answers "Hello from Rasa: <version>": health checks need only "ok".
        if request.path == "/" and request.method in ("GET", "HEAD"):
            return response.json({"status": "ok"})
        return None

    @app.on_response
    async def strip_banners(_: Request, resp) -> None:
        resp.headers.pop("server", None)
        for name, value in SECURITY_HEADERS.items():
            resp.headers.setdefault(name, value)
