"""A turn on an app channel, with Rasa played by a stub: numbered answers, keys, notices, failures."""

import asyncio
import logging
from types import SimpleNamespace

import pytest

from tanya.channels.app_rendering import payload_key
from tanya.channels.telegram import TelegramInput
from tanya.channels.whatsapp import WhatsAppInput

NUMBER = "6281234567890"
MANY = [{"title": f"Data {n}", "payload": f"/edit_registration{{\"form_field\":\"f{n}\"}}"} for n in range(1, 12)]


class Recorder:
    """Plays Rasa: records what it was given, answers with `answer(text)` (a list of message dicts)."""

    def __init__(self, answer):
        self.answer, self.texts = answer, []

    async def __call__(self, message):
        self.texts.append(message.text)
        for reply in self.answer(message.text):
            await message.output_channel.send_response(message.sender_id, dict(reply))


class Agent:
    def __init__(self, paused=False, language=None):
        tracker = SimpleNamespace(events=[1], is_paused=lambda: paused, get_slot=lambda name: language)
        self.tracker_store = SimpleNamespace(retrieve=self._retrieve)
        self._tracker = tracker if (paused or language) else None

    async def _retrieve(self, sender_id):
        return self._tracker


@pytest.fixture(autouse=True)
def database(migrated_sqlite, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", migrated_sqlite)


def channel_with_outbox(cls=WhatsAppInput):
    channel = cls()
    channel.sent = []

    async def post(sender_id, requests):
        channel.sent += [body for _, body in requests]
        return True

    channel.post = post
    return channel


def texts(sent):
    return [b.get("text", {}).get("body") if isinstance(b.get("text"), dict) else b.get("text") for b in sent]


def test_a_number_answers_the_numbered_choices_of_the_latest_turn_only():
    channel = channel_with_outbox()
    rasa = Recorder(lambda text: [{"text": "Data mana?", "buttons": MANY}] if text == "ubah" else [{"text": "ok"}])

    async def scenario():
        await channel.handle_text(rasa, Agent(), NUMBER, "ubah")
        await channel.handle_text(rasa, Agent(), NUMBER, "11")
        await channel.handle_text(rasa, Agent(), NUMBER, "3")  # the last turn offered no choices

    asyncio.run(scenario())
    assert rasa.texts == ["ubah", '/edit_registration{"form_field":"f11"}', "3"]
    assert "11. Data 11" in texts(channel.sent)[0]


def test_another_users_number_is_their_own_text():
    channel = channel_with_outbox()
    rasa = Recorder(lambda text: [{"text": "Data mana?", "buttons": MANY}])

    async def scenario():
        await channel.handle_text(rasa, Agent(), NUMBER, "ubah")
        await channel.handle_text(rasa, Agent(), "6289999999999", "2")

    asyncio.run(scenario())
    assert rasa.texts == ["ubah", "2"]


def test_a_pressed_key_is_the_long_payload_and_an_unknown_key_is_explained():
    payload = '/inform{"city":"' + "é" * 40 + '"}'
    channel = channel_with_outbox(TelegramInput)
    rasa = Recorder(lambda text: [{"text": "Kota?", "buttons": [{"title": "Kota", "payload": payload}]}] if text == "mulai" else [{"text": "ok"}])

    async def scenario():
        await channel.handle_text(rasa, Agent(), "42", "mulai")
        await channel.handle_text(rasa, Agent(), "42", payload_key(payload), pressed=True)
        await channel.handle_text(rasa, Agent(), "42", "k:000000000000", pressed=True)
        await channel.handle_text(rasa, Agent(), "42", payload_key(payload))  # typed, not pressed: just text

    asyncio.run(scenario())
    assert rasa.texts == ["mulai", payload, payload_key(payload)]
    assert channel.sent[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == payload_key(payload)
    assert channel.sent[2]["text"].startswith("Pilihan itu sudah tidak berlaku")


def test_a_long_message_is_cut_and_the_user_told_first():
    channel = channel_with_outbox()
    rasa = Recorder(lambda text: [{"text": "Jawaban."}])
    asyncio.run(channel.handle_text(rasa, Agent(), NUMBER, "saya mau tanya tentang pendaftaran " * 60))
    assert len(rasa.texts[0]) <= 1000
    assert texts(channel.sent)[0].startswith("Pesan Anda cukup panjang, jadi saya hanya membaca 1000 karakter")
    assert texts(channel.sent)[1] == "Jawaban."


def test_no_answer_from_rasa_is_apologised_for_unless_an_agent_has_the_conversation():
    channel = channel_with_outbox()
    silent = Recorder(lambda text: [])
    asyncio.run(channel.handle_text(silent, Agent(), NUMBER, "how do I register?"))
    assert texts(channel.sent) == ["Sorry, I'm having trouble and can't answer right now. Please try again in a moment."]
    channel.sent.clear()
    asyncio.run(channel.handle_text(silent, Agent(paused=True), NUMBER, "halo petugas"))
    assert channel.sent == []


def test_unreadable_messages_are_answered_in_the_conversations_language():
    channel = channel_with_outbox()
    asyncio.run(channel.handle_unsupported(Agent(language="en"), NUMBER, "id"))
    asyncio.run(channel.handle_unsupported(Agent(), NUMBER, "id"))  # no conversation yet: the fallback
    assert [t.split(",")[0] for t in texts(channel.sent)] == ["Sorry", "Maaf"]


def test_a_failing_turn_is_one_masked_warning_and_a_polite_reply(caplog):
    channel = channel_with_outbox()

    async def broken(message):
        raise RuntimeError(f"boom for {message.sender_id}")

    async def scenario():
        channel.spawn(channel.handle_text(broken, Agent(), NUMBER, "halo"), NUMBER, "id")
        while channel._tasks:
            await asyncio.sleep(0.01)

    with caplog.at_level(logging.DEBUG, logger="tanya.channels.app_turn"):
        asyncio.run(scenario())
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.getMessage() for r in warnings] == ["WhatsApp: a message from *********7890 could not be handled: RuntimeError"]
    assert texts(channel.sent) == ["Maaf, saya sedang mengalami kendala dan belum bisa menjawab. Silakan coba lagi sebentar lagi."]
    assert channel._sender_locks == {} and channel._sender_waiting == {}


def test_one_senders_messages_are_handled_in_the_order_they_arrived():
    channel = channel_with_outbox()
    order = []

    async def slow_first(message):
        if message.text == "satu":
            await asyncio.sleep(0.05)
        order.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": "ok"})

    async def scenario():
        for text in ("satu", "dua", "tiga"):
            channel.spawn(channel.handle_text(slow_first, Agent(), NUMBER, text), NUMBER)
        while channel._tasks:
            await asyncio.sleep(0.01)

    asyncio.run(scenario())
    assert order == ["satu", "dua", "tiga"]
