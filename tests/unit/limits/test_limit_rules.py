"""The counting logic of a limit (tanya.limits.rules): what fits, what fills a rule, how long a lock lasts."""

from datetime import datetime, timedelta, timezone

from tanya.limits.rules import Rule, allows, lock_end, reached, window_start

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)
THREE_AN_HOUR = Rule(3, timedelta(hours=1))


def test_a_rule_allows_events_until_its_limit():
    assert [allows(THREE_AN_HOUR, counted) for counted in range(5)] == [True, True, True, False, False]


def test_the_event_that_fills_a_rule_is_the_limit_th():
    assert [reached(THREE_AN_HOUR, counted) for counted in range(1, 5)] == [False, False, True, True]


def test_the_window_slides_back_from_now():
    assert window_start(THREE_AN_HOUR, NOW) == datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)


def test_a_lock_lasts_its_own_length_and_a_rule_without_one_has_none():
    paused = Rule(30, timedelta(minutes=1), lock=timedelta(minutes=2))
    assert lock_end(paused, NOW) == NOW + timedelta(minutes=2)
    assert lock_end(THREE_AN_HOUR, NOW) is None


def test_a_limit_of_zero_switches_the_rule_off():
    off = Rule(0, timedelta(minutes=1), lock=timedelta(minutes=2))
    assert allows(off, 10_000) and not reached(off, 10_000) and lock_end(off, NOW) is None
