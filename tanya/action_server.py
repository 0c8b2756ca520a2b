"""Start the action server: `python -m tanya.action_server`.

rasa_sdk's own `rasa run actions` binds every interface, accepts calls from anyone and, on an
exception, answers with the request body (which holds the whole conversation). This entry point:
- binds ACTIONS_HOST (loopback by default) and ACTIONS_PORT;
- refuses every call but /health without the shared secret Rasa sends (`Authorization: Bearer
  <ACTION_SERVER_TOKEN>`, compared in constant time);
- answers failures with a generic JSON error, caps request bodies and masks its log.
For a deployment where the action server runs on another host, set ACTIONS_HOST=0.0.0.0 and the same
ACTION_SERVER_TOKEN on both hosts, and ACTION_ENDPOINT_URL on the Rasa host (README, Configuration).
"""

from __future__ import annotations

import argparse
import hmac
import logging
import sys
from typing import List, Optional

from tanya.settings import get_settings

logger = logging.getLogger(__name__)
BEARER = "Bearer "
OPEN_PATHS = frozenset({"/health"})
# A tracker grows with the conversation; a few MB hold hundreds of turns.
MAX_REQUEST_BYTES = 4 * 1024 * 1024


def authorised(header: Optional[str], token: str) -> bool:
    """True when the Authorization header carries exactly `token` (constant-time comparison)."""
    if not token or not header or not header.startswith(BEARER):
        return False
    return hmac.compare_digest(header[len(BEARER) :].strip().encode(), token.encode())


def create_app(token: str):
    from rasa_sdk.endpoint import create_app as create_sdk_app
    from sanic import response

    from tanya.http_hardening import harden

    app = create_sdk_app("actions", cors_origins=None, auto_reload=False)
    harden(app, MAX_REQUEST_BYTES)

    @app.on_request
    async def require_token(request):
        if request.path not in OPEN_PATHS and not authorised(request.headers.get("authorization"), token):
            return response.json({"error": "unauthorised"}, status=401)
        return None

    @app.exception(Exception)
    async def generic_error(request, exception: Exception):
        # rasa_sdk's own handler echoes the request body (the conversation) back: never do that.
        status = getattr(exception, "status_code", 500)
        if status >= 500:
            logger.error("Action server error on %s", request.path, exc_info=exception)
        return response.json({"error": "the action could not be run"}, status=status)

    return app


def main(argv: Optional[List[str]] = None) -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(description="Run the TanyaBPJAMSOSTEK action server.")
    parser.add_argument("--host", default=settings.actions_host)
    parser.add_argument("--port", type=int, default=settings.actions_port)
    args = parser.parse_args(argv)
    if not settings.action_server_token:
        print("ACTION_SERVER_TOKEN is not set: refusing to start an action server anyone could call.", file=sys.stderr)
        return 2
    from tanya.privacy import logging as masked_logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s  - %(message)s")
    masked_logging.install()
    app = create_app(settings.action_server_token)
    logger.info("Action server on http://%s:%s", args.host, args.port)
    app.run(host=args.host, port=args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
