"""Containment, handoffs, fallbacks, answers and ratings: pure aggregates over session summaries.

Every rate here is computed once, by `_with_rates`; the report's totals, its per-day series and its
day x channel x language rows all go through it (the dashboard only draws them).
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, Dict, Hashable, Iterable, List, Sequence, Tuple

from tanya.analytics.sessions import SessionSummary

RATE_DIGITS = 4
COUNTS = ("sessions", "contained", "handoffs", "abandoned", "user_turns", "fallback_turns", "agent_messages", "answers", "rated", "up", "down")


def rate(numerator: float, denominator: float) -> float:
    """A fraction in [0, 1] rounded to 4 places; 0 when there is nothing to divide by."""
    return round(numerator / denominator, RATE_DIGITS) if denominator else 0.0


def _counts(summaries: Iterable[SessionSummary]) -> Counter:
    counts: Counter = Counter({name: 0 for name in COUNTS})
    for summary in summaries:
        counts["sessions"] += 1
        counts["contained"] += summary.contained
        counts["handoffs"] += summary.handoff
        counts["abandoned"] += summary.abandoned
        counts["user_turns"] += len(summary.turns)
        counts["fallback_turns"] += summary.fallback_turns
        counts["agent_messages"] += summary.agent_messages
        for answer in summary.answers:
            counts["answers"] += 1
            if answer.rating:
                counts["rated"] += 1
                counts[answer.rating] += 1
    return counts


def _with_rates(counts: Counter) -> Dict[str, float]:
    return {
        **{name: counts[name] for name in COUNTS},
        "containment_rate": rate(counts["contained"], counts["sessions"]),
        "handoff_rate": rate(counts["handoffs"], counts["sessions"]),
        "abandonment_rate": rate(counts["abandoned"], counts["sessions"]),
        "fallback_rate": rate(counts["fallback_turns"], counts["user_turns"]),
        "csat": rate(counts["up"], counts["rated"]),
        "rating_response_rate": rate(counts["rated"], counts["answers"]),
    }


def totals(summaries: Sequence[SessionSummary]) -> Dict[str, float]:
    """Engaged sessions, contained/handoff/abandoned sessions, user and fallback turns, and their rates."""
    return _with_rates(_counts(summaries))


def _grouped(summaries: Sequence[SessionSummary], key: Callable[[SessionSummary], Tuple[Hashable, ...]]) -> List[Tuple[Tuple, Dict]]:
    groups: Dict[Tuple, List[SessionSummary]] = {}
    for summary in summaries:
        groups.setdefault(key(summary), []).append(summary)
    return [(group_key, totals(members)) for group_key, members in sorted(groups.items())]


def daily(summaries: Sequence[SessionSummary]) -> List[Dict]:
    """One row per day (all channels and languages), oldest first: the dashboard's charts over time."""
    return [{"day": day, **numbers} for (day,), numbers in _grouped(summaries, lambda s: (s.day.isoformat(),))]


def by_day(summaries: Sequence[SessionSummary]) -> List[Dict]:
    """One row per day x channel x language, sorted by them.

    A session and everything in it (its turns, answers and ratings) count in the row of the session's
    day, channel and language, so the rows add up to the totals.
    """
    return [
        {"day": day, "channel": channel, "language": language, **numbers}
        for (day, channel, language), numbers in _grouped(summaries, lambda s: (s.day.isoformat(), s.channel, s.language))
    ]


def answers_by_topic_segment(summaries: Sequence[SessionSummary]) -> List[Dict]:
    """Answers given (answer_key slot events) per topic and segment, with their ratings; most answered first."""
    counts: Dict[Tuple[str, str], Counter] = {}
    for summary in summaries:
        for answer in summary.answers:
            row = counts.setdefault((answer.topic, answer.segment), Counter())
            row["answers"] += 1
            if answer.rating:
                row[answer.rating] += 1
    rows = [
        {"topic": topic, "segment": segment, "answers": row["answers"], "up": row["up"], "down": row["down"], "csat": rate(row["up"], row["up"] + row["down"])}
        for (topic, segment), row in counts.items()
    ]
    return sorted(rows, key=lambda row: (-row["answers"], row["topic"], row["segment"]))

