"""A Rasa instance is killed (SIGKILL) under load, mid-form: the balancer routes around it, no
conversation is lost, and the form continues on the other instance from PostgreSQL.

A message the dead instance was working on gets the balancer's 503 ("try again"); a client sends it
again. Its conversation's lock ticket is no longer renewed and expires within one lease
(TANYA_LOCK_LEASE_SECONDS), so the next message of that conversation waits at most that long.
"""

from __future__ import annotations

import time

from tests.cluster.faults import phases
from tests.cluster.forms import FormChat
from tests.cluster.traffic import Load, count, sequential_ledger, stored_events


def test_fault_rasa_instance_killed(cluster, database_url):
    load = Load(cluster.url, users=10, prefix="load-rasa").start()
    time.sleep(8)
    form = FormChat(cluster.url, "id")
    for _ in range(4):
        form.step()
    marks = [("before", time.time())]

    kill_started = time.time()
    cluster.rasa[0].kill()
    killed_at = time.time()
    marks.append(("rasa-1 killed", killed_at))
    while form.steps_left():
        reference = form.step()  # on rasa-2 now, from the conversation in PostgreSQL
    time.sleep(15)
    outcomes = load.stop()
    ledger = sequential_ledger(outcomes, stored_events(database_url, load.senders))
    after = [o for o in outcomes if o.started >= killed_at]
    late = [o for o in after if o.started >= killed_at + 15]
    slowest = max((o.seconds for o in after), default=0)
    continued = {o.sender for o in after if o.kind == "ok"}

    print(f"\n[rasa] killed rasa-1 (SIGKILL) under load with a form at step 5 of {len(form.steps)}; "
          f"the form finished on rasa-2 ({FormChat.reference_in(reference)}) after {form.retries} balancer retry(ies)")
    print(f"[rasa] replies by phase (by start): {phases(outcomes, marks)}; slowest reply after the kill {slowest:.1f} s")
    print(f"[rasa] load conversations that continued: {len(continued)}/{load.users}; load {ledger.line()}; "
          f"{len([o for o in outcomes if o.kind != 'ok'])} load messages failed ({dict(count(o for o in outcomes if o.kind != 'ok'))})")
    assert form.position == len(form.steps)
    assert len(continued) == load.users, "a conversation did not continue after the kill"
    assert set(count(late)) == {"ok"}, f"15 s after the kill, still failures: {dict(count(late))}"
    failed = [o for o in outcomes if o.kind != "ok"]
    in_flight = [o for o in outcomes if o.started < killed_at and o.ended > kill_started]
    assert len(failed) <= len(in_flight), "more failures than messages that were in flight at the kill"
    assert (ledger.lost, ledger.duplicated, ledger.out_of_order) == (0, 0, 0)
