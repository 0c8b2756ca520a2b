"""hand_off, the one place a person is brought in: desk conversation + pause, or the call center and e-mail."""

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.support_actions import ActionHandoff, hand_off
from tanya.db import session_scope
from tanya.handoff import bridge, sessions
from tanya.registration import crypto

NIK = "3273015501010001"


def tracker(sender, text="saya mau bicara dengan petugas", intent="request_human", slots=None):
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": f"NIK saya {NIK}", "input_channel": "rest", "parse_data": {"intent": {"name": "inform"}}},
        {"event": "bot", "text": "Terima kasih."},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "input_channel": "rest", "parse_data": {"intent": {"name": intent}}},
    ]
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": []}
    return Tracker(sender, {"language": "id", **(slots or {})}, latest, events, False, None, None, "action_listen")


def run(sender, **kwargs):
    dispatcher = CollectingDispatcher()
    events = ActionHandoff().run(dispatcher, tracker(sender, **kwargs), {})
    return dispatcher.messages, events


def active(sender):
    with session_scope() as session:
        return sessions.active_for(session, "rest", sender)


def test_without_a_desk_the_user_gets_the_call_center_and_email(kb_url):
    messages, events = run("action-0")
    assert [m["catalogue_message"] for m in messages] == ["handoff"]
    assert "175" in messages[0]["text"] and "care@bpjsketenagakerjaan.go.id" in messages[0]["text"]
    assert events == []


def test_with_the_desk_a_conversation_opens_and_rasa_pauses(with_desk):
    desk = with_desk
    sealed = crypto.seal(NIK, "action-1")
    messages, events = run("action-1", slots={"reg_segment": "bpu", "reg_full_name": "Budi", "reg_nik": sealed})
    assert [m["catalogue_message"] for m in messages] == ["handoff_opened"]
    assert "Call Center BPJAMSOSTEK: 175" in messages[0]["text"] and "care@bpjsketenagakerjaan.go.id" in messages[0]["text"]
    assert [e["event"] for e in events] == ["pause"]
    note = desk.conversation_by_source(bridge.desk_identifier("rest", "action-1")).messages[0]
    assert note["private"] is True
    assert "(pengguna meminta petugas)" in note["content"]
    assert "Pengguna: NIK saya ************0001" in note["content"]
    assert "- NIK: ************0001" in note["content"] and NIK not in note["content"]
    assert active("action-1") is not None


def test_a_desk_that_is_down_gives_the_contacts_and_keeps_the_assistant(with_desk):
    with_desk.outage(True)
    messages, events = run("action-2")
    assert [m["catalogue_message"] for m in messages] == ["handoff_unavailable"]
    assert "175" in messages[0]["text"] and "care@bpjsketenagakerjaan.go.id" in messages[0]["text"]
    assert events == [] and active("action-2") is None


def test_the_reason_tells_the_agent_why(with_desk):
    desk = with_desk
    dispatcher = CollectingDispatcher()
    hand_off(dispatcher, tracker("action-3", text="hmm", intent="nlu_fallback"), "not_understood")
    hand_off(CollectingDispatcher(), tracker("action-4", text="bingung", intent="inform"))
    assert "(asisten dua kali tidak memahami pengguna)" in desk.conversation_by_source(bridge.desk_identifier("rest", "action-3")).messages[0]["content"]
    assert "(pengguna tersendat di formulir pra-pendaftaran)" in desk.conversation_by_source(bridge.desk_identifier("rest", "action-4")).messages[0]["content"]
