"""WhatsApp and Telegram end to end: webhooks into the session's real Rasa, replies into the fakes.

The session's assistant is configured with the fakes' variables (tests/fakes/graph_api.py, bot_api.py),
so both channels are enabled and send their replies to the fakes over real HTTP. Replies are
asynchronous (the webhook answers first), so every check polls the fake's records with a deadline.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from typing import List

import pytest

from tanya.channels import identity
from tests.fakes import bot_api as tg
from tests.fakes import graph_api as wa
from tests.integration.test_registration import USED_NIKS, fresh_nik
from tests.support.stack import PYTHON, ROOT, free_port


def user_texts(stack, channel: str, address: str) -> List[str]:
    """The texts of every user message in the tracker of the person at `address` (what reached Rasa)."""
    sender = identity.conversation_id(channel, address)
    path = stack.tracker_url.split("sqlite:///", 1)[1]
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (sender,)).fetchall()
    return [json.loads(data).get("text") or "" for (data,) in rows]


class WhatsAppUser:
    """A WhatsApp user with a fresh number; `say` waits for the reply that contains `expect`."""

    def __init__(self, stack, graph) -> None:
        self.number = f"628{random.randint(10 ** 9, 10 ** 10 - 1)}"
        self.url = f"{stack.rasa_url}/webhooks/whatsapp/webhook"
        self.graph = graph
        self.seen = 0

    def post(self, *messages: dict, signature="valid"):
        return wa.post_webhook(self.url, wa.webhook_body(list(messages)), signature)

    def turn(self, message: dict, expect: str) -> List[dict]:
        status, _ = self.post(message)
        assert status == 200
        delivered = self.graph.wait_for(self.number, lambda d: any(expect in wa.message_text(b) for b in d[self.seen:]))
        new, self.seen = delivered[self.seen:], len(delivered)
        return new

    def say(self, text: str, expect: str) -> List[dict]:
        return self.turn(wa.text_message(self.number, text), expect)

    def press(self, reply_id: str, title: str, expect: str) -> List[dict]:
        return self.turn(wa.button_reply(self.number, reply_id, title), expect)


class TelegramUser:
    def __init__(self, stack, bot, language_code: str = "id") -> None:
        self.chat_id = random.randint(10 ** 8, 10 ** 9)
        self.url = f"{stack.rasa_url}/webhooks/telegram/webhook"
        self.bot = bot
        self.language_code = language_code
        self.seen = 0

    def post(self, update: dict, secret=tg.SECRET_TOKEN):
        return tg.post_update(self.url, update, secret)

    def turn(self, update: dict, expect: str) -> List[dict]:
        status, _ = self.post(update)
        assert status == 200
        delivered = self.bot.wait_for(self.chat_id, lambda d: any(expect in tg.visible_text(b) for b in d[self.seen:]))
        new, self.seen = delivered[self.seen:], len(delivered)
        return new

    def say(self, text: str, expect: str) -> List[dict]:
        return self.turn(tg.message_update(self.chat_id, text, self.language_code), expect)

    def press(self, data: str, expect: str) -> List[dict]:
        return self.turn(tg.callback_update(self.chat_id, data, self.language_code), expect)


@pytest.fixture
def graph(fakes):
    return fakes["graph_api"]


@pytest.fixture
def bot(fakes):
    return fakes["bot_api"]


def _get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, answer.headers.get("Content-Type", ""), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()


# -- WhatsApp ---------------------------------------------------------------------------------------


def test_whatsapp_verification_handshake(stack):
    base = f"{stack.rasa_url}/webhooks/whatsapp/webhook"
    ok = _get(f"{base}?hub.mode=subscribe&hub.verify_token={wa.VERIFY_TOKEN}&hub.challenge=1158201444")
    assert ok[0] == 200 and ok[1].startswith("text/plain") and ok[2] == "1158201444"
    assert _get(f"{base}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444")[0] == 403
    assert _get(f"{base}?hub.mode=subscribe&hub.challenge=1")[0] == 403
    assert _get(base)[0] == 403


def test_whatsapp_unsigned_or_wrongly_signed_posts_are_refused_and_never_reach_rasa(stack, graph):
    user = WhatsAppUser(stack, graph)
    forged = wa.text_message(user.number, "/request_human dari penyusup")
    body = wa.webhook_body([forged])
    assert user.post(forged, signature=None)[0] == 403
    assert user.post(forged, signature="sha256=" + "0" * 64)[0] == 403
    assert user.post(forged, signature=wa.sign(json.dumps(body).encode(), "another-secret"))[0] == 403
    assert user.post(forged, signature=wa.sign(b"{}"))[0] == 403  # a valid signature of another body
    # The same user's genuine message is answered: by then, anything forged would have been handled too.
    user.say("halo", "TanyaBPJAMSOSTEK")
    assert user_texts(stack, "whatsapp", user.number) == ["halo"]
    assert not any("penyusup" in wa.message_text(b) for b in graph.delivered_to(user.number))
    assert len(graph.delivered_to(user.number)) == 1
    log = stack.rasa.log.read_text(errors="replace")
    assert "penyusup" not in log and user.number not in log


def test_whatsapp_retry_of_the_same_wamid_is_answered_once(stack, graph):
    user = WhatsAppUser(stack, graph)
    message = wa.text_message(user.number, "apa itu BPU?")
    for _ in range(3):  # Meta's retries of one message
        assert user.post(message)[0] == 200
    user.say("terima kasih", "Sama-sama")
    assert user_texts(stack, "whatsapp", user.number) == ["apa itu BPU?", "terima kasih"]
    delivered = graph.delivered_to(user.number)
    assert delivered.count(delivered[0]) == 1 and "Pekerja Bukan Penerima Upah" in wa.message_text(delivered[0])
    assert len(delivered) == 2 and "Sama-sama" in wa.message_text(delivered[-1])


def test_whatsapp_status_callbacks_are_acknowledged_and_ignored(stack, graph):
    user = WhatsAppUser(stack, graph)
    statuses = wa.webhook_body(statuses=[{"id": wa.new_wamid(), "status": "read", "timestamp": "1", "recipient_id": user.number}])
    assert wa.post_webhook(user.url, statuses)[0] == 200
    user.say("halo", "TanyaBPJAMSOSTEK")
    assert user_texts(stack, "whatsapp", user.number) == ["halo"] and len(graph.delivered_to(user.number)) == 1


def test_whatsapp_menu_is_a_list_and_a_list_reply_sends_its_id_not_its_title(stack, graph):
    user = WhatsAppUser(stack, graph)
    (menu,) = user.say("halo", "TanyaBPJAMSOSTEK")
    assert menu["type"] == "interactive" and menu["interactive"]["type"] == "list"
    rows = menu["interactive"]["action"]["sections"][0]["rows"]
    assert [row["id"] for row in rows] == ["/ask_how_to_register", "/ask_segments", "/ask_segment_fit", "/request_human"]
    # The title says "Cara daftar", the id asks for the segments: the id is what Rasa gets.
    replies = user.turn(wa.list_reply(user.number, "/ask_segments", "Cara daftar"), "Segmen peserta")
    assert "Pekerja Bukan Penerima Upah" in wa.message_text(replies[0])
    assert user_texts(stack, "whatsapp", user.number)[-1] == "/ask_segments"
    assert not any("/ask_" in wa.message_text(b) for b in graph.delivered_to(user.number))


def test_whatsapp_non_text_messages_get_a_polite_reply(stack, graph):
    user = WhatsAppUser(stack, graph)
    user.say("how do I register as BPU?", "BPU")  # an English conversation
    (reply,) = user.turn(wa.image_message(user.number), "can only read text")
    assert reply["type"] == "text"
    location = {"from": user.number, "id": wa.new_wamid(), "type": "location", "location": {"latitude": -6.2, "longitude": 106.8}}
    user.turn(location, "can only read text")
    assert user_texts(stack, "whatsapp", user.number) == ["how do I register as BPU?"]  # nothing else reached Rasa


def test_whatsapp_graph_api_500_is_retried_and_the_reply_arrives_once(stack, graph):
    user = WhatsAppUser(stack, graph)
    graph.fail_next(1, 500)
    user.say("halo", "TanyaBPJAMSOSTEK")
    assert [call.status for call in graph.calls_to(user.number)] == [500, 200]


def test_whatsapp_bpu_pre_registration_and_status_check(stack, graph):
    nik = fresh_nik()
    USED_NIKS.append(nik)
    user = WhatsAppUser(stack, graph)
    user.say("saya mau daftar BPU", "nama lengkap")
    user.say("Budi Santoso", "Berapa NIK Anda?")
    user.say(nik, "tanggal lahir")
    (gender,) = user.say("17 Agustus 1990", "jenis kelamin")
    assert gender["interactive"]["type"] == "button"
    assert [b["reply"] for b in gender["interactive"]["action"]["buttons"]] == [
        {"id": "laki-laki", "title": "Laki-laki"}, {"id": "perempuan", "title": "Perempuan"}]
    user.press("laki-laki", "Laki-laki", "nomor HP")
    user.say("0812 3456 7890", "alamat email")
    user.say("lewati", "pekerjaan")
    user.say("driver ojol", "kota/kabupaten")
    (summary,) = user.say("Bandung", "Mohon periksa data Anda")
    assert "*" * 12 + nik[-4:] in wa.message_text(summary)
    assert [b["reply"]["id"] for b in summary["interactive"]["action"]["buttons"]] == ["/affirm", "/edit_registration", "/cancel_registration"]
    replies = user.press("/affirm", "Benar, kirim", "Nomor referensi: BPU-")
    reference = "".join(wa.message_text(b) for b in replies).split("Nomor referensi: ")[1].split(" ")[0]
    user.say(f"cek status {reference}", "4 digit terakhir")
    user.say("7890", "terkirim")
    everything = json.dumps(graph.delivered_to(user.number), ensure_ascii=False)
    assert nik not in everything and "/inform" not in everything


# -- Telegram ---------------------------------------------------------------------------------------


def test_telegram_updates_without_the_secret_are_refused_and_never_reach_rasa(stack, bot):
    user = TelegramUser(stack, bot)
    forged = tg.message_update(user.chat_id, "dari penyusup")
    assert user.post(forged, secret=None)[0] == 403
    assert user.post(forged, secret="wrong-secret")[0] == 403
    assert user.post(forged, secret=tg.SECRET_TOKEN.upper())[0] == 403
    user.say("halo", "TanyaBPJAMSOSTEK")
    assert user_texts(stack, "telegram", str(user.chat_id)) == ["halo"]
    assert len(bot.delivered_to(user.chat_id)) == 1


def test_telegram_start_greets_in_the_users_telegram_language(stack, bot):
    english, indonesian = TelegramUser(stack, bot, "en-US"), TelegramUser(stack, bot, "id")
    (hello,) = english.say("/start", "Hello! I'm TanyaBPJAMSOSTEK")
    assert hello["parse_mode"] == "HTML"
    indonesian.say("/start", "Halo! Saya TanyaBPJAMSOSTEK")


def test_telegram_retry_of_the_same_update_id_is_answered_once_and_edits_are_ignored(stack, bot):
    user = TelegramUser(stack, bot)
    update = tg.message_update(user.chat_id, "apa itu BPU?")
    for _ in range(3):
        assert user.post(update)[0] == 200
    edited = {"update_id": update["update_id"] + 500000, "edited_message": {**update["message"], "text": "ralat: apa itu PU?"}}
    assert user.post(edited)[0] == 200
    user.say("terima kasih", "Sama-sama")
    assert user_texts(stack, "telegram", str(user.chat_id)) == ["apa itu BPU?", "terima kasih"]
    delivered = bot.delivered_to(user.chat_id)
    assert len(delivered) == 2 and "Pekerja Bukan Penerima Upah" in tg.visible_text(delivered[0])


def test_telegram_buttons_are_an_inline_keyboard_and_a_press_is_answered_and_forwarded(stack, bot):
    user = TelegramUser(stack, bot)
    (menu,) = user.say("halo", "TanyaBPJAMSOSTEK")
    keyboard = menu["reply_markup"]["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == ["/ask_how_to_register", "/ask_segments", "/ask_segment_fit", "/request_human"]
    press = tg.callback_update(user.chat_id, "/ask_segments")
    user.turn(press, "Segmen peserta")
    assert press["callback_query"]["id"] in bot.answered_callbacks()
    assert user_texts(stack, "telegram", str(user.chat_id))[-1] == "/ask_segments"


def test_telegram_non_text_messages_get_a_polite_reply(stack, bot):
    user = TelegramUser(stack, bot, "en")
    photo = tg.message_update(user.chat_id, None, "en", extra={"photo": [{"file_id": "x", "width": 1, "height": 1}], "caption": "my KTP"})
    (reply,) = user.turn(photo, "can only read text")
    user.turn(tg.message_update(user.chat_id, None, "en", extra={"sticker": {"file_id": "s"}}), "can only read text")
    assert user_texts(stack, "telegram", str(user.chat_id)) == []


def test_telegram_bpu_pre_registration_and_status_check_in_english(stack, bot):
    nik = fresh_nik()
    USED_NIKS.append(nik)
    user = TelegramUser(stack, bot, "en")
    user.say("I want to register as BPU now", "full name")
    user.say("Budi Santoso", "What is your NIK")
    user.say(nik, "date of birth")
    (gender,) = user.say("Aug 17 1990", "gender")
    assert [row[0]["callback_data"] for row in gender["reply_markup"]["inline_keyboard"]] == ["laki-laki", "perempuan"]
    press = tg.callback_update(user.chat_id, "laki-laki", "en")
    user.turn(press, "mobile number")
    user.say("+62 812 3456 7890", "email")
    user.say("skip", "occupation")
    user.say("freelance designer", "city")
    (summary,) = user.say("Surabaya", "Please check your details")
    assert "*" * 12 + nik[-4:] in tg.visible_text(summary) and "<b>" not in tg.visible_text(summary)
    confirm = tg.callback_update(user.chat_id, "/affirm", "en")
    replies = user.turn(confirm, "Reference number: BPU-")
    assert {press["callback_query"]["id"], confirm["callback_query"]["id"]} <= set(bot.answered_callbacks())
    reference = "".join(tg.visible_text(b) for b in replies).split("Reference number: ")[1].split(" ")[0]
    # (The reply's own hint, "check status <reference>", is detected as Indonesian by tanya.language:
    # a separate issue, reported; a fuller sentence is unambiguous.)
    user.say(f"please check the status of {reference}", "last 4 digits")
    user.say("7890", "submitted")
    everything = json.dumps(bot.delivered_to(user.chat_id), ensure_ascii=False)
    assert nik not in everything


# -- a server without the channels' variables ----------------------------------------------------------

DISABLED_SERVER = """
import logging, sys
from sanic import Sanic
from tanya.channels.telegram import TelegramInput
from tanya.channels.whatsapp import WhatsAppInput

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")

async def on_new_message(message):
    raise AssertionError("a disabled channel must not call Rasa")

app = Sanic("disabled_channels")
for channel in (WhatsAppInput.from_credentials(None), TelegramInput.from_credentials(None)):
    app.blueprint(channel.blueprint(on_new_message), url_prefix="/webhooks/" + channel.name())
app.run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False)
"""


def _request(url: str, body: bytes = None):
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST" if body else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_channels_without_their_variables_say_so_and_answer_503(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WHATSAPP_", "TELEGRAM_"))}
    env["PYTHONPATH"] = str(ROOT)
    log = tmp_path / "server.log"
    with open(log, "w") as handle:
        process = subprocess.Popen([PYTHON, "-c", DISABLED_SERVER, str(port)], cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, _ = _request(f"http://127.0.0.1:{port}/webhooks/whatsapp/")
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.5)
        assert status == 503
        body = json.dumps(wa.webhook_body([wa.text_message("6281111111111", "halo")])).encode()
        for url, data in [
            ("/webhooks/whatsapp/webhook", body),
            ("/webhooks/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=&hub.challenge=1", None),
            ("/webhooks/telegram/webhook", json.dumps(tg.message_update(5, "halo")).encode()),
        ]:
            status, answer = _request(f"http://127.0.0.1:{port}{url}", data)
            assert status == 503 and "not configured" in json.loads(answer)["error"]
    finally:
        process.terminate()
        process.wait(timeout=30)
    text = log.read_text()
    assert ("INFO tanya.channels.whatsapp WhatsApp channel disabled: set WHATSAPP_VERIFY_TOKEN, WHATSAPP_APP_SECRET, "
            "WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID to enable it") in text
    assert "INFO tanya.channels.telegram Telegram channel disabled: set TELEGRAM_BOT_TOKEN, TELEGRAM_SECRET_TOKEN to enable it" in text
    assert "Traceback" not in text and "ERROR" not in text and "WARNING tanya" not in text
