"""What the app channels keep and send: seen message ids, remembered choices, retried replies."""

import asyncio
import logging
import threading

import pytest

from tanya.channels import addresses, choices, identity, outbound, seen_messages
from tests.fakes import bot_api, graph_api

FAST = outbound.RetryPolicy(attempts=3, first_delay=0.01, max_delay=0.05, timeout=5)


@pytest.fixture
def db(migrated_sqlite):
    return migrated_sqlite


def test_a_message_id_is_claimed_once_per_channel(db):
    assert seen_messages.claim("whatsapp", "wamid.A", db)
    assert not seen_messages.claim("whatsapp", "wamid.A", db)
    assert seen_messages.claim("telegram", "wamid.A", db)  # another channel's ids are another space
    assert seen_messages.claim("whatsapp", "wamid.B", db)


def test_concurrent_claims_of_one_id_let_exactly_one_through(db):
    seen_messages.claim("whatsapp", "warm-up", db)
    results = []
    threads = [threading.Thread(target=lambda: results.append(seen_messages.claim("whatsapp", "wamid.same", db))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]


def test_ids_are_stored_hashed(db, tmp_path):
    seen_messages.claim("whatsapp", "wamid.HBgNNjI4MTIzNDU2Nzg5MA", db)
    assert b"wamid.HBgN" not in (tmp_path / "tanya.db").read_bytes()


def test_numbered_choices_are_replaced_by_every_turn(db):
    choices.save_turn("whatsapp", "628111", ("/a", "/b", "/c"), {}, db)
    assert choices.numbered_choices("whatsapp", "628111", db) == ("/a", "/b", "/c")
    assert choices.numbered_choices("whatsapp", "628222", db) == ()
    choices.save_turn("whatsapp", "628111", (), {}, db)  # a turn without numbered choices
    assert choices.numbered_choices("whatsapp", "628111", db) == ()
    choices.save_turn("whatsapp", "628111", ("/x",), {}, db)
    choices.save_turn("whatsapp", "628111", None, {}, db)  # outside a turn: kept
    assert choices.numbered_choices("whatsapp", "628111", db) == ("/x",)


def test_keys_are_remembered_per_user(db):
    choices.save_turn("telegram", "42", (), {"k:abc": "/long"}, db)
    choices.save_turn("telegram", "42", (), {"k:abc": "/long"}, db)  # the same button again
    assert choices.payload_for_key("telegram", "42", "k:abc", db) == "/long"
    assert choices.payload_for_key("telegram", "43", "k:abc", db) is None


@pytest.fixture(scope="module")
def graph():
    fake = graph_api.start()
    yield fake
    fake.stop()


def _send(graph, recipient, bodies, token=graph_api.ACCESS_TOKEN):
    url = f"{graph.url}/{graph_api.VERSION}/{graph_api.PHONE_NUMBER_ID}/messages"
    requests = [(url, body) for body in bodies]
    return asyncio.run(outbound.send_all("WhatsApp", recipient, requests, {"Authorization": f"Bearer {token}"}, FAST))


def text_body(to, text):
    return {"messaging_product": "whatsapp", "to": to, "type": "text", "text": {"body": text}}


def test_a_500_is_retried_and_the_reply_arrives_once(graph):
    graph.fail_next(2, 500)
    assert _send(graph, "628100000001", [text_body("628100000001", "halo")])
    assert [r.status for r in graph.calls_to("628100000001")] == [500, 500, 200]


def test_429_is_retried_too(graph):
    graph.fail_next(1, 429)
    assert _send(graph, "628100000002", [text_body("628100000002", "halo")])
    assert [r.status for r in graph.calls_to("628100000002")] == [429, 200]


def test_a_lasting_outage_gives_up_with_one_masked_warning(graph, caplog):
    graph.fail_next(3, 503)
    with caplog.at_level(logging.WARNING, logger="tanya.channels.outbound"):
        assert not _send(graph, "628100000003", [text_body("628100000003", "satu"), text_body("628100000003", "dua")])
    assert [r.status for r in graph.calls_to("628100000003")] == [503, 503, 503]  # "dua" never sent
    (record,) = caplog.records
    assert record.levelname == "WARNING"
    assert record.getMessage() == (
        "WhatsApp: a reply to ********0003 was not delivered after 3 attempt(s): "
        "HTTP 503 (code 131000: Something went wrong (fake outage))"
    )


def test_a_4xx_is_final_and_names_the_graph_error(graph, caplog):
    with caplog.at_level(logging.WARNING, logger="tanya.channels.outbound"):
        assert not _send(graph, "628100000004", [text_body("628100000004", "halo")], token="wrong")
    assert len(graph.calls_to("628100000004")) == 1
    assert "HTTP 401 (code 190: Invalid OAuth access token)" in caplog.records[0].getMessage()
    assert "wrong" not in caplog.text and "halo" not in caplog.text


def test_an_unreachable_api_is_a_warning_without_the_url(caplog):
    url = "http://127.0.0.1:9/bot123:SECRET/sendMessage"  # port 9 (discard): nothing listens
    with caplog.at_level(logging.WARNING, logger="tanya.channels.outbound"):
        assert not asyncio.run(outbound.send_all("Telegram", "5551234", [(url, {"chat_id": 5551234})], {}, FAST))
    assert "ClientConnectorError" in caplog.text and "SECRET" not in caplog.text and "***1234" in caplog.text


def test_a_wait_the_server_asks_for_is_never_shortened_and_a_too_long_one_gives_up():
    assert 0.02 < outbound.backoff(1, FAST, retry_after=0.02) <= 0.02 + 0.25
    assert outbound.backoff(1, FAST, retry_after=3) >= 3  # longer than FAST.max_delay, still sat out
    assert outbound.backoff(1, FAST, retry_after=FAST.max_retry_after + 1) is None
    assert FAST.first_delay * 0.5 <= outbound.backoff(1, FAST) <= FAST.first_delay
    assert outbound.backoff(10, FAST) <= FAST.max_delay


def test_the_wait_is_read_from_telegrams_body_or_the_header():
    flood = {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 3", "parameters": {"retry_after": 3}}
    assert outbound.retry_after({}, flood) == 3  # the Bot API: body only, no header
    assert outbound.retry_after({"Retry-After": "7"}, None) == 7
    assert outbound.retry_after({"Retry-After": "1"}, flood) == 3  # both: the longer
    assert outbound.retry_after({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, None) == 0  # a date in the past
    assert outbound.retry_after({"Retry-After": "soon"}, {"parameters": {"retry_after": "x"}}) is None
    assert outbound.retry_after({}, {"ok": False, "error_code": 500}) is None


def test_telegram_flood_control_is_sat_out_and_the_reply_arrives(monkeypatch, db):
    """The Bot API answers 429 retry_after=3 (in the body) twice: no attempt comes sooner than 3 s after
    a 429, and the reply is delivered once."""
    fake = bot_api.start()
    try:
        for name, value in fake.env.items():
            monkeypatch.setenv(name, value)
        from tanya.channels import telegram

        fake.flood_next(2, retry_after=3)
        asyncio.run(telegram.send_text(known_conversation(monkeypatch, db, "telegram", "778"), "halo"))
        calls = fake.calls("sendMessage")
        assert [call.status for call in calls] == [429, 429, 200]
        gaps = [later.at - earlier.at for earlier, later in zip(calls, calls[1:])]
        assert all(gap >= 3 for gap in gaps), gaps
        assert fake.delivered_to(778) == [{"chat_id": "778", "text": "halo", "parse_mode": "HTML"}]
    finally:
        fake.stop()


def test_a_wait_longer_than_the_cap_gives_up_at_once_with_a_warning(monkeypatch, db, caplog):
    fake = bot_api.start()
    try:
        fake.flood_next(1, retry_after=3600)
        url = f"{fake.url}/bot{bot_api.BOT_TOKEN}/sendMessage"
        with caplog.at_level(logging.WARNING, logger="tanya.channels.outbound"):
            assert not asyncio.run(outbound.send_all("Telegram", "5550001", [(url, {"chat_id": "5550001", "text": "halo"})], {}))
        assert [call.status for call in fake.calls("sendMessage")] == [429]
        assert "HTTP 429 (Too Many Requests: retry after 3600) (asked to wait 3600 s, longer than 30 s)" in caplog.text
    finally:
        fake.stop()


def test_telegram_errors_are_described():
    assert outbound.describe_error(400, {"ok": False, "description": "Bad Request: chat not found"}) == "HTTP 400 (Bad Request: chat not found)"
    assert outbound.describe_error(502, None) == "HTTP 502"


def known_conversation(monkeypatch, db, channel, address):
    """The conversation id of `address` on `channel`, with its address in the address book (as after a message)."""
    monkeypatch.setenv("DATABASE_URL", db)
    conversation = identity.conversation_id(channel, address)
    addresses.book(db).remember(channel, conversation, address)
    return conversation


def test_send_text_reaches_the_bot_api(monkeypatch, db):
    fake = bot_api.start()
    try:
        for name, value in fake.env.items():
            monkeypatch.setenv(name, value)
        from tanya.channels import telegram

        asyncio.run(telegram.send_text(known_conversation(monkeypatch, db, "telegram", "777"), "*Agen*: halo <3"))
        assert fake.delivered_to(777) == [{"chat_id": "777", "text": "<b>Agen</b>: halo &lt;3", "parse_mode": "HTML"}]
    finally:
        fake.stop()


def test_send_text_reaches_the_graph_api(monkeypatch, graph, db):
    for name, value in graph.env.items():
        monkeypatch.setenv(name, value)
    from tanya.channels import whatsapp

    asyncio.run(whatsapp.send_text(known_conversation(monkeypatch, db, "whatsapp", "628100000005"), "*Agen*: halo"))
    assert graph.delivered_to("628100000005") == [{
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": "628100000005",
        "type": "text", "text": {"body": "*Agen*: halo", "preview_url": False},
    }]


def test_send_text_without_settings_warns_and_raises(monkeypatch, caplog):
    monkeypatch.setenv("WHATSAPP_ACCESS_TOKEN", "")
    from tanya.channels import whatsapp

    with caplog.at_level(logging.WARNING), pytest.raises(outbound.DeliveryError):
        asyncio.run(whatsapp.send_text(identity.conversation_id("whatsapp", "628100000006"), "halo"))
    assert "not configured" in caplog.text and "WHATSAPP_ACCESS_TOKEN" in caplog.text and "628100000006" not in caplog.text


def test_send_text_that_cannot_be_delivered_raises_for_the_caller(monkeypatch, graph, db):
    for name, value in graph.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("WHATSAPP_ACCESS_TOKEN", "expired")  # a 401: final, no retries
    from tanya.channels import whatsapp

    conversation = known_conversation(monkeypatch, db, "whatsapp", "628100000007")
    with pytest.raises(outbound.DeliveryError):
        asyncio.run(whatsapp.send_text(conversation, "halo"))
    assert [call.status for call in graph.calls_to("628100000007")] == [401]


def test_send_text_to_a_conversation_whose_address_is_unknown_raises_and_sends_nothing(monkeypatch, graph, db):
    for name, value in graph.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATABASE_URL", db)
    from tanya.channels import whatsapp

    with pytest.raises(outbound.DeliveryError):
        asyncio.run(whatsapp.send_text(identity.conversation_id("whatsapp", "628100000008"), "halo"))
    assert graph.calls_to("628100000008") == []
