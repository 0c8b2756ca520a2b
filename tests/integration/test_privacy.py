"""No NIK or phone number rests in clear, whatever its format and channel (issue 16, points 2 and 3).

All 54 formats of the shared masking cases (tests/fixtures/masking_cases.json) are sent on every channel
of the session's real assistant: REST, socket.io, WhatsApp and Telegram (against the fakes), each in a
conversation of its own. On REST, each format the form reads as a NIK or a phone is given as the answer
to the form's own question (and must be taken). Then every store is grepped: every table of the tracker
database and of the project's database (JSON decoded), the servers' log files, and the dashboard's data
(the report the dashboard and `make analytics` serve, and its CSV).

The grep is independent of tanya.privacy: each text is read with its escapes decoded (a log may quote a
repr), NFKC-normalised, with every decimal digit turned ASCII and everything but letters, digits and the
mask removed, so a number written with any separators shows up as a plain digit run. No part of the
masked digits of the NIK or the phone (7 digits in a row) may appear.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import time
import unicodedata
import uuid
from pathlib import Path
from typing import Callable, Iterable, Iterator, List, Tuple

import pytest

from tanya import messages
from tanya.channels import identity, web_session
from tests.fakes import bot_api as tg
from tests.fakes import graph_api as wa
from tests.integration.test_conversation_ids import ENGINEIO_PING_INTERVAL, Widget
from tests.support.chat import Chat

CASES = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "masking_cases.json").read_text(encoding="utf-8"))
FORMATS: List[dict] = CASES["formats"]
NIK = "3374016209930007"  # the NIK every format writes (a woman born 22-09-1993)
PHONE = "082173952648"  # the mobile every format writes, +62 82173952648
HIDDEN = (NIK[:-4], PHONE[:-4], "62" + PHONE[1:-4])  # the digits masking must hide; the last 4 may stay
WINDOW = 7  # this many hidden digits in a row is a leak
# Typed Rasa payloads with a number that Rasa cannot parse: it quotes the whole line in a Python warning.
SLASH_MESSAGES = (
    '/inform{"x": 3374016209930007',
    '/inform{"nik": "3374 - 0162 - 0993 - 0007"} dan hp 0821 - 7395 - 2648',
    '/tidak_ada_intent{"hp": "+62 821\u200b7395\u200b2648"}',
)


# -- the independent grep ----------------------------------------------------------------------------

_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|[nrt])")


def _unescape(match: "re.Match[str]") -> str:
    code = match.group(0)[1:]
    return {"n": "\n", "r": "\r", "t": "\t"}.get(code) or chr(int(code[1:], 16))


# A log line's time stamp ("2026-12-07 08:21:07,395") is not a user's number: dropped before the digits
# are joined, so that it cannot look like one.
_TIME_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?")


def compact(text: str) -> str:
    """`text` as plain runs: escapes decoded, NFKC, decimal digits ASCII, only letters, digits and '*' kept."""
    text = _TIME_STAMP.sub(" ", _ESCAPE.sub(_unescape, text))
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", errors="replace")  # JSON's surrogate pairs
    text = unicodedata.normalize("NFKC", text)
    kept = []
    for ch in text:
        if ch.isdecimal():
            kept.append(str(unicodedata.decimal(ch)))
        elif ch.isalpha() or ch == "*":
            kept.append(ch)
        elif unicodedata.category(ch) not in ("Cf", "Mn", "Me") and not ch.isspace():
            kept.append(" ")  # a word boundary stays, invisible characters and spaces vanish
        # whitespace, format characters and combining marks vanish entirely
    return "".join(kept)


def _windows() -> List[str]:
    return sorted({hidden[i : i + WINDOW] for hidden in HIDDEN for i in range(len(hidden) - WINDOW + 1)})


def leaks(where: str, texts: Iterable[str]) -> List[str]:
    """'<where>: <excerpt>' for every text holding hidden digits in clear."""
    windows = _windows()
    found = []
    for text in texts:
        flat = compact(text)
        digits_only = re.sub(r"[^0-9]", "", flat)  # also across punctuation: "3374.0162" -> "33740162"
        if any(window in digits_only or window in flat for window in windows):
            found.append(f"{where}: {text[:300]!r}")
    return found


def _strings(value) -> Iterator[str]:
    """Every string inside `value`; a string holding a JSON object or list is decoded (its numbers, such as
    the events' time stamps, are not text anyone typed)."""
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            decoded = None
        if isinstance(decoded, (dict, list)):
            yield from _strings(decoded)
        else:
            yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def database_texts(path: Path) -> Iterator[Tuple[str, str]]:
    """(table, text) for every text cell of every table of a SQLite file (JSON cells decoded too)."""
    with sqlite3.connect(path) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):  # noqa: S608 - table names from sqlite_master
                for cell in row:
                    if isinstance(cell, bytes):
                        cell = cell.decode("utf-8", errors="replace")
                    for text in _strings(cell):
                        yield table, text


def raw_leaks(path: Path) -> List[str]:
    """Hidden digits written as they are anywhere in the file's bytes (deleted rows and free pages too)."""
    raw = path.read_bytes()
    return [f"{path.name}: its bytes hold {window}" for window in _windows() if window.encode() in raw]


# -- sending -------------------------------------------------------------------------------------------


def stored_types(stack, conversation: str) -> List[str]:
    path = stack.tracker_url.split("sqlite:///", 1)[1]
    with sqlite3.connect(path) as db:
        return [kind for (kind,) in db.execute("SELECT type_name FROM events WHERE sender_id = ? ORDER BY id", (conversation,))]


def wait_until(predicate: Callable[[], bool], what: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def answered(stack, conversations: Iterable[str]) -> Callable[[], bool]:
    """True once each conversation holds a user message and a reply after it."""
    def check() -> bool:
        for conversation in conversations:
            types = stored_types(stack, conversation)
            if "user" not in types or "bot" not in types[types.index("user"):]:
                return False
        return True

    return check


BATCH = 6  # messages in flight at once on the asynchronous channels


def _send_in_batches(stack, send_one, what: str) -> List[str]:
    """Every format through `send_one(case) -> conversation id`, BATCH at a time, each batch answered first."""
    conversations = []
    for start in range(0, len(FORMATS), BATCH):
        batch = [send_one(case) for case in FORMATS[start : start + BATCH]]
        wait_until(answered(stack, batch), what)
        conversations += batch
    return conversations


def send_whatsapp(stack) -> List[str]:
    url = f"{stack.rasa_url}/webhooks/whatsapp/webhook"

    def send_one(case) -> str:
        number = f"628{random.randint(10 ** 9, 10 ** 10 - 1)}"
        status, _ = wa.post_webhook(url, wa.webhook_body([wa.text_message(number, case["written"])]))
        assert status == 200
        return identity.conversation_id("whatsapp", number)

    return _send_in_batches(stack, send_one, "the WhatsApp replies")


def send_telegram(stack) -> List[str]:
    url = f"{stack.rasa_url}/webhooks/telegram/webhook"

    def send_one(case) -> str:
        chat_id = random.randint(10 ** 8, 10 ** 9)
        status, _ = tg.post_update(url, tg.message_update(chat_id, case["written"], "id"))
        assert status == 200
        return identity.conversation_id("telegram", str(chat_id))

    return _send_in_batches(stack, send_one, "the Telegram replies")


def send_socketio(stack) -> List[str]:
    client = Widget(stack)
    conversations = []
    try:
        for start in range(0, len(FORMATS), BATCH):
            batch = []
            for case in FORMATS[start : start + BATCH]:
                token = client.request_session(None)
                client.client.emit("user_uttered", {"message": case["written"], "session_id": token})
                batch.append(identity.conversation_id("socketio", web_session.verified(token)))
            wait_until(answered(stack, batch), "the socket.io replies")
            conversations += batch
    finally:
        client.close()
    return conversations


def _asked(replies: List[dict], question: str) -> bool:
    return any(messages.text(question, "id") in (reply.get("text") or "") for reply in replies)


def send_rest(stack) -> Tuple[List[str], List[str]]:
    """Every format on REST: as the form's answer where the form reads it, else as a message of its own.
    Returns the conversations and the formats the form did not take although the cases say it reads them."""
    conversations, refused = [], []
    for case in FORMATS:
        chat = Chat(stack.rasa_url, sender=f"privacy-{uuid.uuid4().hex[:10]}")
        if "nik" in case or "phone" in case:
            chat.say("saya mau daftar BPU")
            chat.say("Siti Aminah")
            if "phone" in case:
                for answer in (NIK, "22-09-1993", "perempuan"):
                    chat.say(answer)
            next_question = "ask_reg_birth_date" if "nik" in case else "ask_reg_email"
            if not _asked(chat.say(case["written"]), next_question):
                refused.append(case["why"])
        else:
            chat.say(case["written"])
        conversations.append(chat.conversation)
    return conversations, refused


@pytest.fixture(scope="module")
def sent(stack):
    """Every format on every channel, once for the module; (channel -> conversations, REST formats refused)."""
    started = time.monotonic()
    rest, refused = send_rest(stack)
    channels = {"rest": rest, "whatsapp": send_whatsapp(stack), "telegram": send_telegram(stack),
                "socketio": send_socketio(stack)}
    for text in SLASH_MESSAGES:
        Chat(stack.rasa_url).say(text)
    print(f"\n{sum(map(len, channels.values()))} conversations sent in {time.monotonic() - started:.0f} s")
    time.sleep(2)  # the last log lines are written
    yield channels, refused
    time.sleep(ENGINEIO_PING_INTERVAL + 2)  # the widget's socket: let the server's ping task end quietly


# -- the tests -------------------------------------------------------------------------------------------


def test_the_grep_finds_a_number_in_any_format_and_not_a_masked_one():
    """The check itself: every format in clear is found, every masked one is not."""
    for case in FORMATS:
        assert leaks("clear", [case["written"]]), case["why"]
        assert leaks("clear", [json.dumps(case["written"])]), case["why"]  # as an escaped JSON string
        assert not leaks("masked", [case["masked"], json.dumps(case["masked"])]), case["why"]


def test_every_format_reached_every_channel_and_the_form_took_those_it_reads(stack, sent):
    channels, refused = sent
    for channel, conversations in channels.items():
        assert len(conversations) == len(FORMATS) == 54
        assert all("user" in stored_types(stack, c) for c in conversations), channel
    assert refused == []


def test_no_number_in_clear_in_the_tracker_or_the_project_database(stack, sent):
    found = []
    for name in ("tracker.db", "tanya.db"):
        path = stack.workdir / name
        found += leaks(name, (f"{table}: {text}" for table, text in database_texts(path)))
        found += raw_leaks(path)
    assert not found, "\n".join(found[:20])
    stored = [text for table, text in database_texts(stack.workdir / "tracker.db") if "****" in text]
    assert len(stored) >= 4 * 54  # the messages are there, masked (not dropped)


def test_no_number_in_clear_in_the_logs_and_rasas_warnings_about_typed_payloads_are_masked(stack, sent):
    logs = sorted(stack.workdir.glob("*.log"))
    assert {log.name for log in logs} >= {"rasa.log", "actions.log"}
    found = []
    for log in logs:
        found += leaks(log.name, log.read_text(encoding="utf-8", errors="replace").splitlines())
    assert not found, "\n".join(found[:20])
    warnings = [line for line in (stack.workdir / "rasa.log").read_text(errors="replace").splitlines()
                if "Failed to parse arguments" in line]
    assert len(warnings) >= len(SLASH_MESSAGES), "Rasa's warnings did not reach the log"
    assert all("py.warnings" in line for line in warnings)  # through logging, so through the masking filter
    assert any("************0007" in line for line in warnings)


def test_no_number_in_clear_in_the_dashboards_data(stack, sent):
    from tanya.analytics.csv_export import by_day_csv
    from tanya.analytics.definitions import load_definitions
    from tanya.analytics.service import report_from_database
    from tanya.analytics.text_table import render

    report = report_from_database(stack.tracker_url, load_definitions())
    assert report["sessions"] >= 4 * 54 and report["user_turns"] >= 4 * 54
    texts = list(_strings(report)) + [by_day_csv(report["by_day"]), render(report, "id"), render(report, "en")]
    found = leaks("report", texts)
    assert not found, "\n".join(found[:20])
    examples = [group["example"] for group in report["top_unanswered"]]
    assert any("****" in example for example in examples), examples  # the numbers are among them, masked
