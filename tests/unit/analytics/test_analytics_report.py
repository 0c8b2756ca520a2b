"""The whole report over the prepared month (analytics_events), against numbers counted by hand."""

from datetime import date

import pytest
from analytics_events import (
    EXPECTED_ANSWERS,
    EXPECTED_BY_DAY,
    EXPECTED_DAILY,
    EXPECTED_FUNNEL,
    EXPECTED_RATES,
    EXPECTED_TOP_UNANSWERED,
    EXPECTED_TOTALS,
    NOW,
    SINCE,
    UNTIL,
    event_dicts,
)

from tanya.analytics.definitions import load_definitions
from tanya.analytics.metrics import rate
from tanya.analytics.report import build_report

DEFINITIONS = load_definitions()


@pytest.fixture(scope="module")
def report():
    return build_report(event_dicts(), DEFINITIONS, NOW, date.fromisoformat(SINCE), date.fromisoformat(UNTIL))


def test_totals_and_rates_match_the_hand_count(report):
    assert {key: report[key] for key in EXPECTED_TOTALS} == EXPECTED_TOTALS
    assert {key: report[key] for key in EXPECTED_RATES} == EXPECTED_RATES
    # contained + handed off + abandoned: every engaged session exactly once
    assert report["contained"] + report["handoffs"] + report["abandoned"] == report["sessions"]


def test_rows_per_day_channel_and_language(report):
    assert report["by_day"] == EXPECTED_BY_DAY
    for key in ("sessions", "contained", "handoffs", "abandoned", "user_turns", "fallback_turns", "answers", "up", "down"):
        assert sum(row[key] for row in report["by_day"]) == report[key], key


def test_series_per_day_for_the_charts(report):
    assert report["daily"] == EXPECTED_DAILY


def test_answers_by_topic_and_segment_with_their_ratings(report):
    assert report["answers_by_topic_segment"] == EXPECTED_ANSWERS
    assert (report["csat"], report["rating_response_rate"]) == (0.5, 0.6667)


def test_top_unanswered_are_grouped_and_masked(report):
    assert report["top_unanswered"] == EXPECTED_TOP_UNANSWERED
    shown = repr(report)
    assert "3273 0155 0101 0001" not in shown and "3273015501010001" not in shown


def test_pre_registration_funnel(report):
    assert report["funnel"] == EXPECTED_FUNNEL


def test_the_period_is_by_local_day_of_the_first_message():
    everything = build_report(event_dicts(), DEFINITIONS, NOW)
    assert everything["sessions"] == 12  # early-1 (20 November) too
    assert everything["abandoned"] == 3  # its clarification was never answered
    first_day = build_report(event_dicts(), DEFINITIONS, NOW, date(2026, 12, 1), date(2026, 12, 1))
    assert first_day["sessions"] == 8  # fallback-1 began at 06:00 local on 1 December (still 30 November in UTC)
    assert [row["day"] for row in first_day["daily"]] == ["2026-12-01"]
    assert build_report(event_dicts(), DEFINITIONS, NOW, date(2026, 12, 3))["sessions"] == 0


def test_filters_keep_one_channel_or_language_and_say_what_is_available():
    whatsapp = build_report(event_dicts(), DEFINITIONS, NOW, date.fromisoformat(SINCE), date.fromisoformat(UNTIL), channel="whatsapp")
    assert (whatsapp["sessions"], whatsapp["handoffs"], whatsapp["abandoned"], whatsapp["fallback_turns"]) == (2, 1, 1, 2)
    assert whatsapp["available"] == {"channels": ["rest", "socketio", "telegram", "whatsapp"], "languages": ["en", "id"]}
    english = build_report(event_dicts(), DEFINITIONS, NOW, language="en")
    assert english["sessions"] == 3 and {row["language"] for row in english["by_day"]} == {"en"}
    assert english["filters"] == {"channel": None, "language": "en"}


def test_an_empty_store_gives_zeros_not_errors():
    empty = build_report({}, DEFINITIONS, NOW)
    assert (empty["sessions"], empty["containment_rate"], empty["fallback_rate"], empty["csat"]) == (0, 0.0, 0.0, 0.0)
    assert empty["top_unanswered"] == [] and empty["funnel"]["started"] == 0 and empty["daily"] == []


def test_rates_are_rounded_fractions_and_zero_without_a_denominator():
    assert rate(2, 3) == 0.6667 and rate(1, 8) == 0.125 and rate(5, 0) == 0.0
