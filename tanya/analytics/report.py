"""The whole report, as the CLI prints it and the dashboard's API serves it (plain JSON-ready data)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Dict, Mapping, Optional, Sequence

from tanya.analytics.definitions import Definitions
from tanya.analytics.funnel import funnel
from tanya.analytics.metrics import answers_by_topic_segment, by_day, daily, totals
from tanya.analytics.sessions import dimensions, in_period, matching, summarise_all
from tanya.analytics.unanswered import fallback_questions, top_unanswered


def build_report(
    conversations: Mapping[str, Sequence[dict]],
    definitions: Definitions,
    now: float,
    since: Optional[date] = None,
    until: Optional[date] = None,
    channel: Optional[str] = None,
    language: Optional[str] = None,
) -> Dict:
    """Every number over the engaged sessions whose day lies in [since, until] (both included), of one
    channel and/or language when given."""
    in_dates = in_period(summarise_all(conversations, definitions, now), since, until)
    summaries = matching(in_dates, channel, language)
    return {
        "period": {
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
            "timezone": definitions.timezone,
            "as_of": datetime.fromtimestamp(now, tz=timezone.utc).astimezone(definitions.zone).isoformat(timespec="seconds"),
        },
        "filters": {"channel": channel, "language": language},
        # What the period holds without the filters, so a dashboard can offer them.
        "available": dimensions(in_dates),
        **totals(summaries),
        "daily": daily(summaries),
        "by_day": by_day(summaries),
        "answers_by_topic_segment": answers_by_topic_segment(summaries),
        "funnel": funnel(summaries),
        "top_unanswered": top_unanswered(
            fallback_questions(summaries), definitions.similarity, definitions.top_unanswered_limit
        ),
    }
