"""The handoff round trip through the real Rasa server and the fake Chatwoot desk (tests/fakes/chatwoot.py).

User asks for a person -> contact and conversation in the desk, the context note private and masked,
status open -> the user's messages are forwarded (Rasa stays silent, one notice) -> a signed agent reply
reaches the user (REST: in the answer to the next POST; widget: pushed on the socket) -> unsigned,
wrongly signed and stale replies are refused, private notes are not shown -> resolving gives the
conversation back, the user is told, and the assistant answers again. And with the desk down, the
handoff still gives the call center and the e-mail.
"""

from __future__ import annotations

import json
import queue
import time
import uuid

import pytest
import socketio

from tanya.channels import identity, web_session
from tanya.handoff import bridge
from tests.support.chat import Chat, post

NIK = "3273015501010001"
PHONE = "0812 3456 7890"
FORWARDED_ID = "Pesan Anda sudah diteruskan kepada petugas. Mohon tunggu balasannya di sini."
RESUMED_ID = "Petugas telah menyelesaikan percakapan ini."
RESUMED_EN = "The agent has finished this conversation."
ENGINEIO_PING_INTERVAL = 25  # python-engineio's default, which the widget's socket.io server keeps


@pytest.fixture
def desk(fakes):
    fake = fakes["chatwoot"]
    fake.outage(False)
    yield fake
    fake.outage(False)


@pytest.fixture
def webhook(stack) -> str:
    return f"{stack.rasa_url}/webhooks/chatwoot/webhook"


def raw_say(chat: Chat, message: str):
    """(status, replies) without Chat.say's "there must be a reply" check: silence is expected here."""
    return post(chat.url, json.dumps({"sender": chat.sender, "message": message}).encode())


def texts(replies) -> list:
    return [reply.get("text") or "" for reply in replies]


def desk_conversation(desk, channel: str, sender: str):
    return desk.wait_for(lambda: desk.conversation_by_source(bridge.desk_identifier(channel, sender)))


def test_rest_round_trip_with_an_agent(stack, chat, desk, webhook):
    chat.say(f"NIK saya {NIK}")
    chat.say(f"nomor HP saya {PHONE}")
    opened = chat.text("saya mau bicara dengan petugas")
    assert "petugas" in opened and "175" in opened

    conversation = desk_conversation(desk, "rest", chat.conversation)
    assert conversation.status == "open"
    note = conversation.messages[0]
    assert note["private"] is True and note["message_type"] == "outgoing"
    content = note["content"]
    assert "Kanal: rest" in content and "Bahasa pengguna: Bahasa Indonesia" in content
    assert "Pengguna: NIK saya ************0001" in content
    assert "Pengguna: nomor HP saya **** **** 7890" in content
    assert "Pengguna: saya mau bicara dengan petugas" in content
    assert NIK not in content and "081234567890" not in content.replace(" ", "")
    contact = desk.contacts[conversation.contact_id]
    assert contact["identifier"] == bridge.desk_identifier("rest", chat.conversation) and chat.sender not in json.dumps(contact)

    # While with the agent: forwarded as incoming, one notice, then silence (not the failure apology).
    status, replies = raw_say(chat, "apakah status kepesertaan saya bisa dicek?")
    assert status == 200 and texts(replies) == [FORWARDED_ID]
    status, replies = raw_say(chat, "halo?")
    assert status == 200 and replies == []
    assert [(m["content"], m["message_type"]) for m in conversation.messages[-2:]] == [
        ("apakah status kepesertaan saya bisa dicek?", "incoming"), ("halo?", "incoming")
    ]

    # The agent's side: only the signed public reply reaches the user.
    assert desk.agent_reply(webhook, conversation.id, "Ini catatan internal", private=True) == (200, {"status": "ignored"})
    for mode in ("unsigned", "wrong", "stale"):
        status, body = desk.agent_reply(webhook, conversation.id, f"forged reply ({mode})", mode=mode)
        assert (status, body) == (403, {"error": "invalid signature"}), mode
    reply = "Halo, saya Sari dari BPJAMSOSTEK. Saya cek dulu, ya."
    delivery = uuid.uuid4().hex
    assert desk.agent_reply(webhook, conversation.id, reply, delivery=delivery) == (200, {"status": "delivered"})
    # Chatwoot retries with the same delivery id: the user sees the reply once.
    assert desk.agent_reply(webhook, conversation.id, reply, delivery=delivery) == (200, {"status": "duplicate"})

    status, replies = raw_say(chat, "baik, terima kasih")
    assert status == 200 and texts(replies) == ["Halo, saya Sari dari BPJAMSOSTEK. Saya cek dulu, ya."]
    assert conversation.messages[-1]["content"] == "baik, terima kasih"

    # Resolved: the user is told (with the next answer, on REST) and the assistant answers again.
    assert desk.resolve(webhook, conversation.id) == (200, {"status": "resumed"})
    assert desk.resolve(webhook, conversation.id) in ((200, {"status": "ignored"}), (200, {"status": "duplicate"}))  # a repeat changes nothing (within the same second it is the same signed request)
    forwarded_before = len(conversation.messages)
    replies = chat.say("apa syarat daftar BPU?")
    assert texts(replies)[0].startswith(RESUMED_ID)
    assert len(replies) >= 2 and "BPU" in " ".join(texts(replies)[1:])
    assert len(conversation.messages) == forwarded_before  # no longer forwarded


def test_english_request_for_a_person(chat, desk, webhook):
    chat.say("hello")
    opened = chat.text("I want to talk to a human agent")
    assert "agent" in opened and "175" in opened
    conversation = desk_conversation(desk, "rest", chat.conversation)
    assert "Bahasa pengguna: Bahasa Inggris" in conversation.messages[0]["content"]
    status, replies = raw_say(chat, "hello, anyone?")
    assert texts(replies) == ["Your message has been passed to the agent. Please wait for their reply here."]
    assert desk.resolve(webhook, conversation.id) == (200, {"status": "resumed"})
    assert texts(chat.say("which documents do I need to register?"))[0].startswith(RESUMED_EN)


def test_a_webhook_for_an_unknown_conversation_or_with_a_bad_body_is_harmless(stack, desk, webhook):
    from tests.fakes.chatwoot import post_webhook

    payload = {"event": "message_created", "message_type": "outgoing", "private": False, "content": "hi", "conversation": {"id": 987654}}
    assert post_webhook(webhook, payload) == (200, {"status": "ignored"})
    assert post_webhook(webhook, {"event": "conversation_status_changed", "status": "resolved", "id": 987654}) == (200, {"status": "ignored"})
    assert post_webhook(webhook, ["not", "an", "object"])[0] == 400
    status, _ = post(webhook, b"{}")  # no signature at all
    assert status == 403
    log = stack.rasa.log.read_text(errors="replace")
    assert "forged reply" not in log and "Ini catatan internal" not in log


def test_widget_round_trip(stack, desk, webhook):
    received: "queue.Queue[dict]" = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", received.put)
    confirmed: "queue.Queue[str]" = queue.Queue()
    client.on("session_confirm", confirmed.put)
    client.connect(stack.rasa_url, headers={"Origin": "http://localhost:8080"}, transports=["polling"], socketio_path="socket.io")
    try:
        client.emit("session_request", {"session_id": uuid.uuid4().hex})  # not one the server issued
        session_id = confirmed.get(timeout=20)
        assert web_session.verified(session_id)  # a session of the server's own instead

        def say(text: str) -> None:
            client.emit("user_uttered", {"message": text, "session_id": session_id})

        def next_text(timeout: float = 60) -> str:
            return received.get(timeout=timeout).get("text") or ""

        say("saya mau bicara dengan petugas")
        assert "175" in next_text()
        conversation = desk_conversation(desk, "socketio", identity.conversation_id("socketio", web_session.verified(session_id)))
        assert "Kanal: socketio" in conversation.messages[0]["content"]

        assert desk.agent_reply(webhook, conversation.id, "Halo dari petugas, ada yang bisa dibantu?") == (200, {"status": "delivered"})
        assert next_text(20) == "Halo dari petugas, ada yang bisa dibantu?"

        say("saya ingin tahu iuran BPU")
        assert next_text(20) == FORWARDED_ID
        desk.wait_for(lambda: conversation.messages[-1]["content"] == "saya ingin tahu iuran BPU")

        assert desk.resolve(webhook, conversation.id) == (200, {"status": "resumed"})
        assert next_text(20).startswith(RESUMED_ID)
        say("apa syarat daftar BPU?")
        assert "BPU" in next_text()
    finally:
        client.disconnect()
        # The server keeps a ping task sleeping for one ping interval after the last pong; a server stopped
        # (end of the session) while it sleeps logs "Task was destroyed but it is pending!". Let it end.
        time.sleep(ENGINEIO_PING_INTERVAL + 2)


def test_with_the_desk_down_the_handoff_gives_the_call_center_and_email(stack, chat, desk):
    desk.outage(True)
    replies = chat.text("saya mau bicara dengan petugas")
    assert "175" in replies and "care@bpjsketenagakerjaan.go.id" in replies
    assert desk.conversation_by_source(bridge.desk_identifier("rest", chat.conversation)) is None
    desk.outage(False)
    # The conversation stayed with the assistant: it answers, nothing is forwarded.
    assert "BPU" in chat.text("apa syarat daftar BPU?")
    assert desk.conversation_by_source(bridge.desk_identifier("rest", chat.conversation)) is None
    problems = [line for line in stack.log_problems()]
    assert problems == [], problems
