"""An action server dies mid-form under load; then all of them do.

One dead action server: the balancer sends Rasa's action calls to the other one (a call already sent
to the dead one is repeated there: actions are idempotent), so no user notices anything. No action
server at all: the user is told politely, in their language, to try again; once the action servers
are back, the same answer continues the form where it stopped.
"""

from __future__ import annotations

import time
from collections import Counter

from tanya import messages
from tests.cluster.faults import phases
from tests.cluster.forms import FormChat
from tests.cluster.traffic import Load, count, sequential_ledger, stored_events

# What Rasa logs when no action server answers (the balancer's 502): the fault, reported.
ACTIONS_DOWN = (
    r"Encountered an exception while running action|Failed to execute custom action|Failed to run custom action"
    r"|ClientResponseError: 50[234]|ClientConnectorError|ServerDisconnectedError"
)


def test_fault_actions_killed_mid_form(cluster, database_url):
    load = Load(cluster.url, users=8, prefix="load-actions").start()
    time.sleep(5)
    form, form_en = FormChat(cluster.url, "id"), FormChat(cluster.url, "en")
    for _ in range(3):
        form.step()
    for _ in range(3):
        form_en.step()
    marks = [("before", time.time())]

    cluster.actions[0].kill()
    marks.append(("one action server killed", time.time()))
    for _ in range(3):
        form.step()  # the form goes on: the balancer routes around the dead server
    form_en.step()
    time.sleep(5)

    with cluster.faults.window("all action servers down", ACTIONS_DOWN):
        marks.append(("no action server", time.time()))
        cluster.actions[1].kill()
        position = form.position
        kind, reply = form.try_step()
        kind_en, reply_en = form_en.try_step()
        time.sleep(3)
        restarted = [cluster.restart(server, 120) for server in cluster.actions]
        marks.append(("action servers back", time.time()))
        time.sleep(4)  # nginx retries a backend it saw fail after 3 s
    recovered_at = time.time()
    marks.append(("after recovery", recovered_at))

    while form.steps_left():
        reference = form.step()
    while form_en.steps_left():
        form_en.step()
    time.sleep(3)
    outcomes = load.stop()
    ledger = sequential_ledger(outcomes, stored_events(database_url, load.senders))

    print(f"\n[actions] killed actions-1 mid-form, then actions-2; both restarted in "
          f"{', '.join(f'{s:.1f} s' for s in restarted)}")
    one_down = Counter(o.kind for o in outcomes if marks[1][1] < o.ended < marks[2][1])
    print(f"[actions] replies by phase (by start): {phases(outcomes, marks)}")
    print(f"[actions] turns that ended while one action server was left (incl. those cut by the kill): {dict(one_down)}")
    print(f"[actions] with no action server: id form got {kind!r}: {reply!r}; en form got {kind_en!r}: {reply_en!r}")
    print(f"[actions] both forms finished after recovery ({FormChat.reference_in(reference)}); load {ledger.line()}")
    assert kind == "polite" and kind_en == "polite"
    assert reply == messages.text("reply_failed", "id") and reply_en == messages.text("reply_failed", "en")
    assert form.position == len(form.steps) and position < form.position
    assert one_down and set(one_down) == {"ok"}, f"with one action server left, users noticed: {dict(one_down)}"
    after = count(outcomes, recovered_at)
    assert after and set(after) == {"ok"}, f"after recovery: {dict(after)}"
    assert (ledger.lost, ledger.duplicated, ledger.out_of_order) == (0, 0, 0)
