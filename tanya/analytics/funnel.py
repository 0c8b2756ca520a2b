"""The pre-registration funnel: started -> each field asked -> summary shown -> confirmed -> submitted,
where the sessions that did not submit stopped, and how their forms ended."""

from __future__ import annotations

from collections import Counter, defaultdict
from statistics import mean
from typing import Dict, List, Sequence

from tanya.analytics.sessions import FORM_IN_PROGRESS, Registration, SessionSummary

# Where a form that was not submitted stopped, besides a field: before its first field (choosing the
# segment), at the summary, or after confirming (the stored check failed).
STEP_START, STEP_SUMMARY, STEP_CONFIRMED = "start", "summary", "confirmed"


def field_order(registrations: Sequence[Registration]) -> List[str]:
    """Fields in the order sessions reach them: by their mean position, then by which appeared first.

    Segments ask different fields, so no single session shows the whole order.
    """
    positions: Dict[str, List[int]] = defaultdict(list)
    first_seen: Dict[str, int] = {}
    for registration in registrations:
        for position, name in enumerate(registration.fields):
            positions[name].append(position)
            first_seen.setdefault(name, len(first_seen))
    return sorted(positions, key=lambda name: (mean(positions[name]), first_seen[name]))


def stopped_at(registration: Registration) -> str:
    """The furthest step a form that was not submitted reached."""
    if registration.confirmed:
        return STEP_CONFIRMED
    if registration.summary_shown:
        return STEP_SUMMARY
    return registration.fields[-1] if registration.fields else STEP_START


def _funnel(started: Sequence[Registration]) -> Dict:
    reached = Counter(name for registration in started for name in registration.fields)
    order = field_order(started)
    # A form still in progress has not dropped (yet).
    dropped = [r for r in started if not r.submitted and r.outcome != FORM_IN_PROGRESS]
    drops = Counter(stopped_at(registration) for registration in dropped)
    rank = {name: index for index, name in enumerate([STEP_START] + order + [STEP_SUMMARY, STEP_CONFIRMED])}
    return {
        "started": len(started),
        "fields": [{"field": name, "sessions": reached[name]} for name in order],
        "summary_shown": sum(registration.summary_shown for registration in started),
        "confirmed": sum(registration.confirmed for registration in started),
        "submitted": sum(registration.submitted for registration in started),
        "dropped": len(dropped),
        "drop_off": [
            {"step": step, "sessions": count}
            for step, count in sorted(drops.items(), key=lambda item: (-item[1], rank[item[0]]))
        ],
        "outcomes": dict(sorted(Counter(registration.outcome or "-" for registration in started).items())),
    }


def funnel(summaries: Sequence[SessionSummary]) -> Dict:
    """The funnel over the sessions that started the form, overall and per segment (reg_segment)."""
    started = [summary.registration for summary in summaries if summary.registration.started]
    segments = sorted({registration.segment for registration in started})
    return {
        **_funnel(started),
        "by_segment": {
            segment: _funnel([r for r in started if r.segment == segment]) for segment in segments
        },
    }
