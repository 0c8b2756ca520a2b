"""Start the Rasa server the way this project runs it: `python -m tanya.server`.

`rasa run` with additions that cannot be made from Rasa's configuration files:
- request bodies are capped (TANYA_MAX_REQUEST_BYTES) and errors are JSON, without version banners
  (tanya.http_hardening);
- connections are capped per client address and a request must arrive within a deadline, however
  slowly it trickles (tanya.http_limits);
- every log record is masked (tanya.privacy.logging): no NIK or phone number in clear in the log;
- every channel's messages pass the handoff gate (tanya.handoff.gate): while a conversation is with a
  human agent, they are forwarded to the agent desk;
- two per-turn costs of Rasa that buy nothing are removed (tanya.rasa_addons.turn_cost);
- the variables endpoints.yml reads (ACTION_ENDPOINT_URL, ACTION_SERVER_TOKEN) come from
  tanya.settings, and the server refuses to start without the action server's shared secret.
The Rasa HTTP API is not enabled: only the channels in credentials.yml are served.
"""

from __future__ import annotations

import argparse
import logging
import sys
from functools import partial
from typing import List, Optional

from tanya.settings import PROJECT_ROOT, apply_rasa_environment, get_settings

logger = logging.getLogger(__name__)


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    settings = get_settings()
    parser = argparse.ArgumentParser(description="Run the TanyaBPJAMSOSTEK Rasa server.")
    parser.add_argument("--model", default=str(PROJECT_ROOT / "models" / "current.tar.gz"))
    parser.add_argument("--credentials", default=str(PROJECT_ROOT / "credentials.yml"))
    parser.add_argument("--endpoints", default=str(PROJECT_ROOT / "endpoints.yml"))
    parser.add_argument("--host", default=settings.rasa_host)
    parser.add_argument("--port", type=int, default=settings.rasa_port)
    parser.add_argument("--debug", action="store_true", help="debug logging (still masked)")
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    settings = get_settings()
    if not settings.action_server_token:
        print("ACTION_SERVER_TOKEN is not set: the action server refuses calls without it (make run creates one).",
              file=sys.stderr)
        return 2
    apply_rasa_environment(settings)

    # Rasa is imported only now: it takes seconds, and --help should not wait for it.
    import rasa.core.run as rasa_run
    from rasa.core.utils import AvailableEndpoints, number_of_sanic_workers
    from rasa.utils.common import configure_logging_and_warnings

    from tanya import http_limits
    from tanya.handoff.gate import wrap_channels
    from tanya.http_hardening import harden
    from tanya.privacy import logging as masked_logging
    from tanya.rasa_addons import turn_cost

    level = logging.DEBUG if args.debug else logging.INFO
    configure_logging_and_warnings(level)
    masked_logging.install()
    masked_logging.install_structlog(level)
    turn_cost.install()  # two per-turn costs of Rasa that buy nothing (tanya/rasa_addons/turn_cost.py)
    endpoints = AvailableEndpoints.read_endpoints(args.endpoints)
    channels = rasa_run.create_http_input_channels(None, args.credentials)
    wrap_channels(channels)  # messages of a conversation that is with a human agent go to the agent desk
    app = rasa_run.configure_app(channels, enable_api=False, port=args.port, endpoints=endpoints)
    harden(app, settings.max_request_bytes)
    http_limits.configure(app, settings.request_timeout_seconds, settings.keep_alive_timeout_seconds,
                          settings.max_connections_per_client, settings.max_header_bytes)
    app.register_listener(partial(rasa_run.load_agent_on_start, args.model, endpoints, None), "before_server_start")
    app.register_listener(rasa_run.close_resources, "after_server_stop")
    logger.info("Starting the Rasa server on http://%s:%s", args.host, args.port)
    app.run(host=args.host, port=args.port, workers=number_of_sanic_workers(endpoints.lock_store), access_log=False,
            protocol=http_limits.BoundedProtocol)
    return 0


if __name__ == "__main__":
    sys.exit(main())
