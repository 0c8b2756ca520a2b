"""Limits that protect people and the servers, through the real Rasa stack (tanya.limits, tanya.http_limits)
and the real demo web server (scripts/serve_web.py).

This module starts an assistant of its own with small limits (so a test reaches them in a few turns and
no other test ever meets them) and the counters emptied before each test:
- the 4th handoff of one sender within the hour gets the call center (175) and opens no desk conversation;
- every sender together opens at most the minute's handoffs;
- a sender guessing a reference's digits is locked, while the owner on their own channel still checks;
- failures from everyone together pause every check for a while;
- a client that trickles a body or never finishes its headers is disconnected by the deadline, by Rasa
  and by the web server (the seconds are printed: run with -s to see them); an idle one by keep-alive;
- connections beyond the per-client cap are refused.
"""

from __future__ import annotations

import socket
import subprocess
import time

import pytest

from tanya.handoff import bridge
from tanya.limits import store as limits_store
from tests.integration.test_registration import complete_bpu, fresh_nik
from tests.support.chat import Chat
from tests.support.stack import PYTHON, ROOT, Stack, free_port, wait_http

REQUEST_TIMEOUT = 5.0
KEEP_ALIVE = 2.0
PER_CLIENT = 8
LIMITS = {
    "TANYA_HANDOFF_MAX_PER_SENDER": "3",
    "TANYA_HANDOFF_MAX_PER_MINUTE": "5",
    "TANYA_STATUS_MAX_FAILURES": "3",
    "TANYA_STATUS_MAX_FAILURES_PER_MINUTE": "6",
    "TANYA_STATUS_PAUSE_MINUTES": "2",
    "TANYA_REQUEST_TIMEOUT_SECONDS": str(REQUEST_TIMEOUT),
    "TANYA_KEEP_ALIVE_TIMEOUT_SECONDS": str(KEEP_ALIVE),
    "TANYA_MAX_CONNECTIONS_PER_CLIENT": str(PER_CLIENT),
}
ASK_PERSON = "saya mau bicara dengan petugas"
LIMITED_SENDER_ID = "sudah beberapa kali diteruskan kepada petugas"
LIMITED_BUSY_ID = "banyak sekali permintaan untuk berbicara dengan petugas"
STATUS_BUSY_ID = "pengecekan status sedang dihentikan sebentar"


@pytest.fixture(scope="module")
def limited(tmp_path_factory, fakes):
    env = {**LIMITS}
    for fake in fakes.values():
        env.update(fake.env)
    running = Stack(tmp_path_factory.mktemp("limited-stack"), extra_env=env).start()
    yield running
    running.stop()
    problems = running.log_problems()
    assert not problems, "errors in the servers' logs:\n" + "\n".join(problems[:40])


@pytest.fixture(autouse=True)
def fresh_counters(request):
    """Every test starts with no counted handoffs or failures (the limits hold across tests otherwise)."""
    if "limited" in request.fixturenames:
        from tanya.db import session_scope

        with session_scope(request.getfixturevalue("limited").database_url) as session:
            session.query(limits_store.LimitEvent).delete()
            session.query(limits_store.LimitLock).delete()
    yield


@pytest.fixture
def desk(fakes):
    fake = fakes["chatwoot"]
    fake.outage(False)
    return fake


def desk_conversations(desk, chat: Chat) -> list:
    source = bridge.desk_identifier("rest", chat.conversation)
    return [c for c in list(desk.conversations.values()) if c.source_id == source]


# -- handoffs ------------------------------------------------------------------------------------------


def test_the_fourth_handoff_of_one_sender_within_the_hour_gets_the_call_center_and_no_desk_conversation(limited, desk):
    chat = Chat(limited.rasa_url)
    webhook = f"{limited.rasa_url}/webhooks/chatwoot/webhook"
    chat.say("halo")
    for round_ in range(3):
        opened = chat.text(ASK_PERSON)
        assert "teruskan kepada petugas" in opened and "175" in opened, (round_, opened)
        desk.wait_for(lambda n=round_: len(desk_conversations(desk, chat)) == n + 1)
        conversation = desk_conversations(desk, chat)[-1]
        assert desk.resolve(webhook, conversation.id) == (200, {"status": "resumed"})
    before = len(desk.conversations)
    refused = chat.text(ASK_PERSON)
    assert LIMITED_SENDER_ID in refused and "175" in refused
    time.sleep(1)  # a desk call, had there been one, would have arrived by now
    assert len(desk_conversations(desk, chat)) == 3 and len(desk.conversations) == before
    # the conversation stays with the assistant, which still answers
    assert "BPU" in chat.text("apa syarat daftar BPU?")


def test_every_sender_together_opens_at_most_the_minute_s_handoffs(limited, desk):
    chats = [Chat(limited.rasa_url) for _ in range(6)]
    for chat in chats[:5]:
        assert "175" in chat.text(ASK_PERSON)
    desk.wait_for(lambda: all(desk_conversations(desk, chat) for chat in chats[:5]))
    before = len(desk.conversations)
    refused = chats[5].text("I want to talk to a human agent")
    assert "a great many people are asking for our staff" in refused and "175" in refused
    time.sleep(1)
    assert desk_conversations(desk, chats[5]) == [] and len(desk.conversations) == before
    assert LIMITED_BUSY_ID in Chat(limited.rasa_url).text(ASK_PERSON)


# -- status checks --------------------------------------------------------------------------------------


def registered(stack) -> tuple:
    """A fresh BPU pre-registration by its own sender: (owner's Chat, reference)."""
    owner = Chat(stack.rasa_url)
    complete_bpu(owner, fresh_nik())
    reply = owner.text("/affirm")
    return owner, reply.split("Nomor referensi: ")[1].split(" ")[0]


def check(chat: Chat, reference: str, digits: str) -> str:
    chat.text(f"cek status {reference}")
    return chat.text(digits)


def test_a_guessing_sender_is_locked_while_the_owner_still_checks_from_their_own_channel(limited):
    owner, reference = registered(limited)
    guesser = Chat(limited.rasa_url)
    for _ in range(3):
        assert "tidak dapat saya temukan" in check(guesser, reference, "2222")
    locked = check(guesser, reference, "7890")  # the right digits, from the locked sender
    assert "dikunci" in locked and "terkirim" not in locked and "175" in locked
    assert "terkirim" in check(owner, reference, "7890")
    assert "terkirim" in check(Chat(limited.rasa_url), reference, "7890")  # anyone else with the digits too


def test_failures_from_everyone_together_pause_every_status_check(limited):
    owner, reference = registered(limited)
    for _ in range(3):  # a client making up a new sender for every two guesses
        guesser = Chat(limited.rasa_url)
        for _ in range(2):
            assert "tidak dapat saya temukan" in check(guesser, reference, "3333")
    paused = check(owner, reference, "7890")
    assert STATUS_BUSY_ID in paused and "2 menit" in paused and "175" in paused and "terkirim" not in paused
    english = Chat(limited.rasa_url)
    english.text(f"check status {reference}")
    assert "status checks are paused for a short while" in english.text("7890")


# -- connections ------------------------------------------------------------------------------------------


def seconds_until_closed(sock: socket.socket, trickle: bytes = b"", every: float = 0.5, limit: float = 120.0) -> float:
    """Seconds until the server closes `sock`, while the client trickles `trickle` one byte every `every`
    seconds (or sends nothing). Whatever the server answers before closing (a 408) is read and dropped."""
    started = time.monotonic()
    sock.settimeout(every)
    index = 0
    while time.monotonic() - started < limit:
        try:
            if trickle:
                sock.send(trickle[index % len(trickle) :][:1])
                index += 1
            if sock.recv(65536) == b"":
                return time.monotonic() - started
        except socket.timeout:
            continue
        except OSError:  # reset, or a send on a socket the server closed
            return time.monotonic() - started
    return float("inf")


BODY_HEAD = (b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
             b"Content-Length: 100000\r\n\r\n")


def test_rasa_disconnects_a_trickled_body_unfinished_headers_and_an_idle_client(limited):
    address = ("127.0.0.1", limited.rasa_port)
    measured = {}
    with socket.create_connection(address) as sock:
        sock.sendall(BODY_HEAD + b'{"sender": "slow", "message": "')
        measured["trickled body"] = seconds_until_closed(sock, trickle=b"a")
    with socket.create_connection(address) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        measured["unfinished headers"] = seconds_until_closed(sock, trickle=b"X-Slow: aaaaaaaaaaaaaaaa\r\n")
    with socket.create_connection(address) as sock:
        measured["idle connection"] = seconds_until_closed(sock)
    for what, seconds in measured.items():
        print(f"Rasa closed a client ({what}) after {seconds:.1f} s "
              f"(request timeout {REQUEST_TIMEOUT} s, keep-alive {KEEP_ALIVE} s)")
    assert measured["trickled body"] < 2 * REQUEST_TIMEOUT
    assert measured["unfinished headers"] < 2 * REQUEST_TIMEOUT
    assert measured["idle connection"] < 2 * REQUEST_TIMEOUT
    assert Chat(limited.rasa_url).say("halo")  # and it still serves everyone else


def test_rasa_refuses_connections_beyond_the_per_client_cap(limited):
    address = ("127.0.0.1", limited.rasa_port)
    held = []
    try:
        for _ in range(PER_CLIENT):
            sock = socket.create_connection(address)
            sock.sendall(b"GET / HTTP/1.1\r\n")  # a request begun, so keep-alive does not close it
            held.append(sock)
        time.sleep(0.3)
        with socket.create_connection(address) as extra:
            assert seconds_until_closed(extra, limit=3) < 1.0  # closed as it opens, before any timeout
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.3)
    assert Chat(limited.rasa_url).say("halo")  # the closed ones freed their places


@pytest.fixture(scope="module")
def web_server(limited):
    port = free_port()
    env = {**limited.env, "TANYA_REQUEST_TIMEOUT_SECONDS": "3", "TANYA_MAX_CONNECTIONS_PER_CLIENT": "4"}
    process = subprocess.Popen([PYTHON, "scripts/serve_web.py", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_http(f"http://127.0.0.1:{port}/", 60)
        yield ("127.0.0.1", port)
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=30)
        assert b"Traceback" not in errors and b"ERROR" not in errors, errors.decode(errors="replace")


def test_the_web_server_disconnects_slow_clients_and_caps_connections_per_client(web_server):
    measured = {}
    with socket.create_connection(web_server) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\n")
        measured["unfinished headers"] = seconds_until_closed(sock, trickle=b"X-Slow: aaaaaaaaaaaaaaaa\r\n")
    with socket.create_connection(web_server) as sock:
        measured["idle connection"] = seconds_until_closed(sock)
    for what, seconds in measured.items():
        print(f"the web server closed a client ({what}) after {seconds:.1f} s (request timeout 3 s)")
    assert all(seconds < 2 * 3 for seconds in measured.values())
    held = [socket.create_connection(web_server) for _ in range(4)]
    try:
        time.sleep(1.5)  # under load the server accepts the held connections late: count them first
        with socket.create_connection(web_server) as extra:
            assert seconds_until_closed(extra, limit=2) < 1.0
    finally:
        for sock in held:
            sock.close()
