"""The WhatsApp webhook's pure parts: Meta's signature, the verification handshake, the body parsing."""

import hashlib
import hmac
import json

import pytest

from tanya.channels import whatsapp as w
from tests.fakes import graph_api

SECRET = "app-secret"
BODY = json.dumps(graph_api.webhook_body([graph_api.text_message("6281234567890", "halo", "wamid.A")])).encode()


def header(body=BODY, secret=SECRET):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_a_correct_signature_is_accepted():
    assert w.signature_is_valid(SECRET, BODY, header())
    assert w.signature_is_valid(SECRET, BODY, header().upper().replace("SHA256=", "sha256="))  # hex case


@pytest.mark.parametrize("given", [
    None,
    "",
    "sha256=",
    header(secret="another-secret"),
    header(body=BODY + b" "),  # the body changed after signing
    header()[len("sha256="):],  # no "sha256=" prefix
    "sha1=" + hmac.new(SECRET.encode(), BODY, hashlib.sha1).hexdigest(),
    "sha256=ünïcode",
])
def test_missing_or_wrong_signatures_are_refused(given):
    assert not w.signature_is_valid(SECRET, BODY, given)


def test_no_app_secret_refuses_everything():
    assert not w.signature_is_valid("", BODY, "sha256=" + hmac.new(b"", BODY, hashlib.sha256).hexdigest())


def test_verification_echoes_the_challenge_for_the_right_token():
    args = {"hub.mode": ["subscribe"], "hub.verify_token": ["tok"], "hub.challenge": ["1158201444"]}
    assert w.verification_challenge(args, "tok") == "1158201444"


@pytest.mark.parametrize("args", [
    {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
    {"hub.mode": "unsubscribe", "hub.verify_token": "tok", "hub.challenge": "1"},
    {"hub.verify_token": "tok", "hub.challenge": "1"},
    {"hub.mode": "subscribe", "hub.challenge": "1"},
    {"hub.mode": "subscribe", "hub.verify_token": "tok"},
    {"hub.mode": "subscribe", "hub.verify_token": "tok", "hub.challenge": "<script>alert(1)</script>"},
])
def test_verification_is_refused_otherwise(args):
    assert w.verification_challenge(args, "tok") is None


def test_verification_without_a_configured_token_is_refused():
    assert w.verification_challenge({"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}, "") is None


def test_text_button_list_and_unreadable_messages_are_parsed():
    body = graph_api.webhook_body([
        graph_api.text_message("6281111111111", "cara daftar BPU?", "wamid.1"),
        graph_api.button_reply("6281111111111", "/affirm", "Benar, kirim", "wamid.2"),
        graph_api.list_reply("6281111111111", "/ask_segments", "Segmen peserta", "wamid.3"),
        graph_api.image_message("6281111111111", "wamid.4"),
        {"from": "6281111111111", "id": "wamid.5", "type": "location", "location": {"latitude": 1, "longitude": 2}},
        {"from": "6281111111111", "id": "wamid.6", "type": "sticker", "sticker": {"id": "9"}},
        {"from": "6281111111111", "id": "wamid.7", "type": "audio", "audio": {"id": "9", "voice": True}},
        {"from": "6281111111111", "id": "wamid.8", "type": "reaction", "reaction": {"message_id": "wamid.x", "emoji": "👍"}},
        {"from": "6281111111111", "id": "wamid.9", "type": "button", "button": {"text": "Ya", "payload": "/affirm"}},
    ], contacts=[{"profile": {"name": "Budi"}, "wa_id": "6281111111111"}])
    assert w.parse_webhook(body, graph_api.PHONE_NUMBER_ID) == [
        w.Incoming("wamid.1", "6281111111111", w.TEXT, "cara daftar BPU?"),
        w.Incoming("wamid.2", "6281111111111", w.CHOICE, "/affirm"),  # the id, not the title
        w.Incoming("wamid.3", "6281111111111", w.CHOICE, "/ask_segments"),
        w.Incoming("wamid.4", "6281111111111", w.UNREADABLE),
        w.Incoming("wamid.5", "6281111111111", w.UNREADABLE),
        w.Incoming("wamid.6", "6281111111111", w.UNREADABLE),
        w.Incoming("wamid.7", "6281111111111", w.UNREADABLE),
        w.Incoming("wamid.9", "6281111111111", w.CHOICE, "/affirm"),
    ]


def test_status_callbacks_carry_no_messages():
    body = graph_api.webhook_body(statuses=[{"id": "wamid.1", "status": "delivered", "recipient_id": "6281111111111"}])
    assert w.parse_webhook(body, graph_api.PHONE_NUMBER_ID) == []


def test_messages_to_another_number_of_the_app_are_skipped():
    body = graph_api.webhook_body([graph_api.text_message("6281111111111", "halo")], phone_number_id="999")
    assert w.parse_webhook(body, graph_api.PHONE_NUMBER_ID) == []


@pytest.mark.parametrize("body", [
    None, [], "x", {"object": "page", "entry": []}, {"object": "whatsapp_business_account", "entry": "x"},
    {"object": "whatsapp_business_account", "entry": [None, {"changes": [None, {"field": "messages", "value": []}]}]},
    graph_api.webhook_body([{"from": "not-a-number", "id": "wamid.1", "type": "text", "text": {"body": "x"}}]),
    graph_api.webhook_body([{"from": "6281111111111", "type": "text", "text": {"body": "no id"}}]),
    graph_api.webhook_body([{"from": "6281111111111", "id": "wamid.1", "type": "text", "text": {"body": 5}}]),
    graph_api.webhook_body([{"from": "6281111111111", "id": "wamid.1", "type": "interactive", "interactive": {"type": "nfm_reply"}}]),
])
def test_odd_bodies_give_nothing_and_never_raise(body):
    assert w.parse_webhook(body, graph_api.PHONE_NUMBER_ID) == []


def test_missing_settings_are_named():
    from tanya.settings import Settings

    settings = Settings(whatsapp_verify_token="v", whatsapp_app_secret="", whatsapp_access_token="", whatsapp_phone_number_id="1")
    assert w.missing_settings(settings, w.REQUIRED) == ["WHATSAPP_APP_SECRET", "WHATSAPP_ACCESS_TOKEN"]


def test_the_messages_url_uses_the_pinned_version_and_the_phone_number_id():
    from tanya.settings import Settings

    settings = Settings(whatsapp_phone_number_id="123")
    assert w.messages_url(settings) == "https://graph.facebook.com/v20.0/123/messages"


def _with_value(value):
    return {"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [{"field": "messages", "value": value}]}]}


MALFORMED = {
    "no entry": {"object": "whatsapp_business_account"},
    "entry not a list": {"object": "whatsapp_business_account", "entry": 5},
    "no changes": {"object": "whatsapp_business_account", "entry": [{"id": "W"}]},
    "changes not a list": {"object": "whatsapp_business_account", "entry": [{"changes": {"field": "messages"}}]},
    "no value": {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages"}]}]},
    "value not an object": _with_value("x"),
    "neither messages nor statuses": _with_value({"messaging_product": "whatsapp"}),
    "metadata not an object": _with_value({"metadata": "x", "messages": []}),
    "messages not a list": _with_value({"messages": {"from": "6281111111111"}}),
    "message not an object": _with_value({"messages": ["x"]}),
    "text without body": _with_value({"messages": [{"from": "6281111111111", "id": "wamid.1", "type": "text", "text": "halo"}]}),
    "interactive of the wrong type": _with_value({"messages": [{"from": "6281111111111", "id": "wamid.1", "type": "interactive",
                                                               "interactive": {"type": "button_reply", "button_reply": "x"}}]}),
    "button not an object": _with_value({"messages": [{"from": "6281111111111", "id": "wamid.1", "type": "button", "button": []}]}),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_bodies_give_no_message_and_name_the_problem(name):
    found, problems = w.read_webhook(MALFORMED[name], graph_api.PHONE_NUMBER_ID)
    assert found == [] and problems
    assert w.problem_summary(problems)


def test_good_messages_next_to_a_malformed_one_are_still_taken():
    body = graph_api.webhook_body([graph_api.text_message("6281111111111", "halo", "wamid.1"), {"type": "text"}])
    found, problems = w.read_webhook(body, graph_api.PHONE_NUMBER_ID)
    assert [m.message_id for m in found] == ["wamid.1"] and problems == ["a message without a valid id or sender"]
    assert w.problem_summary(["a", "b", "c"]) == "a (and 2 more)"


def test_statuses_reactions_and_other_subscriptions_are_no_problem():
    for body in (graph_api.webhook_body(statuses=[{"id": "wamid.1", "status": "read"}]),
                 graph_api.webhook_body([{"from": "6281111111111", "id": "wamid.8", "type": "reaction", "reaction": {}}]),
                 {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "account_update", "value": 1}]}]}):
        assert w.read_webhook(body, graph_api.PHONE_NUMBER_ID) == ([], [])
