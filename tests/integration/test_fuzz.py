"""Fuzzing every entry point with generated bad input: no 5xx, no raw HTML echoed, no ERROR in a log.

REST and socket.io below; then validly signed WhatsApp, Telegram and Chatwoot webhooks with random,
malformed and deeply nested bodies, garbage socket.io frames, and the staff dashboard's forms and dates.

Over 300 inputs: sizes, encodings, control characters, HTML/JS, SQL-ish text, template strings, typed
Rasa payloads and non-string fields, sent over REST (fresh conversations and mid-form) and socket.io
(the widget's channel). The session fixture also fails the run on any ERROR/Traceback in either log.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
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


# -- the other entry points: WhatsApp, Telegram, Chatwoot, the socket.io transport, the dashboard -----------

DEEP = [b"[" * 100_000, b'{"a":' * 5000 + b"1" + b"}" * 5000, b"[" * 33 + b"]" * 33]
NOT_JSON = [b"", b"{", b"\xff\xfe\x00", b"1" * 5000, b"nul"]


def _random_json(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(8 if depth < 6 else 5)
    if kind == 0:
        return rng.choice([None, True, False, 0, -1, 1e308, "x" * rng.randrange(50)])
    if kind in (1, 2):
        return rng.choice(_text_inputs())
    if kind in (3, 4):
        return rng.randrange(-10 ** 12, 10 ** 12)
    if kind in (5, 6):
        keys = ["object", "entry", "changes", "value", "messages", "statuses", "text", "from", "id", "type", "update_id",
                "message", "chat", "callback_query", "event", "content", "conversation", "message_type", "private", "status"]
        return {rng.choice(keys): _random_json(rng, depth + 1) for _ in range(rng.randrange(5))}
    return [_random_json(rng, depth + 1) for _ in range(rng.randrange(4))]


def _post_raw(url: str, body: bytes, headers: dict) -> int:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json", **headers}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def _whatsapp_shapes(rng: random.Random) -> List[Any]:
    from tests.fakes import graph_api as wa

    message = wa.text_message("6281234567890", "halo")
    good = wa.webhook_body([message])
    shapes = [
        {"object": "whatsapp_business_account"}, {"object": "whatsapp_business_account", "entry": 5},
        {"object": "whatsapp_business_account", "entry": [{"changes": "x"}]},
        {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages"}]}]},
        {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", "value": {"metadata": 5}}]}]},
        wa.webhook_body({"not": "a list"}), wa.webhook_body([{**message, "text": "no body"}]), wa.webhook_body([7, None]),
        wa.webhook_body([{**message, "type": "interactive", "interactive": ["x"]}]), [], None, "halo",
    ]
    for _ in range(60):  # the good body with one part replaced by something random
        body = json.loads(json.dumps(good))
        target = rng.choice([body, body["entry"][0], body["entry"][0]["changes"][0], body["entry"][0]["changes"][0]["value"]])
        target[rng.choice(list(target))] = _random_json(rng)
        shapes.append(body)
    return shapes + [_random_json(rng) for _ in range(40)]


def test_signed_webhooks_of_whatsapp_telegram_and_chatwoot_never_get_a_5xx(stack, fakes):
    from tests.fakes import bot_api as tg
    from tests.fakes import graph_api as wa
    from tests.fakes.chatwoot import signed_request

    rng = random.Random(16)
    count = 0
    whatsapp = f"{stack.rasa_url}/webhooks/whatsapp/webhook"
    for shape in _whatsapp_shapes(rng):
        raw = json.dumps(shape).encode()
        status = _post_raw(whatsapp, raw, {"X-Hub-Signature-256": wa.sign(raw)})
        count += 1
        assert status == 200, f"WhatsApp HTTP {status} for {raw[:120]!r}"  # a 4xx/5xx only makes Meta retry
    for raw in DEEP + NOT_JSON:
        status = _post_raw(whatsapp, raw, {"X-Hub-Signature-256": wa.sign(raw)})
        count += 1
        assert status == 400, f"WhatsApp HTTP {status} for {raw[:60]!r}"
    telegram = f"{stack.rasa_url}/webhooks/telegram/webhook"
    secret = {"X-Telegram-Bot-Api-Secret-Token": tg.SECRET_TOKEN}
    for raw in DEEP + NOT_JSON + [json.dumps(_random_json(rng)).encode() for _ in range(60)] + [
        json.dumps({"update_id": 10 ** 9 + i, "message": _random_json(rng)}).encode() for i in range(40)
    ]:
        status = _post_raw(telegram, raw, secret)
        count += 1
        assert status < 500, f"Telegram HTTP {status} for {raw[:60]!r}"
    chatwoot = f"{stack.rasa_url}/webhooks/chatwoot/webhook"
    for raw in DEEP + NOT_JSON + [json.dumps(_random_json(rng)).encode() for _ in range(60)] + [
        json.dumps({"event": rng.choice(["message_created", "conversation_status_changed"]), "id": rng.randrange(10 ** 6),
                    "status": "resolved", "message_type": "outgoing", "private": False, "content": _random_json(rng),
                    "conversation": _random_json(rng)}).encode() for _ in range(40)
    ]:
        body, headers = signed_request(raw)
        status = _post_raw(chatwoot, body, headers)
        count += 1
        assert status < 500, f"Chatwoot HTTP {status} for {raw[:60]!r}"
    for raw in DEEP:
        status = _post_raw(f"{stack.rasa_url}/webhooks/rest/webhook", raw, {})
        count += 1
        assert status == 400, f"REST HTTP {status} for a deep body"
    print(f"webhook fuzz: {count} signed requests, no 5xx")
    assert count >= 300
    time.sleep(3)  # the WhatsApp and Telegram messages are handled after the answer
    assert not stack.log_problems(), "\n".join(stack.log_problems()[:60])


def test_socketio_garbage_frames_get_no_traceback(stack):
    import urllib.request

    base = f"{stack.rasa_url}/socket.io/?EIO=4&transport=polling"
    origin = {"Origin": "http://localhost:8080", "Content-Type": "text/plain;charset=UTF-8"}

    def request(url: str, data: Any = None) -> Any:
        req = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET", headers=origin)
        try:
            with urllib.request.urlopen(req, timeout=10) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    import urllib.error

    frames = [b"42[", b"49", b"4X", b"4", b"42" + b"[" * 5000, b"43", b"44", b"45-", b'451-["user_uttered",{"_placeholder":true,"num":0}]',
              b"bAAAA", b"9", b"\x1e\x1e", b'42["user_uttered",' + b"[" * 40 + b"]" * 40 + b"]", b'42"x"', b"42[5]", b"42{}",
              "4é".encode(), b"4" + b"1" * 200, b'42["user_uttered",1,2,3]', b"\xff\xfe"]
    for frame in frames:
        status, answer = request(base)
        sid = json.loads(answer[1:])["sid"]
        assert request(f"{base}&sid={sid}", b"40")[0] == 200
        status, _ = request(f"{base}&sid={sid}", frame)
        assert status < 500, f"HTTP {status} for frame {frame[:30]!r}"
    time.sleep(2)
    assert not stack.log_problems(), "\n".join(stack.log_problems()[:60])


def test_dashboard_fuzz(tmp_path):
    import http.client
    import os
    import subprocess
    import urllib.parse

    from tests.support.stack import PYTHON, ROOT, free_port, wait_http
    from tests.unit.analytics.analytics_events import write_tracker_database

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    write_tracker_database(url)
    port, log = free_port(), tmp_path / "dashboard.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TANYA_DASHBOARD_TOKEN": "fuzz-staff-token-123"}
    with open(log, "w", encoding="utf-8") as handle:
        process = subprocess.Popen([PYTHON, "-m", "tanya.dashboard", "--port", str(port), "--database-url", url],
                                   cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    rng = random.Random(8)
    try:
        wait_http(f"http://127.0.0.1:{port}/login", 60, process, log)

        def send(method: str, path: str, body: bytes = b"", headers: Any = None) -> Any:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request(method, path, body=body or None, headers=headers or {})
            answer = connection.getresponse()
            result = answer.status, answer.getheader("Set-Cookie") or "", answer.read()
            connection.close()
            return result

        own = {"Origin": f"http://127.0.0.1:{port}", "Content-Type": "application/x-www-form-urlencoded"}
        _, cookie_header, _ = send("POST", "/login", b"token=fuzz-staff-token-123", own)
        cookie = {"Cookie": cookie_header.split(";", 1)[0]}
        dates = ["9999-12-31", "0001-01-01", "2026-02-30", "2026-13-01", "", "x" * 500, "2026-12-01T00:00", "-1", "\x00",
                 "2026-11-30", "99999-01-01", "1970-01-01", "2100-12-31", "2101-01-01"]
        count = 0
        for _ in range(120):
            query = {rng.choice(["since", "until", "channel", "language", "lang", "x"]): rng.choice(dates + _text_inputs()[:40])
                     for _ in range(rng.randrange(1, 4))}
            status, _, body = send("GET", "/api/report?" + urllib.parse.urlencode(query), headers=cookie)
            count += 1
            assert status < 500 and b"Traceback" not in body, (status, query, body[:200])
        for body in [b"", b"token=" + b"a" * 20000, b"\xff\xfe=\x00", b"%%%", b"token=%00&lang=%ff", b"a=1&" * 3000,
                     json.dumps(_random_json(rng)).encode()] + [urllib.parse.urlencode({"token": t}).encode() for t in _text_inputs()[:40]]:
            for path in ("/login", "/logout"):
                for headers in (own, {**own, "Origin": "https://evil.example"}, {"Content-Type": "multipart/form-data; boundary=x"}):
                    status, _, answer = send("POST", path, body, {**headers, **cookie} if path == "/logout" else headers)
                    count += 1
                    assert status < 500 and b"Traceback" not in answer, (status, path, body[:60])
        print(f"dashboard fuzz: {count} requests, no 5xx")
    finally:
        process.terminate()
        process.wait(timeout=30)
    text = log.read_text(encoding="utf-8")
    assert "Traceback" not in text and " ERROR " not in text, text[-3000:]
