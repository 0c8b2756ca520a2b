"""The gate every channel's messages pass: outbox first, forward to the agent, Rasa still logs, one notice."""

import asyncio

from rasa.core.channels.channel import UserMessage

from tanya.channels.outputs import OneMessageCollectingOutput
from tanya.handoff import bridge, gate


class RecordingRasa:
    """Stands in for Rasa's handler: records what it was given; answers only when not paused."""

    def __init__(self, answer=None):
        self.seen = []
        self.answer = answer

    async def __call__(self, message):
        self.seen.append(message.text)
        if self.answer:
            await message.output_channel.send_text_message(message.sender_id, self.answer)


def send(handler, text, sender, channel="rest"):
    output = OneMessageCollectingOutput()
    asyncio.run(handler(UserMessage(text, output, sender, input_channel=channel)))
    return output


def test_without_a_desk_messages_go_straight_to_rasa(kb_url):
    rasa = RecordingRasa("jawaban")
    output = send(gate.with_handoff(rasa), "halo", "gate-0")
    assert rasa.seen == ["halo"] and [m["text"] for m in output.messages] == ["jawaban"]
    assert not gate.forwarded_to_agent(output)


def test_a_conversation_that_is_not_with_an_agent_is_untouched(with_desk):
    desk = with_desk
    before = len(desk.requests)
    output = send(gate.with_handoff(RecordingRasa("jawaban")), "halo", "gate-1")
    assert [m["text"] for m in output.messages] == ["jawaban"] and not gate.forwarded_to_agent(output)
    assert [r for r in desk.requests[before:] if r.method == "POST"] == []


def test_messages_with_an_agent_are_forwarded_logged_and_acknowledged_once(with_desk):
    desk = with_desk
    bridge.open_handoff(bridge.HandoffRequest("rest", "gate-2", "en", "note"))
    rasa = RecordingRasa()  # paused: Rasa answers nothing
    handler = gate.with_handoff(rasa)
    first = send(handler, "is anyone there?", "gate-2")
    second = send(handler, "hello?", "gate-2")
    assert rasa.seen == ["is anyone there?", "hello?"]  # Rasa still logs every message
    assert [m["text"] for m in first.messages] == ["Your message has been passed to the agent. Please wait for their reply here."]
    assert second.messages == [] and gate.forwarded_to_agent(first) and gate.forwarded_to_agent(second)
    conversation = desk.conversation_by_source(bridge.desk_identifier("rest", "gate-2"))
    assert [(m["content"], m["message_type"]) for m in conversation.messages[1:]] == [
        ("is anyone there?", "incoming"), ("hello?", "incoming")
    ]


def test_waiting_agent_messages_come_first_in_the_next_answer(with_desk):
    bridge.open_handoff(bridge.HandoffRequest("rest", "gate-3", "id", "note"))
    bridge.keep_for_later("rest", "gate-3", "Halo, saya Sari. Ada yang bisa dibantu?")
    output = send(gate.with_handoff(RecordingRasa()), "ya, soal JHT", "gate-3")
    assert [m["text"] for m in output.messages] == [
        "Halo, saya Sari. Ada yang bisa dibantu?",
        "Pesan Anda sudah diteruskan kepada petugas. Mohon tunggu balasannya di sini.",
    ]


def test_the_widget_has_no_outbox(with_desk):
    bridge.keep_for_later("socketio", "gate-4", "never read from here")
    output = send(gate.with_handoff(RecordingRasa("jawaban")), "halo", "gate-4", channel="socketio")
    assert [m["text"] for m in output.messages] == ["jawaban"]


def test_when_the_desk_is_down_the_user_is_told_with_the_call_center(with_desk):
    desk = with_desk
    bridge.open_handoff(bridge.HandoffRequest("rest", "gate-5", "id", "note"))
    desk.outage(True)
    output = send(gate.with_handoff(RecordingRasa()), "halo", "gate-5")
    assert [m["text"] for m in output.messages] == [
        "Maaf, pesan Anda belum bisa diteruskan kepada petugas saat ini. Silakan coba lagi sebentar lagi, "
        "atau hubungi Call Center BPJAMSOSTEK 175."
    ]


def test_wrap_channels_routes_a_channel_through_the_gate(with_desk):
    class Channel:
        def blueprint(self, on_new_message):
            return on_new_message

    channel = Channel()
    gate.wrap_channels([channel])
    rasa = RecordingRasa()
    bridge.open_handoff(bridge.HandoffRequest("rest", "gate-6", "id", "note"))
    output = send(channel.blueprint(rasa), "halo", "gate-6")
    assert rasa.seen == ["halo"] and gate.forwarded_to_agent(output)
