"""python -m tanya.dashboard [--host H] [--port N] [--database-url URL]

Refuses to start without a staff token (TANYA_DASHBOARD_TOKEN) or without Chart.js in web/vendor
(scripts/setup_dashboard.sh puts it there), each with a one-line reason.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

from aiohttp import web

from tanya.analytics.definitions import DEFAULT_DEFINITIONS_PATH, DefinitionsError, load_definitions
from tanya.dashboard.app import CHART_JS, Config, build_app
from tanya.dashboard.auth import TokenMissing, check_token
from tanya.dashboard.requests import trusted_networks
from tanya.db import tracker_database_url
from tanya.privacy import logging as masked_logging
from tanya.settings import get_settings


def parser(settings) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tanya.dashboard", description="The staff dashboard of the deflection numbers.")
    p.add_argument("--host", default=settings.dashboard_host, help="interface to bind (default: TANYA_DASHBOARD_HOST)")
    p.add_argument("--port", type=int, default=settings.dashboard_port, help="port (default: TANYA_DASHBOARD_PORT)")
    p.add_argument("--database-url", help="tracker database (default: TRACKER_DATABASE_URL / DATABASE_URL / .data/tracker.db)")
    p.add_argument("--definitions", type=Path, default=DEFAULT_DEFINITIONS_PATH, help="what the numbers count (YAML)")
    return p


def main(argv: Optional[List[str]] = None) -> int:
    settings = get_settings()
    args = parser(settings).parse_args(argv)
    try:
        token = check_token(settings.dashboard_token)
    except TokenMissing as problem:
        print(f"The dashboard does not start: {problem}", file=sys.stderr)
        return 2
    if not CHART_JS.is_file():
        print(f"The dashboard does not start: {CHART_JS} is missing; run scripts/setup_dashboard.sh.", file=sys.stderr)
        return 1
    try:
        definitions = load_definitions(args.definitions)
    except (DefinitionsError, OSError) as problem:
        print(f"The dashboard does not start: {problem}", file=sys.stderr)
        return 1
    try:
        proxies = trusted_networks(settings.dashboard_trusted_proxies)
    except ValueError as problem:
        print(f"The dashboard does not start: {problem}", file=sys.stderr)
        return 2
    masked_logging.install()  # the access log's query strings, like every other log, masked
    config = Config(
        database_url=args.database_url or tracker_database_url(),
        definitions=definitions,
        token=token,
        secret_key=settings.secret_key,
        secure_cookie=settings.dashboard_secure_cookie,
        trusted_proxies=proxies,
    )
    print(f"Staff dashboard: http://{args.host}:{args.port}/", flush=True)
    web.run_app(build_app(config), host=args.host, port=args.port, print=None)
    return 0
