"""The per-day x channel x language rows of the report as CSV (one header line, then one row each)."""

from __future__ import annotations

import csv
import io
from typing import Dict, Sequence

COLUMNS = (
    "day", "channel", "language", "sessions", "contained", "handoffs", "abandoned", "user_turns", "fallback_turns",
    "agent_messages", "answers", "rated", "up", "down",
    "containment_rate", "handoff_rate", "abandonment_rate", "fallback_rate", "csat", "rating_response_rate",
)
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def by_day_csv(rows: Sequence[Dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({name: _cell(value) for name, value in row.items()} for row in rows)
    return buffer.getvalue()
