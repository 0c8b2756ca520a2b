"""The bridge against the fake desk and a throw-away database: open, forward, close, outbox, fallbacks."""

from sqlalchemy import text

from tanya.db import get_engine, session_scope
from tanya.handoff import bridge, sessions


def request(sender, language="id", channel="rest"):
    return bridge.HandoffRequest(channel=channel, sender_id=sender, language=language, note="Konteks: NIK ************0001")


def active(sender, channel="rest"):
    with session_scope() as session:
        return sessions.active_for(session, channel, sender)


def test_without_a_desk_nothing_is_called_or_recorded(kb_url, desk):
    before = len(desk.requests)
    assert bridge.open_handoff(request("no-desk")) is bridge.Outcome.NOT_CONFIGURED
    assert bridge.forward("rest", "no-desk", "halo") == bridge.Forwarded()
    assert len(desk.requests) == before


def test_open_forward_and_close(with_desk):
    desk = with_desk
    assert bridge.open_handoff(request("user-1")) is bridge.Outcome.OPENED
    source = bridge.desk_identifier("rest", "user-1")
    conversation = desk.conversation_by_source(source)
    assert conversation.status == "open" and conversation.custom_attributes == {"tanya_channel": "rest", "tanya_language": "id"}
    assert conversation.messages[0]["private"] is True and "************0001" in conversation.messages[0]["content"]
    handoff = active("user-1")
    assert (handoff.conversation_id, handoff.source_id, handoff.language) == (conversation.id, source, "id")

    first = bridge.forward("rest", "user-1", "apakah bisa dibantu?")
    again = bridge.forward("rest", "user-1", "halo?")
    assert (first.with_agent, first.delivered, first.first) == (True, True, True)
    assert (again.delivered, again.first) == (True, False)
    assert [(m["content"], m["message_type"]) for m in conversation.messages[1:]] == [
        ("apakah bisa dibantu?", "incoming"), ("halo?", "incoming")
    ]
    assert bridge.forward("socketio", "user-1", "another channel, another conversation") == bridge.Forwarded()

    assert bridge.find_active(conversation.id, None).id == handoff.id
    assert bridge.find_active(None, source).id == handoff.id  # found by the contact inbox's source id too
    assert bridge.find_active(conversation.id + 1000, None) is None
    assert bridge.close(handoff) is True
    assert bridge.close(handoff) is False  # a retried webhook does nothing twice
    assert active("user-1") is None and bridge.forward("rest", "user-1", "x") == bridge.Forwarded()


def test_a_second_handoff_reuses_the_contact(with_desk):
    desk = with_desk
    bridge.open_handoff(request("user-2"))
    bridge.close(active("user-2"))
    before = len(desk.requests)
    assert bridge.open_handoff(request("user-2", "en")) is bridge.Outcome.OPENED
    calls = [(r.method, r.path.rsplit("/", 1)[-1]) for r in desk.requests[before:]]
    assert ("POST", "contacts") not in calls and ("POST", "conversations") in calls
    contacts = [c for c in desk.contacts.values() if c["identifier"] == bridge.desk_identifier("rest", "user-2")]
    assert len(contacts) == 1
    assert active("user-2").language == "en"


def test_the_desk_never_learns_the_sender_id(with_desk):
    identifier = bridge.desk_identifier("whatsapp", "6281234567890")
    assert "6281234567890" not in identifier and "7890" not in identifier
    assert identifier.startswith("tanya-whatsapp-") and identifier == bridge.desk_identifier("whatsapp", "6281234567890")
    assert identifier != bridge.desk_identifier("telegram", "6281234567890")


def test_a_desk_that_is_down_records_nothing(with_desk):
    desk = with_desk
    desk.outage(True)
    assert bridge.open_handoff(request("user-3")) is bridge.Outcome.UNAVAILABLE
    assert active("user-3") is None


def test_forwarding_while_the_desk_is_down_is_reported(with_desk):
    desk = with_desk
    bridge.open_handoff(request("user-4"))
    desk.outage(True)
    result = bridge.forward("rest", "user-4", "halo")
    assert (result.with_agent, result.delivered, result.first) == (True, False, False)
    desk.outage(False)
    assert bridge.forward("rest", "user-4", "halo").first is True  # the notice is still owed


def test_the_outbox_is_encrypted_and_delivered_once_in_order(with_desk):
    bridge.keep_for_later("rest", "user-5", "Halo, saya Sari dari BPJAMSOSTEK.")
    bridge.keep_for_later("rest", "user-5", "NIK Anda 3273015501010001 sudah terdaftar.")
    bridge.keep_for_later("rest", "someone-else", "not for user-5")
    with get_engine().connect() as connection:
        stored = " ".join(row[0] for row in connection.execute(text("SELECT text_encrypted FROM handoff_outbox")))
    assert "Sari" not in stored and "3273015501010001" not in stored
    assert bridge.take_waiting("rest", "user-5") == ["Halo, saya Sari dari BPJAMSOSTEK.", "NIK Anda 3273015501010001 sudah terdaftar."]
    assert bridge.take_waiting("rest", "user-5") == []
    assert bridge.take_waiting("rest", "someone-else") == ["not for user-5"]


def test_the_call_center_comes_from_the_knowledge(kb_url):
    assert bridge.call_center_text("id") == "Call Center BPJAMSOSTEK 175"
    assert bridge.call_center_text("en") == "BPJAMSOSTEK Call Center 175"
