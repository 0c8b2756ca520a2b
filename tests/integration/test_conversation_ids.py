"""No channel can name another channel's conversation (tanya.channels.identity, tanya.channels.web_session).

A victim talks on one channel; an attacker on socket.io or REST names the victim's id (the WhatsApp
number, the Telegram chat id, the REST sender, the widget's session id, even the victim's internal
conversation id) and talks. The victim's stored conversation must hold only the victim's messages, and
the attacker must land in a fresh conversation of its own. WhatsApp and Telegram ids cannot be chosen
(Meta signs, Telegram sends the secret), but the same digits on both must still be two conversations.
"""

from __future__ import annotations

import json
import queue
import random
import sqlite3
import time
import uuid
from typing import Dict, List

import pytest
import socketio

from tanya.channels import identity, web_session
from tests.fakes import bot_api as tg
from tests.fakes import graph_api as wa
from tests.support.chat import Chat

ENGINEIO_PING_INTERVAL = 25  # see tests/integration/test_handoff.py: let the server's ping task end


def conversations(stack) -> Dict[str, List[str]]:
    """Every stored conversation id -> the texts of its user messages."""
    path = stack.tracker_url.split("sqlite:///", 1)[1]
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT sender_id, data FROM events WHERE type_name = 'user' ORDER BY id").fetchall()
    found: Dict[str, List[str]] = {}
    for sender, data in rows:
        found.setdefault(sender, []).append(json.loads(data).get("text") or "")
    return found


def wait_for(predicate, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("timed out")


class Widget:
    """A socket.io client that names whatever session it likes."""

    def __init__(self, stack) -> None:
        self.received: "queue.Queue[dict]" = queue.Queue()
        self.confirmed: "queue.Queue[str]" = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.received.put)
        self.client.on("session_confirm", self.confirmed.put)
        # No Origin header: a script, not a browser.
        self.client.connect(stack.rasa_url, transports=["polling"], socketio_path="socket.io")

    def request_session(self, session_id) -> str:
        self.client.emit("session_request", {"session_id": session_id})
        return self.confirmed.get(timeout=20)

    def say(self, text: str, session_id) -> str:
        self.client.emit("user_uttered", {"message": text, "session_id": session_id})
        return self.received.get(timeout=60).get("text") or ""

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture(scope="module")
def widget(stack):
    client = Widget(stack)
    yield client
    client.close()
    time.sleep(ENGINEIO_PING_INTERVAL + 2)


@pytest.fixture
def victims(stack, fakes):
    """One victim per channel, each with one message stored: (channel, the id a client could name, conversation id)."""
    tag = uuid.uuid4().hex[:6]
    number = f"628{random.randint(10 ** 9, 10 ** 10 - 1)}"
    status, _ = wa.post_webhook(f"{stack.rasa_url}/webhooks/whatsapp/webhook",
                                wa.webhook_body([wa.text_message(number, f"halo dari wa {tag}")]), "valid")
    assert status == 200
    chat_id = random.randint(10 ** 8, 10 ** 9)
    status, _ = tg.post_update(f"{stack.rasa_url}/webhooks/telegram/webhook",
                               tg.message_update(chat_id, f"halo dari tg {tag}", "id"), tg.SECRET_TOKEN)
    assert status == 200
    rest = Chat(stack.rasa_url, sender=f"victim-{tag}")
    rest.say(f"halo dari rest {tag}")
    result = {
        "whatsapp": (number, identity.conversation_id("whatsapp", number)),
        "telegram": (str(chat_id), identity.conversation_id("telegram", str(chat_id))),
        "rest": (rest.sender, rest.conversation),
    }
    wait_for(lambda: all(conversation in conversations(stack) for _, conversation in result.values()))
    return tag, result


def test_a_socketio_client_naming_another_channels_id_gets_a_fresh_conversation_of_its_own(stack, widget, victims):
    tag, known = victims
    before = conversations(stack)
    for channel, (named, victim_conversation) in known.items():
        for claimed in (named, victim_conversation, f"wa:{named}"):
            confirmed = widget.request_session(claimed)
            own = web_session.verified(confirmed)
            assert own and confirmed != claimed  # the server's session, not the named one
            reply = widget.say(f"serangan {channel} {tag}", claimed)  # and it names the victim's id again
            assert reply  # answered, as in any fresh conversation
            stored = conversations(stack)
            assert stored[victim_conversation] == before[victim_conversation], f"{channel} victim's conversation changed"
            assert stored[identity.conversation_id("socketio", own)] == [f"serangan {channel} {tag}"]


def test_a_socketio_message_without_a_session_request_cannot_join_another_conversation(stack, victims):
    tag, known = victims
    number, victim_conversation = known["whatsapp"]
    client = Widget(stack)
    try:
        before = conversations(stack)[victim_conversation]
        assert client.say(f"tanpa sesi {tag}", number)
        own = web_session.verified(client.confirmed.get(timeout=5))  # a session was issued on the spot
        assert conversations(stack)[victim_conversation] == before
        assert conversations(stack)[identity.conversation_id("socketio", own)] == [f"tanpa sesi {tag}"]
    finally:
        client.close()


def test_a_rest_sender_naming_another_channels_id_stays_in_a_rest_conversation(stack, widget, victims):
    tag, known = victims
    token = widget.request_session(None)
    web_conversation = identity.conversation_id("socketio", web_session.verified(token))
    widget.say(f"halo dari web {tag}", token)
    named = {**{channel: value for channel, value in known.items() if channel != "rest"},
             "socketio": (token, web_conversation)}
    before = conversations(stack)
    for channel, (address, victim_conversation) in named.items():
        for claimed in (address, victim_conversation, web_session.verified(token)):
            attacker = Chat(stack.rasa_url, sender=claimed)
            assert attacker.say(f"serangan rest {channel} {tag}")
            stored = conversations(stack)
            assert stored[victim_conversation] == before.get(victim_conversation), f"{channel} victim's conversation changed"
            assert f"serangan rest {channel} {tag}" in stored[attacker.conversation]
            assert attacker.conversation.startswith("rest:")


def test_the_same_digits_on_whatsapp_and_telegram_are_two_conversations(stack, fakes):
    digits = str(random.randint(10 ** 9, 10 ** 10 - 1))
    wa.post_webhook(f"{stack.rasa_url}/webhooks/whatsapp/webhook", wa.webhook_body([wa.text_message(digits, "halo wa")]), "valid")
    tg.post_update(f"{stack.rasa_url}/webhooks/telegram/webhook", tg.message_update(int(digits), "halo tg", "id"), tg.SECRET_TOKEN)
    on_whatsapp, on_telegram = identity.conversation_id("whatsapp", digits), identity.conversation_id("telegram", digits)
    stored = wait_for(lambda: (lambda c: c if on_whatsapp in c and on_telegram in c else None)(conversations(stack)))
    assert stored[on_whatsapp] == ["halo wa"] and stored[on_telegram] == ["halo tg"]


def test_no_stored_conversation_id_holds_a_phone_number(stack, victims):
    _, known = victims
    number = known["whatsapp"][0]
    path = stack.tracker_url.split("sqlite:///", 1)[1]
    with sqlite3.connect(path) as db:
        senders = {sender for (sender,) in db.execute("SELECT DISTINCT sender_id FROM events")}
    assert not any(number in sender for sender in senders)
    assert all(identity.channel_of(sender) for sender in senders)  # every conversation belongs to a channel
