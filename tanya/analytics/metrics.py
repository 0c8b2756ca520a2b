"""Containment, handoffs, fallbacks, answers and ratings: pure aggregates over session summaries."""

from __future__ import annotations

from collections import Counter
from typing import Dict, Iterable, List, Sequence, Tuple

from tanya.analytics.sessions import SessionSummary

RATE_DIGITS = 4


def rate(numerator: float, denominator: float) -> float:
    """A fraction in [0, 1] rounded to 4 places; 0 when there is nothing to divide by."""
    return round(numerator / denominator, RATE_DIGITS) if denominator else 0.0


def _counts(summaries: Iterable[SessionSummary]) -> Counter:
    counts: Counter = Counter()
    for summary in summaries:
        counts["sessions"] += 1
        counts["contained"] += summary.contained
        counts["handoffs"] += summary.handoff
        counts["abandoned"] += summary.abandoned
        counts["user_turns"] += len(summary.turns)
        counts["fallback_turns"] += sum(turn.fallback for turn in summary.turns)
    return counts


def _with_rates(counts: Counter) -> Dict[str, float]:
    return {
        "sessions": counts["sessions"],
        "contained": counts["contained"],
        "handoffs": counts["handoffs"],
        "abandoned": counts["abandoned"],
        "user_turns": counts["user_turns"],
        "fallback_turns": counts["fallback_turns"],
        "containment_rate": rate(counts["contained"], counts["sessions"]),
        "handoff_rate": rate(counts["handoffs"], counts["sessions"]),
        "fallback_rate": rate(counts["fallback_turns"], counts["user_turns"]),
    }


def totals(summaries: Sequence[SessionSummary]) -> Dict[str, float]:
    """Engaged sessions, contained/handoff/abandoned sessions, user and fallback turns, and their rates."""
    return _with_rates(_counts(summaries))


def by_day(summaries: Sequence[SessionSummary]) -> List[Dict]:
    """One row per day x channel x language, sorted by them.

    Sessions count under their own language; user turns (and fallback turns) under the turn's language,
    so an English question in a session that began in Indonesian counts as English.
    """
    rows: Dict[Tuple[str, str, str], Counter] = {}
    for summary in summaries:
        day = summary.day.isoformat()
        session_row = rows.setdefault((day, summary.channel, summary.language), Counter())
        session_row["sessions"] += 1
        session_row["contained"] += summary.contained
        session_row["handoffs"] += summary.handoff
        session_row["abandoned"] += summary.abandoned
        for turn in summary.turns:
            turn_row = rows.setdefault((day, summary.channel, turn.language), Counter())
            turn_row["user_turns"] += 1
            turn_row["fallback_turns"] += turn.fallback
    return [
        {"day": day, "channel": channel, "language": language, **_with_rates(counts)}
        for (day, channel, language), counts in sorted(rows.items())
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
        {"topic": topic, "segment": segment, "answers": row["answers"], "up": row["up"], "down": row["down"]}
        for (topic, segment), row in counts.items()
    ]
    return sorted(rows, key=lambda row: (-row["answers"], row["topic"], row["segment"]))


def csat(summaries: Sequence[SessionSummary]) -> Dict[str, float]:
    """CSAT = 👍 / (👍 + 👎) over rated answers; response rate = rated answers / answers."""
    ratings = Counter(answer.rating for summary in summaries for answer in summary.answers)
    answers = sum(ratings.values())
    up, down = ratings["up"], ratings["down"]
    return {
        "answers": answers,
        "rated": up + down,
        "up": up,
        "down": down,
        "csat": rate(up, up + down),
        "response_rate": rate(up + down, answers),
    }
