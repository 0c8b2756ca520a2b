"""The REST channel refuses malformed requests with a JSON error (never HTTP 500), and long messages
are answered politely while the server's memory stays bounded."""

import json
import socket

import pytest

from tests.support.chat import post

NOT_OBJECTS = [b"[1,2]", b'"halo"', b"5", b"null", b"", b"{", b"\xff\xfe"]


def webhook(stack):
    return f"{stack.rasa_url}/webhooks/rest/webhook"


@pytest.mark.parametrize("body", NOT_OBJECTS)
def test_a_body_that_is_not_a_json_object_gets_400(stack, body):
    status, reply = post(webhook(stack), body)
    assert status == 400 and ("JSON object" in reply["error"] or "not valid JSON" in reply["error"])


@pytest.mark.parametrize(
    "body, problem",
    [
        ({"message": "halo"}, "'sender'"),
        ({"sender": "", "message": "halo"}, "'sender'"),
        ({"sender": None, "message": "halo"}, "'sender'"),
        ({"sender": "a b", "message": "halo"}, "'sender'"),
        ({"sender": "x" * 129, "message": "halo"}, "'sender'"),
        ({"sender": "s1", "message": 5}, "'message'"),
        ({"sender": "s1", "message": ["halo"]}, "'message'"),
        ({"sender": "s1"}, "'message'"),
        ({"sender": "s1", "message": "   "}, "'message'"),
    ],
)
def test_missing_sender_or_non_string_message_gets_400_naming_the_field(stack, body, problem):
    status, reply = post(webhook(stack), json.dumps(body).encode())
    assert status == 400 and problem in reply["error"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_only_json_is_accepted(stack, content_type):
    status, reply = post(webhook(stack), json.dumps({"sender": "s2", "message": "halo"}).encode(), content_type)
    assert status == 415 and "application/json" in reply["error"]


def test_root_and_errors_reveal_no_version(stack):
    import urllib.request

    with urllib.request.urlopen(f"{stack.rasa_url}/") as response:
        assert json.loads(response.read()) == {"status": "ok"}
        assert "server" not in {name.lower() for name in response.headers}
        assert response.headers["Referrer-Policy"] == "no-referrer"
    status, reply = post(f"{stack.rasa_url}/no/such/route", b"{}")
    assert status == 404 and "rasa" not in json.dumps(reply).lower()


def test_a_100_kb_message_gets_a_polite_reply_and_memory_stays_bounded(stack):
    status, replies = post(webhook(stack), json.dumps({"sender": "long-1", "message": "daftar " * 15000}).encode())
    assert status == 200 and replies
    assert "1000" in replies[0]["text"] and "karakter" in replies[0]["text"]
    assert len(replies) >= 2, "the cut message is answered too"
    peak_kb = stack.rasa.peak_rss_kb()
    print(f"Rasa peak RSS after a 100 kB message: {peak_kb / 1024:.0f} MB")
    assert peak_kb < 3 * 1024 * 1024


def test_a_5_mb_body_is_refused_with_413_before_it_is_read(stack):
    size = 5 * 1024 * 1024
    with socket.create_connection(("127.0.0.1", stack.rasa_port), timeout=30) as connection:
        connection.sendall(
            b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % size
        )
        try:
            for _ in range(size // 65536):
                connection.sendall(b" " * 65536)
        except (ConnectionResetError, BrokenPipeError):
            pass  # the server stopped reading at its limit
        answer = connection.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 413") and '"status":413' in answer
    peak_kb = stack.rasa.peak_rss_kb()
    print(f"Rasa peak RSS after a 5 MB body: {peak_kb / 1024:.0f} MB")
    assert peak_kb < 3 * 1024 * 1024
    # still answering
    status, replies = post(webhook(stack), json.dumps({"sender": "after-5mb", "message": "halo"}).encode())
    assert status == 200 and replies
