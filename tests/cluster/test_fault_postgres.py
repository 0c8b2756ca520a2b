"""PostgreSQL restarts under load: turns are declined politely while it is down, and the assistant
recovers by itself (pool_pre_ping, tanya/rasa_addons/tracker_store.py), with the form where it was."""

from __future__ import annotations

import time

from tanya import messages
from tests.cluster.faults import phases, postgres, wait_for_database
from tests.cluster.forms import FormChat
from tests.cluster.traffic import Load, count, sequential_ledger, stored_events

# What may be logged while the database is away: the fault, reported (the tracker store itself only
# warns; an action that reads or writes the database fails and Rasa says so).
DATABASE_DOWN = (
    r"OperationalError|AdminShutdown|psycopg2|server closed the connection|database system is|Connection refused"
    r"|terminating connection|Action server error|Encountered an exception while running action"
    r"|Failed to execute custom action|ClientResponseError: 500"
)


def test_fault_postgres_restart(cluster, database_url):
    load = Load(cluster.url, users=8, prefix="load-postgres").start()
    time.sleep(5)
    form = FormChat(cluster.url, "id")
    for _ in range(3):
        form.step()
    marks = [("before", time.time())]

    with cluster.faults.window("PostgreSQL restart", DATABASE_DOWN):
        postgres("stop")
        marks.append(("PostgreSQL down", time.time()))
        try:
            time.sleep(1)
            position = form.position
            kind, reply = form.try_step()
            kind_en, reply_en = FormChat(cluster.url, "en").try_step()
            time.sleep(3)
        finally:
            marks.append(("PostgreSQL starting", time.time()))
            postgres("start")
        up_after = wait_for_database(database_url)
        marks.append(("PostgreSQL back", time.time()))
        down_seconds = marks[-1][1] - marks[1][1]
        time.sleep(3)
    recovered_at = time.time()
    marks.append(("after recovery", recovered_at))

    while form.steps_left():
        reference = form.step()  # the same assistant, no restart: the form continues where it was
    time.sleep(3)
    outcomes = load.stop()
    ledger = sequential_ledger(outcomes, stored_events(database_url, load.senders))
    stopped_at = marks[1][1]
    in_flight = [o for o in outcomes if o.started < stopped_at < o.ended]  # turns the stop cut through

    print(f"\n[postgres] stopped PostgreSQL (pg_ctlcluster ... stop -m fast) for {down_seconds:.1f} s, "
          f"accepting queries {up_after:.1f} s after the start command")
    print(f"[postgres] replies by phase (by start): {phases(outcomes, marks)}")
    print(f"[postgres] while down: id form got {kind!r}, en user got {kind_en!r}; form finished after recovery "
          f"({FormChat.reference_in(reference)}); load {ledger.line()}; turns in flight at the stop: {len(in_flight)}")
    assert kind == "polite" and reply == messages.text("reply_failed", "id")
    assert kind_en == "polite" and reply_en == messages.text("reply_failed", "en")
    assert position == 3 and form.position == len(form.steps)
    down = count(outcomes, marks[1][1], marks[2][1])
    assert set(down) <= {"ok", "polite"} and down["polite"] > 0, f"while down: {dict(down)}"
    after = count(outcomes, recovered_at)
    assert after and set(after) == {"ok"}, f"after recovery: {dict(after)}"
    # Turns answered while the database went away waited for it (TANYA_TRACKER_SAVE_RETRY_SECONDS).
    assert (ledger.lost, ledger.duplicated, ledger.out_of_order) == (0, 0, 0)
