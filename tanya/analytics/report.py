"""The whole report, as the CLI prints it and the dashboard's API serves it (plain JSON-ready data)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Dict, Mapping, Optional, Sequence

from tanya.analytics.definitions import Definitions
from tanya.analytics.funnel import funnel
from tanya.analytics.metrics import answers_by_topic_segment, by_day, csat, totals
from tanya.analytics.sessions import in_period, summarise_all
from tanya.analytics.unanswered import fallback_questions, top_unanswered


def build_report(
    conversations: Mapping[str, Sequence[dict]],
    definitions: Definitions,
    now: float,
    since: Optional[date] = None,
    until: Optional[date] = None,
) -> Dict:
    """Every number over the engaged sessions whose day lies in [since, until] (both included)."""
    summaries = in_period(summarise_all(conversations, definitions, now), since, until)
    return {
        "period": {
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
            "timezone": definitions.timezone,
            "as_of": datetime.fromtimestamp(now, tz=timezone.utc).astimezone(definitions.zone).isoformat(timespec="seconds"),
        },
        **totals(summaries),
        "by_day": by_day(summaries),
        "answers_by_topic_segment": answers_by_topic_segment(summaries),
        "csat": csat(summaries),
        "funnel": funnel(summaries),
        "top_unanswered": top_unanswered(
            fallback_questions(summaries), definitions.similarity, definitions.top_unanswered_limit
        ),
    }
