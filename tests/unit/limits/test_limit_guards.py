"""The handoff and status-check limits against a real database (SQLite, then PostgreSQL): counted per
sender and globally, sliding windows, locks that end, pruned rows, pseudonymous keys."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func

from tanya.db import session_scope
from tanya.limits import guards, store
from tanya.limits.rules import Rule

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)
HANDOFFS = guards.HandoffRules(per_sender=Rule(3, timedelta(hours=1)), overall=Rule(5, timedelta(minutes=1)))
STATUS = guards.StatusRules(
    per_sender=Rule(2, timedelta(hours=1), lock=timedelta(hours=1)),
    overall=Rule(3, timedelta(minutes=1), lock=timedelta(minutes=2)),
)


@pytest.fixture
def db(migrated_db):
    return migrated_db


def admit(db, sender, now=NOW, rules=HANDOFFS):
    with session_scope(db) as session:
        return guards.admit_handoff(session, sender, rules, now)


def fail(db, sender, now=NOW):
    with session_scope(db) as session:
        guards.count_status_failure(session, sender, STATUS, now)


def refusal(db, sender, now=NOW):
    with session_scope(db) as session:
        return guards.status_refusal(session, sender, now)


def test_a_sender_opens_three_handoffs_an_hour_and_no_fourth(db):
    assert [admit(db, "rest:alice", NOW + timedelta(minutes=n)) for n in range(4)] == [None, None, None, guards.SENDER]
    assert admit(db, "rest:bob", NOW + timedelta(minutes=4)) is None  # somebody else is not held by alice's
    # the window slides: an hour after alice's first handoff, one place is free again
    assert admit(db, "rest:alice", NOW + timedelta(minutes=60, seconds=1)) is None
    assert admit(db, "rest:alice", NOW + timedelta(minutes=60, seconds=2)) == guards.SENDER


def test_every_sender_together_opens_at_most_the_minute_s_handoffs(db):
    assert [admit(db, f"rest:{n}", NOW + timedelta(seconds=n)) for n in range(6)] == [None] * 5 + [guards.BUSY]
    assert admit(db, "rest:late", NOW + timedelta(seconds=61)) is None


def test_a_refused_handoff_is_not_counted(db):
    for n in range(5):
        admit(db, "rest:alice" if n < 3 else f"rest:{n}", NOW)
    assert admit(db, "rest:alice", NOW) == guards.SENDER
    with session_scope(db) as session:
        assert store.count_since(session, guards.HANDOFF_ALL, NOW - timedelta(minutes=1)) == 5


def test_limits_of_zero_admit_every_handoff(db):
    off = guards.HandoffRules(per_sender=Rule(0, timedelta(hours=1)), overall=Rule(0, timedelta(minutes=1)))
    assert all(admit(db, "rest:alice", NOW, rules=off) is None for _ in range(50))


def test_a_sender_s_failures_lock_that_sender_only_until_the_lock_ends(db):
    fail(db, "wa:guesser")
    assert refusal(db, "wa:guesser") is None
    fail(db, "wa:guesser")
    assert refusal(db, "wa:guesser") == guards.SENDER
    assert refusal(db, "tg:owner") is None
    assert refusal(db, "wa:guesser", NOW + timedelta(minutes=59)) == guards.SENDER
    assert refusal(db, "wa:guesser", NOW + timedelta(minutes=60, seconds=1)) is None


def test_failures_from_everyone_pause_every_check_briefly(db):
    for n in range(3):
        fail(db, f"rest:made-up-{n}", NOW + timedelta(seconds=n))
    assert refusal(db, "tg:owner", NOW + timedelta(seconds=3)) == guards.BUSY
    assert refusal(db, "tg:owner", NOW + timedelta(minutes=2, seconds=3)) is None


def test_failures_spread_over_more_than_the_window_lock_nobody(db):
    fail(db, "wa:slow", NOW)
    fail(db, "wa:slow", NOW + timedelta(minutes=61))
    assert refusal(db, "wa:slow", NOW + timedelta(minutes=61)) is None


def test_old_events_are_pruned_as_new_ones_are_written_and_keys_are_pseudonymous(db):
    for hour in range(0, 10, 2):  # two hours apart: each write prunes the one before
        admit(db, "rest:alice", NOW + timedelta(hours=hour))
    with session_scope(db) as session:
        keys = [key for (key,) in session.query(store.LimitEvent.key)]
        per_sender = session.query(func.count(store.LimitEvent.id)).filter(
            store.LimitEvent.key == guards.sender_key("handoff", "rest:alice")
        ).scalar()
    assert per_sender == 1  # only the newest is still within an hour
    assert keys and not any("alice" in key for key in keys)


def test_forget_before_drops_ended_events_and_locks(db):
    fail(db, "wa:guesser")
    fail(db, "wa:guesser")
    with session_scope(db) as session:
        assert store.forget_before(session, NOW + timedelta(days=1)) >= 3
    assert refusal(db, "wa:guesser") is None
