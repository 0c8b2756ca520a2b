"""The Telegram channel's pure parts: the secret header, update parsing, the setWebhook call."""

import pytest

from tanya.channels import telegram as t
from tanya.settings import Settings
from tests.fakes import bot_api


def test_the_secret_must_match_exactly():
    assert t.secret_is_valid("s3cret_-A", "s3cret_-A")
    for given in (None, "", "s3cret_-a", "s3cret_-A ", "x"):
        assert not t.secret_is_valid("s3cret_-A", given)
    assert not t.secret_is_valid("", "")  # no secret configured: nothing is accepted


def test_a_text_message():
    update = bot_api.message_update(555, "cara daftar BPU?", language_code="en-GB", update_id=7)
    assert t.parse_update(update) == t.Update(7, t.TEXT, "555", "cara daftar BPU?", "en")


@pytest.mark.parametrize("text", ["/start", "/start ref123", "/start@TanyaBot", "/help"])
def test_start_and_help_are_the_greeting(text):
    assert t.parse_update(bot_api.message_update(555, text, update_id=8)).kind == t.START


def test_other_commands_are_text():
    assert t.parse_update(bot_api.message_update(555, "/startup", update_id=8)).kind == t.TEXT


@pytest.mark.parametrize("code, language", [("en", "en"), ("en-US", "en"), ("id", "id"), ("ms", "id"), (None, "id")])
def test_the_language_comes_from_the_users_telegram(code, language):
    update = bot_api.message_update(555, "/start", update_id=9)
    update["message"]["from"]["language_code"] = code
    assert t.parse_update(update).language == language


def test_a_button_press_carries_its_data_and_the_query_id():
    update = bot_api.callback_update(555, '/inform{"pmi_stage":"extension"}', language_code="en", update_id=10)
    parsed = t.parse_update(update)
    assert parsed == t.Update(10, t.CALLBACK, "555", '/inform{"pmi_stage":"extension"}', "en", update["callback_query"]["id"])


@pytest.mark.parametrize("extra", [
    {"photo": [{"file_id": "a", "width": 90, "height": 90}]},
    {"sticker": {"file_id": "s"}},
    {"voice": {"file_id": "v", "duration": 3}},
    {"location": {"latitude": -6.2, "longitude": 106.8}},
    {"document": {"file_id": "d"}},
])
def test_non_text_messages_are_unreadable(extra):
    parsed = t.parse_update(bot_api.message_update(555, None, update_id=11, extra=extra))
    assert parsed == t.Update(11, t.UNREADABLE, "555", "", "id")


def test_a_photo_with_a_caption_is_still_unreadable():
    parsed = t.parse_update(bot_api.message_update(555, None, update_id=11, extra={"photo": [], "caption": "ini KTP saya"}))
    assert parsed.kind == t.UNREADABLE


def test_edited_messages_and_groups_are_ignored():
    edited = {"update_id": 12, "edited_message": bot_api.message_update(555, "ralat")["message"]}
    assert t.parse_update(edited) == t.Update(12, t.IGNORED)
    group = bot_api.message_update(-100123, "halo", update_id=13, chat_type="group")
    assert t.parse_update(group).kind == t.IGNORED
    service = bot_api.message_update(555, None, update_id=14, extra={"pinned_message": {}})
    assert t.parse_update(service).kind == t.IGNORED


def test_a_button_press_in_a_group_is_still_answered_but_not_handled():
    update = bot_api.callback_update(555, "/affirm", update_id=15)
    update["callback_query"]["message"]["chat"]["type"] = "supergroup"
    parsed = t.parse_update(update)
    assert parsed.kind == t.IGNORED and parsed.callback_id == update["callback_query"]["id"]


@pytest.mark.parametrize("data", [None, [], "x", {}, {"update_id": "7"}, {"update_id": True, "message": {}}])
def test_what_is_not_an_update_is_none(data):
    assert t.parse_update(data) is None


def test_an_update_of_another_kind_is_ignored():
    assert t.parse_update({"update_id": 16, "my_chat_member": {}}) == t.Update(16, t.IGNORED)


def test_set_webhook_sends_the_secret_and_only_the_updates_we_read():
    settings = Settings(telegram_bot_token="1:abc", telegram_secret_token="sec", telegram_api_base="https://api.telegram.org")
    url, body = t.set_webhook_request(settings, "https://tanya.example/webhooks/telegram/webhook")
    assert url == "https://api.telegram.org/bot1:abc/setWebhook"
    assert body == {"url": "https://tanya.example/webhooks/telegram/webhook", "secret_token": "sec",
                    "allowed_updates": ["message", "callback_query"], "drop_pending_updates": False}


def test_set_webhook_command_refuses_plain_http_and_missing_settings(monkeypatch, capsys):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    assert t.main(["set-webhook", "--url", "https://x.test/webhooks/telegram/webhook"]) == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:abc")
    monkeypatch.setenv("TELEGRAM_SECRET_TOKEN", "sec")
    assert t.main(["set-webhook", "--url", "http://x.test/hook"]) == 2
    assert "https://" in capsys.readouterr().err
