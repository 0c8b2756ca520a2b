"""Read the tracker store and build the report: the one call the CLI and the dashboard make."""

from __future__ import annotations

import time
from datetime import date
from typing import Dict, Optional

from tanya.analytics.definitions import Definitions
from tanya.analytics.reader import load_conversations
from tanya.analytics.report import build_report


def report_from_database(
    url: str,
    definitions: Definitions,
    since: Optional[date] = None,
    until: Optional[date] = None,
    now: Optional[float] = None,
    channel: Optional[str] = None,
    language: Optional[str] = None,
) -> Dict:
    conversations = load_conversations(url, definitions.zone, since, until)
    return build_report(conversations, definitions, time.time() if now is None else now, since, until, channel, language)
