"""The per-day x channel x language rows of the report as CSV (one header line, then one row each)."""

from __future__ import annotations

import csv
import io
from typing import Dict, Sequence

COLUMNS = (
    "day", "channel", "language", "sessions", "contained", "handoffs", "abandoned", "user_turns", "fallback_turns",
    "containment_rate", "handoff_rate", "fallback_rate",
)


def by_day_csv(rows: Sequence[Dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
