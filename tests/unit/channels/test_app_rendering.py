"""Rasa messages rendered for WhatsApp and Telegram: exact requests, limits, no raw payload shown."""

import json

import pytest

from tanya.channels import app_rendering as r
from tests.fakes import bot_api, graph_api

TO = "6281234567890"
GREETING_BUTTONS = [
    {"title": "Cara daftar", "payload": "/ask_how_to_register"},
    {"title": "Segmen peserta", "payload": "/ask_segments"},
    {"title": "Segmen yang cocok untuk saya", "payload": "/ask_segment_fit"},
    {"title": "Hubungi petugas", "payload": "/request_human"},
]


def wa(kind, content):
    return ("messages", {"messaging_product": "whatsapp", "recipient_type": "individual", "to": TO, "type": kind, kind: content})


def test_plain_text_keeps_whatsapp_bold():
    rendered = r.whatsapp_messages({"text": "*Kanal BPU*\n• JMO"}, TO, "id")
    assert rendered.requests == [wa("text", {"body": "*Kanal BPU*\n• JMO", "preview_url": False})]
    assert rendered.numbered is None and rendered.keys == {}


def test_up_to_three_short_buttons_become_reply_buttons_with_the_payload_as_id():
    message = {"text": "Apa jenis kelamin Anda?", "buttons": [
        {"title": "Laki-laki", "payload": "laki-laki"}, {"title": "Perempuan", "payload": "perempuan"}]}
    rendered = r.whatsapp_messages(message, TO, "id")
    assert rendered.requests == [wa("interactive", {
        "type": "button",
        "body": {"text": "Apa jenis kelamin Anda?"},
        "action": {"buttons": [
            {"type": "reply", "reply": {"id": "laki-laki", "title": "Laki-laki"}},
            {"type": "reply", "reply": {"id": "perempuan", "title": "Perempuan"}},
        ]},
    })]
    assert rendered.numbered == ()


def test_four_buttons_become_a_list_and_a_long_title_is_shortened_and_shown_whole_below():
    rendered = r.whatsapp_messages({"text": "Halo!", "buttons": GREETING_BUTTONS}, TO, "id")
    assert rendered.requests == [wa("interactive", {
        "type": "list",
        "body": {"text": "Halo!"},
        "action": {"button": "Lihat pilihan", "sections": [{"rows": [
            {"id": "/ask_how_to_register", "title": "Cara daftar"},
            {"id": "/ask_segments", "title": "Segmen peserta"},
            {"id": "/ask_segment_fit", "title": "Segmen yang cocok untuk…", "description": "Segmen yang cocok untuk saya"},
            {"id": "/request_human", "title": "Hubungi petugas"},
        ]}]},
    })]


def test_a_title_too_long_for_a_reply_button_makes_a_list_even_with_three_buttons():
    buttons = [{"title": "Sebelum berangkat", "payload": '/inform{"pmi_stage":"before_departure"}'},
               {"title": "Sedang bekerja / sudah pulang", "payload": '/inform{"pmi_stage":"during_after"}'},
               {"title": "Perpanjangan", "payload": '/inform{"pmi_stage":"extension"}'}]
    (path, body), = r.whatsapp_messages({"text": "Tahap?", "buttons": buttons}, TO, "en").requests
    assert body["interactive"]["type"] == "list"
    assert body["interactive"]["action"]["button"] == "See options"
    rows = body["interactive"]["action"]["sections"][0]["rows"]
    assert rows[1] == {"id": '/inform{"pmi_stage":"during_after"}', "title": "Sedang bekerja / sudah…",
                       "description": "Sedang bekerja / sudah pulang"}


def test_more_than_ten_choices_become_numbered_text_the_user_answers_with_a_number():
    buttons = [{"title": f"Data {n}", "payload": f'/edit_registration{{"form_field":"f{n}"}}'} for n in range(1, 12)]
    rendered = r.whatsapp_messages({"text": "*Data mana* yang diubah?", "buttons": buttons}, TO, "id")
    (path, body), = rendered.requests
    assert body["type"] == "text"
    lines = body["text"]["body"].split("\n")
    assert lines[0] == "*Data mana* yang diubah?" and lines[2] == "1. Data 1" and lines[12] == "11. Data 11"
    assert lines[-1] == "Balas dengan angka pilihan Anda, misalnya 1."
    assert "/edit_registration" not in body["text"]["body"]
    assert rendered.numbered == tuple(b["payload"] for b in buttons)
    assert r.numbered_choice("11", rendered.numbered) == '/edit_registration{"form_field":"f11"}'
    assert r.numbered_choice(" 2. ", rendered.numbered) == '/edit_registration{"form_field":"f2"}'
    assert r.numbered_choice("12", rendered.numbered) is None
    assert r.numbered_choice("0", rendered.numbered) is None
    assert r.numbered_choice("2 orang", rendered.numbered) is None
    assert r.numbered_choice("2", ()) is None


def test_a_title_longer_than_a_row_description_makes_numbered_text():
    buttons = [{"title": "x" * 73, "payload": "/affirm"}, {"title": "Tidak", "payload": "/deny"}]
    rendered = r.whatsapp_messages({"text": "?", "buttons": buttons}, TO, "en")
    assert rendered.requests[0][1]["text"]["body"] == "?\n\n1. " + "x" * 73 + "\n2. Tidak\n\nReply with the number of your choice, for example 1."
    assert rendered.numbered == ("/affirm", "/deny")


def test_long_text_is_split_between_paragraphs_under_4096():
    paragraphs = [f"Paragraf {n}. " + "kata " * 150 for n in range(12)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    requests = r.whatsapp_messages({"text": text}, TO, "id").requests
    bodies = [body["text"]["body"] for _, body in requests]
    assert len(bodies) == 3 and all(len(b) <= 4096 for b in bodies)
    assert "\n\n".join(bodies) == text  # nothing lost, cut only between paragraphs
    assert all(b.startswith("Paragraf") for b in bodies)


def test_long_text_with_buttons_keeps_the_button_body_under_1024():
    text = "\n\n".join((f"Bagian {n}: " + "isi " * 100).strip() for n in range(4))  # ~1,640 characters
    requests = r.whatsapp_messages({"text": text, "buttons": [{"title": "Ya", "payload": "/affirm"}]}, TO, "id").requests
    assert [body["type"] for _, body in requests] == ["text", "interactive"]
    first, interactive = requests[0][1]["text"]["body"], requests[1][1]["interactive"]["body"]["text"]
    assert len(interactive) <= 1024 and first + "\n\n" + interactive == text


def test_buttons_without_text_get_a_prompt_and_an_image_is_sent_natively():
    rendered = r.whatsapp_messages({"buttons": [{"title": "Ya", "payload": "/affirm"}], "image": "https://x.test/a.png"}, TO, "en")
    assert rendered.requests[0][1]["interactive"]["body"]["text"] == "Please choose:"
    assert rendered.requests[1] == wa("image", {"link": "https://x.test/a.png"})


def test_payload_longer_than_a_button_id_travels_as_a_key():
    payload = "/inform" + json.dumps({"note": "y" * 300})
    rendered = r.whatsapp_messages({"text": "?", "buttons": [{"title": "Ya", "payload": payload}]}, TO, "id")
    reply_id = rendered.requests[0][1]["interactive"]["action"]["buttons"][0]["reply"]["id"]
    assert reply_id == r.payload_key(payload) and reply_id.startswith("k:") and len(reply_id) == 22
    assert rendered.keys == {reply_id: payload}


def test_every_whatsapp_rendering_meets_the_graph_api_contract():
    cases = [
        {"text": "Halo", "buttons": GREETING_BUTTONS},
        {"text": "a" * 5000},
        {"text": "b" * 2000, "buttons": GREETING_BUTTONS[:2]},
        {"text": "c", "buttons": [{"title": "t" * 30, "payload": f"/p{n}"} for n in range(15)]},
    ]
    for message in cases:
        for _, body in r.whatsapp_messages(message, TO, "id").requests:
            assert graph_api.contract_problem(body) is None, body


def test_telegram_text_is_html_escaped_with_bold():
    (method, body), = r.telegram_messages({"text": "*Syarat* <BPU> & PU: 5*3"}, "42", "id").requests
    assert method == "sendMessage"
    assert body == {"chat_id": "42", "text": "<b>Syarat</b> &lt;BPU&gt; &amp; PU: 5*3", "parse_mode": "HTML"}
    assert bot_api.contract_problem("sendMessage", body) is None
    assert bot_api.visible_text(body) == "Syarat <BPU> & PU: 5*3"


def test_telegram_buttons_become_an_inline_keyboard_with_payloads_as_callback_data():
    (method, body), = r.telegram_messages({"text": "Halo!", "buttons": GREETING_BUTTONS}, "42", "id").requests
    assert body["reply_markup"] == {"inline_keyboard": [
        [{"text": "Cara daftar", "callback_data": "/ask_how_to_register"}],
        [{"text": "Segmen peserta", "callback_data": "/ask_segments"}],
        [{"text": "Segmen yang cocok untuk saya", "callback_data": "/ask_segment_fit"}],
        [{"text": "Hubungi petugas", "callback_data": "/request_human"}],
    ]}


def test_telegram_callback_data_over_64_bytes_is_a_key():
    payload = '/inform{"city":"' + "é" * 30 + '"}'
    assert len(payload) <= 64 < len(payload.encode("utf-8"))  # bytes count, not characters
    rendered = r.telegram_messages({"text": "?", "buttons": [{"title": "Kantor", "payload": payload}]}, "42", "en")
    data = rendered.requests[0][1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert data == r.payload_key(payload) and rendered.keys == {data: payload}
    assert bot_api.contract_problem("sendMessage", rendered.requests[0][1]) is None


def test_telegram_long_text_is_split_and_the_keyboard_goes_on_the_last_part():
    text = "\n\n".join(("*Judul* " + "& " * 1000).strip() for _ in range(3))  # 3 x 2,007 characters
    requests = r.telegram_messages({"text": text, "buttons": [{"title": "Ya", "payload": "/affirm"}]}, "42", "id").requests
    assert len(requests) == 2
    assert ["reply_markup" in body for _, body in requests] == [False, True]
    assert len(requests[0][1]["text"]) > 4096  # the escaped HTML is longer; Telegram counts what it shows
    for _, body in requests:
        assert bot_api.contract_problem("sendMessage", body) is None  # the 4096 limit counts parsed text


def test_markup_titles_are_plain_and_a_title_less_button_never_shows_its_payload():
    choices = r.choices_of({"buttons": [{"title": "*Ya*", "payload": "/affirm"}, {"payload": "/deny"}]})
    assert choices == [r.Choice("Ya", "/affirm"), r.Choice("2", "/deny")]


@pytest.mark.parametrize("title, limit, expected", [
    ("Cara daftar", 20, "Cara daftar"),
    ("Sedang bekerja / sudah pulang", 24, "Sedang bekerja / sudah…"),
    ("Segmen yang cocok untuk saya", 24, "Segmen yang cocok untuk…"),
    ("Supercalifragilisticexpialidocious", 20, "Supercalifragilisti…"),
])
def test_clip_title(title, limit, expected):
    assert r.clip_title(title, limit) == expected and len(expected) <= limit
