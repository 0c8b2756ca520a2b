"""The pre-registration funnel: started -> each field reached -> confirmed -> submitted, and where people drop."""

from __future__ import annotations

from collections import Counter, defaultdict
from statistics import mean
from typing import Dict, List, Sequence

from tanya.analytics.sessions import SessionSummary


def field_order(summaries: Sequence[SessionSummary]) -> List[str]:
    """Fields in the order sessions reach them: by their mean position, then by which appeared first.

    Segments ask different fields, so no single session shows the whole order.
    """
    positions: Dict[str, List[int]] = defaultdict(list)
    first_seen: Dict[str, int] = {}
    for summary in summaries:
        for position, name in enumerate(summary.registration.fields):
            positions[name].append(position)
            first_seen.setdefault(name, len(first_seen))
    return sorted(positions, key=lambda name: (mean(positions[name]), first_seen[name]))


def _funnel(started: Sequence[SessionSummary]) -> Dict:
    reached = Counter(name for summary in started for name in summary.registration.fields)
    order = field_order(started)
    dropped = [summary for summary in started if not summary.registration.submitted]
    # The furthest field a session reached before it stopped (None: it stopped before the first field).
    drops = Counter(summary.registration.fields[-1] if summary.registration.fields else None for summary in dropped)
    rank = {name: index for index, name in enumerate(order)}
    return {
        "started": len(started),
        "fields": [{"field": name, "sessions": reached[name]} for name in order],
        "confirmed": sum(summary.registration.confirmed for summary in started),
        "submitted": sum(summary.registration.submitted for summary in started),
        "dropped": len(dropped),
        "drop_off": [
            {"field": name, "sessions": count}
            for name, count in sorted(drops.items(), key=lambda item: (-item[1], rank.get(item[0], -1)))
        ],
    }


def funnel(summaries: Sequence[SessionSummary]) -> Dict:
    """The funnel over the sessions that started the form, overall and per segment (reg_segment)."""
    started = [summary for summary in summaries if summary.registration.started]
    segments = sorted({summary.registration.segment for summary in started})
    return {
        **_funnel(started),
        "by_segment": {
            segment: _funnel([s for s in started if s.registration.segment == segment]) for segment in segments
        },
    }
