"""What every channel does to a message before the NLU sees it."""

import pytest

from tanya.channels.inbound import RESTART_REQUEST, clean_metadata, clip, prepare_text
from tanya.channels.rest import RequestError, parse_body


def test_a_long_message_is_cut_at_a_word_boundary_and_flagged():
    inbound = prepare_text("daftar " * 300, 1000)
    assert inbound.clipped and inbound.original_length == 2100
    assert len(inbound.text) <= 1000 and inbound.text.endswith("daftar")


def test_a_message_without_spaces_is_cut_hard():
    assert clip("x" * 1500, 1000) == "x" * 1000


def test_short_messages_pass_unchanged_but_normalised():
    inbound = prepare_text("  ０８１２ ada\x00 apa\x07?\n  ", 1000)
    assert inbound.text == "0812 ada apa?"
    assert not inbound.clipped


def test_emoji_sequences_survive():
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467"
    assert prepare_text(family, 1000).text == family


@pytest.mark.parametrize("typed", ["/restart", " /restart ", "/session_start", "/back", "/RESTART{\"x\":1}"])
def test_typed_control_payloads_ask_for_confirmation(typed):
    assert prepare_text(typed, 1000).text == RESTART_REQUEST


@pytest.mark.parametrize("typed", ["/greet", "/inform{\"segment\":\"bpu\"}", "restart", "mau restart hp"])
def test_other_text_and_payloads_are_left_alone(typed):
    assert prepare_text(typed, 1000).text == typed.strip()


def test_metadata_keeps_only_known_string_keys():
    assert clean_metadata({"switch_language": "en", "admin": True, "x": "y"}) == {"switch_language": "en"}
    assert clean_metadata(["switch_language"]) is None
    assert clean_metadata({"switch_language": 5}) is None


@pytest.mark.parametrize(
    "json_ok, body, status, problem",
    [
        (False, b'{"sender":"a","message":"b"}', 415, "application/json"),
        (True, b"[1]", 400, "JSON object"),
        (True, b"", 400, "JSON object"),
        (True, b"\xff", 400, "not valid JSON"),
        (True, b'{"sender":"a","message":null}', 400, "'message'"),
        (True, b'{"sender":"","message":"x"}', 400, "'sender'"),
    ],
)
def test_rest_body_errors_name_the_problem(json_ok, body, status, problem):
    with pytest.raises(RequestError) as raised:
        parse_body(json_ok, body)
    assert raised.value.status == status and problem in str(raised.value)


def test_rest_body_accepted():
    assert parse_body(True, b'{"sender":"web-1","message":"halo","metadata":{"switch_language":"en"}}') == (
        "web-1",
        "halo",
        {"switch_language": "en"},
    )


@pytest.mark.parametrize("raw, expected", [("\ud800", ""), ("daftar\udfff bpu", "daftar bpu"), ("a\x00b\x1bc", "abc")])
def test_lone_surrogates_and_control_characters_are_removed(raw, expected):
    prepared = prepare_text(raw, 1000)
    assert prepared.text == expected
    prepared.text.encode("utf-8")  # always encodable: the tokenizer needs UTF-8


class _Store:
    def __init__(self, language=None, broken=False):
        self.language, self.broken = language, broken

    async def retrieve(self, sender_id):
        if self.broken:
            raise ConnectionError("database down")
        from types import SimpleNamespace

        return SimpleNamespace(events=[], get_slot=lambda name: self.language if name == "language" else None)


def _app(store):
    from types import SimpleNamespace

    return SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(tracker_store=store)))


@pytest.mark.parametrize(
    "store, text, expected",
    [
        (_Store("en"), "17 Agustus 1990", "en"),  # the conversation's language wins over the answer's words
        (_Store(None), "tolong bantu saya daftar", "id"),  # no language yet: the text decides
        (_Store(broken=True), "please help me register", "en"),  # the store is down: the text decides
    ],
)
def test_failure_notices_follow_the_conversation_language(store, text, expected):
    import asyncio

    from tanya.channels.notices import conversation_language

    assert asyncio.run(conversation_language(_app(store), "web-1", text)) == expected


def test_pending_engineio_pings_are_cancelled_before_the_loop_stops():
    import asyncio

    from tanya.channels.socketio import cancel_ping_tasks

    class FakeSocket:
        async def _send_ping(self):
            await asyncio.sleep(25)

    async def scenario():
        pings = [asyncio.ensure_future(FakeSocket()._send_ping()) for _ in range(3)]
        other = asyncio.ensure_future(asyncio.sleep(0.01))
        await asyncio.sleep(0)
        cancelled = await cancel_ping_tasks()
        await other
        return cancelled, [task.cancelled() for task in pings], other.cancelled()

    cancelled, states, other_cancelled = asyncio.run(scenario())
    assert cancelled == 3 and all(states) and not other_cancelled


def test_failure_notice_language_ignores_the_stand_in_tracker_of_a_database_outage():
    import asyncio

    from tanya.channels.notices import conversation_language
    from tanya.rasa_addons.tracker_store import unavailable_tracker

    class DownStore:
        async def retrieve(self, sender_id):
            return unavailable_tracker(sender_id, None)  # what the store answers while PostgreSQL is down

    assert asyncio.run(conversation_language(_app(DownStore()), "web-1", "sorry, is anyone there?")) == "en"


def test_a_widget_turn_that_fails_gets_the_notice_in_the_conversation_language(caplog):
    """A date typed into an English conversation is not English: the socket.io notice follows the slot."""
    import asyncio

    from tanya import messages
    from tanya.channels.socketio import TanyaSocketIOInput

    channel = TanyaSocketIOInput.from_credentials({"session_persistence": False})

    async def failing_turn(message):
        raise RuntimeError("the turn broke")

    blueprint = channel.blueprint(failing_turn)
    sent = []

    async def emit(event, data, room=None, namespace=None, **kwargs):
        sent.append(data)

    channel.sio.emit = emit
    channel.sio.enter_room = lambda sid, room, namespace=None: None  # no real socket is connected here
    starts = [f.listener for f in blueprint._future_listeners if f.event in ("before_server_start", "server.init.before")]

    async def scenario():
        for listener in starts:
            await listener(_app(_Store("en")), None)
        handler = channel.sio.handlers["/"][channel.user_message_evt]
        await handler("sid-1", {"message": "17 Agustus 1990"})

    asyncio.run(scenario())
    assert sent[-1] == {"text": messages.text("reply_failed", "en")}
    assert "socket.io message could not be handled" in caplog.text  # staff get the log
