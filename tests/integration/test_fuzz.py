"""Fuzzing the two public channels with generated bad input: no 5xx, no raw HTML echoed, no ERROR in a log.

Over 300 inputs: sizes, encodings, control characters, HTML/JS, SQL-ish text, template strings, typed
Rasa payloads and non-string fields, sent over REST (fresh conversations and mid-form) and socket.io
(the widget's channel). The session fixture also fails the run on any ERROR/Traceback in either log.
"""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from typing import Any, List

import pytest

from tests.support.chat import post

HTML = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>', "javascript:alert(1)",
        "<a href='javascript:alert(1)'>klik</a>", "<b>daftar</b> bpu", "</textarea><iframe src=//evil>"]
SQL = ["' OR 1=1 --", "Robert'); DROP TABLE reg_preregistration;--", "1; SELECT * FROM events", "\" OR \"\"=\"",
       "admin'--", "%' UNION SELECT nik FROM reg_preregistration --"]
TEMPLATES = ["{name}", "{0}", "{{7*7}}", "${7*7}", "%s%s%s%n", "{reference}", "{__class__.__mro__}", "#{7*7}",
             "{segment_name!r:>9999}", "<%= 7*7 %>"]
PAYLOADS = ["/restart", "/session_start", "/back", "/", "//", "/affirm", "/nlu_fallback", "/EXTERNAL_reminder",
            '/inform{"segment":"<b>x</b>"}', '/inform{"segment":"xyz"}', "/inform{bad json", '/inform{"reg_nik":"3201011708900001"}',
            '/inform{"form_field":"reg_nik"}', '/request_registration{"segment":"pmi","reg_confirm":true}',
            '/check_status{"status_reference":"BPU-2026-AAAAAA"}', "/action_restart", "/rate_answer{\"rating\":\"<x>\"}",
            '/inform{"segment": ' + '['*500 + "}"]
CONTROL = ["\x00", "a\x00b", "\x1b[31mmerah\x1b[0m", "\u202edaftar", "\u200b\u200b", "\ufeffhalo", "\r\n\r\n", "\t\t",
           "\x7f\x08\x07", "\ud800", "daftar\udfff", "\U0001F600" * 50, "ب" * 30, "表" * 40, "Ｄａｆｔａｒ ＢＰＵ"]
SIZES = ["a", "a" * 999, "a" * 1000, "a" * 1001, "daftar " * 300, "x" * 5000, "bpu" * 7000, "kata " * 4000]
NUMBERS = ["3201011708900001", "0812-3456-7890", "+62 812 3456 7890", "NIK3273015508900003", "9" * 40, "-1", "1e308",
           "NaN", "0x41", "٣٢٠١"]


def _text_inputs() -> List[str]:
    return HTML + SQL + TEMPLATES + PAYLOADS + CONTROL + SIZES + NUMBERS


# Bodies that are not a valid message at all (REST only): each must get 4xx, never 5xx.
BAD_BODIES: List[Any] = [
    b"", b"null", b"[]", b"[1,2]", b'"halo"', b"5", b"true", b"{", b"\xff\xfe\x00", b'{"sender": "a"}',
    b'{"message": "halo"}', b'{"sender": "", "message": "halo"}', b'{"sender": null, "message": "halo"}',
    b'{"sender": 5, "message": "halo"}', b'{"sender": "a", "message": 5}', b'{"sender": "a", "message": null}',
    b'{"sender": "a", "message": ["x"]}', b'{"sender": "a", "message": {"x": 1}}', b'{"sender": "a b", "message": "x"}',
    b'{"sender": "' + b"a" * 300 + b'", "message": "x"}', b'{"sender": "../../etc/passwd", "message": "x"}',
    b'{"sender": "<x>", "message": "x"}', b'{"sender": "a", "message": ""}', b'{"sender": "a", "message": "   "}',
]
# Valid messages with metadata the channel does not know: the metadata is dropped, the message answered.
ODD_METADATA = [{"sender": "fz-meta", "message": "halo", "metadata": "not an object"},
                {"sender": "fz-meta", "message": "halo", "metadata": {"switch_language": ["en"]}},
                {"sender": "fz-meta", "message": "halo", "metadata": {"switch_language": "x" * 5000, "evil": "<script>"}}]


def _assert_no_raw_html(replies: Any, sent: str) -> None:
    rendered = json.dumps(replies, ensure_ascii=False)
    for marker in ("<script", "<img", "<svg", "<iframe", "onerror=", "</textarea"):
        if marker in sent.lower():
            assert marker not in rendered.lower(), f"raw HTML echoed for {sent[:60]!r}: {rendered[:300]}"


def _rest(stack, sender: str, message: Any) -> Any:
    body = json.dumps({"sender": sender, "message": message}).encode()
    status, replies = post(f"{stack.rasa_url}/webhooks/rest/webhook", body)
    assert status < 500, f"HTTP {status} for {str(message)[:80]!r}"
    return status, replies


def test_rest_fuzz_fresh_conversations_and_mid_form(stack):
    count = 0
    for text in _text_inputs():
        status, replies = _rest(stack, f"fz-{uuid.uuid4().hex[:10]}", text)
        count += 1
        if text.strip("\x00\u200b\ufeff\r\n\t\x7f\x08\x07 "):
            assert status == 200 and isinstance(replies, list) and replies, f"no answer to {text[:60]!r}: {replies}"
            _assert_no_raw_html(replies, text)
    # the same inputs inside a running pre-registration, one form per few inputs
    sender = None
    for index, text in enumerate(_text_inputs()):
        if index % 8 == 0:
            sender = f"fz-form-{uuid.uuid4().hex[:10]}"
            _rest(stack, sender, "saya mau daftar BPU")
        status, replies = _rest(stack, sender, text)
        count += 1
        _assert_no_raw_html(replies, text)
    # the same inputs inside an ordinary question
    for text in _text_inputs():
        status, replies = _rest(stack, f"fz-{uuid.uuid4().hex[:10]}", f"syarat daftar bpu {text} apa aja")
        count += 1
        assert status == 200 and replies
        _assert_no_raw_html(replies, text)
    for body in BAD_BODIES:
        status, answer = post(f"{stack.rasa_url}/webhooks/rest/webhook", body)
        count += 1
        assert 400 <= status < 500, f"HTTP {status} for body {body[:60]!r}"
    for body in ODD_METADATA:
        status, answer = post(f"{stack.rasa_url}/webhooks/rest/webhook", json.dumps(body).encode())
        count += 1
        assert status == 200 and answer, f"HTTP {status} for {body}"
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        status, _ = post(f"{stack.rasa_url}/webhooks/rest/webhook", b'{"sender":"a","message":"x"}', content_type)
        count += 1
        assert status == 415
    print(f"REST fuzz: {count} requests, no 5xx")
    assert count >= 240
    assert not stack.log_problems(), "\n".join(stack.log_problems()[:60])


async def _socketio_session(url: str, inputs: List[Any]) -> List[Any]:
    """Each input opens its own conversation on one socket (as a widget reload does), so that two failures
    in a row never hand the conversation to a person, after which the assistant rightly goes quiet."""
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    answers: "asyncio.Queue[Any]" = asyncio.Queue()
    confirmations: "asyncio.Queue[str]" = asyncio.Queue()
    client.on("bot_uttered", lambda data: answers.put_nowait(data))
    client.on("session_confirm", lambda data: confirmations.put_nowait(data))
    await client.connect(url, headers={"Origin": "http://localhost:8080"}, transports=["polling"], socketio_path="/socket.io")

    async def new_session() -> str:
        await client.emit("session_request", {"session_id": uuid.uuid4().hex})
        return await asyncio.wait_for(confirmations.get(), 30)

    received, unanswered = [], []
    for message in inputs:
        session_id = await new_session()
        await client.emit("user_uttered", {"message": message, "session_id": session_id, "customData": {"x": message}})
        expects_answer = isinstance(message, str) and message.strip("\x00\u200b\ufeff\r\n\t\x7f\x08\x07 ")
        try:
            received.append((message, await asyncio.wait_for(answers.get(), 60 if expects_answer else 1)))
        except asyncio.TimeoutError:
            if expects_answer:
                unanswered.append(message)
        await asyncio.sleep(0.2)  # a turn may send several bubbles: take them all before the next message
        while not answers.empty():
            received.append((message, answers.get_nowait()))
    assert not unanswered, f"no answer over socket.io to {[str(m)[:40] for m in unanswered]}"
    # data that is not a message object at all: ignored, the socket stays usable
    session_id = await new_session()
    for junk in (None, 5, "text", ["a"], {"message": "halo"}):
        await client.emit("user_uttered", junk)
    await client.emit("user_uttered", {"message": "halo", "session_id": session_id})
    received.append(("halo", await asyncio.wait_for(answers.get(), 60)))
    await client.disconnect()
    return received


def test_socketio_fuzz(stack):
    rng = random.Random(7)
    inputs: List[Any] = _text_inputs() + [5, None, ["x"], {"a": 1}, True]
    rng.shuffle(inputs)
    received = asyncio.run(_socketio_session(stack.rasa_url, inputs))
    for sent, reply in received:
        _assert_no_raw_html(reply, sent if isinstance(sent, str) else "")
    print(f"socket.io fuzz: {len(inputs) + 6} messages, {len(received)} answers")
    assert len(received) >= 50
    assert not stack.log_problems(), "\n".join(stack.log_problems()[:60])


@pytest.mark.parametrize("path", ["/webhooks/rest/webhook/../../", "/webhooks/nope", "/socket.io/?EIO=9", "/%00", "/..%2f..%2fetc"])
def test_unknown_paths_get_4xx_json_without_a_trace(stack, path):
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(stack.rasa_url + path, timeout=10) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    assert status < 500 and b"Traceback" not in body and b"sanic" not in body.lower()
