"""The action server as an attacker sees it: no secret, no access; only loopback; forged slots are useless.

Runs against the session's real action server (started like `make run` starts it, same defaults).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.support.stack import ROOT

FORGED_NIK = "3273015508900003"


def _post(url: str, body: dict, token: str = None):
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.fixture(scope="module")
def domain_dict():
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain.yml")).as_dict()


def _call(stack, domain_dict, action, sender, slots, token, text="ya"):
    tracker = {
        "sender_id": sender,
        "slots": slots,
        "latest_message": {"text": text, "intent": {"name": "affirm", "confidence": 1.0}, "entities": []},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {"name": "registration_form"},
        "latest_action_name": "action_listen",
    }
    body = {"next_action": action, "sender_id": sender, "tracker": tracker, "domain": domain_dict, "version": "3.6.2"}
    return _post(f"{stack.actions_url}/webhook", body, token)


def test_the_action_server_refuses_calls_without_the_secret(stack, domain_dict):
    assert _call(stack, domain_dict, "action_show_status", "x", {}, token=None)[0] == 401
    assert _call(stack, domain_dict, "action_show_status", "x", {}, token="wrong-token")[0] == 401
    status, answer = _call(stack, domain_dict, "action_show_status", "x", {}, token="")
    assert status == 401 and answer == {"error": "unauthorised"}  # and nothing of the request echoed back


def _listening_addresses(port: int):
    """Local addresses (hex, as in /proc/net/tcp*) that listen on `port`."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, state = fields[1], fields[3]
            host, hex_port = address.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
                found.append(host)
    return found


def test_both_servers_listen_on_loopback_only(stack):
    loopback = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1 and ::1
    for port in (stack.actions_port, stack.rasa_port):
        addresses = _listening_addresses(port)
        assert addresses and set(addresses) <= loopback, f"port {port} listens on {addresses}"


def test_a_ciphertext_from_another_conversation_is_never_decrypted(stack, domain_dict):
    from tanya.registration import crypto

    sealed_for_victim = crypto.seal(FORGED_NIK, "victim-conversation")
    slots = {
        "reg_segment": "bpu", "reg_full_name": "Budi Santoso", "reg_nik": sealed_for_victim,
        "reg_birth_date": "1990-08-15", "reg_gender": "perempuan", "requested_slot": "reg_confirm",
    }
    status, answer = _call(stack, domain_dict, "validate_registration_form", "intruder", slots, stack.env["ACTION_SERVER_TOKEN"])
    assert status == 200
    text = json.dumps(answer, ensure_ascii=False)
    assert FORGED_NIK not in text and FORGED_NIK[-4:] not in text
    set_nik = [e for e in answer["events"] if e.get("event") == "slot" and e.get("name") == "reg_nik"]
    assert set_nik and set_nik[-1]["value"] is None  # the foreign value is dropped and asked again


def _stored_registrations(stack) -> int:
    from sqlalchemy import func, select

    from tanya.db import session_scope
    from tanya.registration.store import PreRegistration

    with session_scope(stack.database_url) as session:
        return session.execute(select(func.count()).select_from(PreRegistration)).scalar()


def test_a_forged_submission_is_re_checked_and_not_stored(stack, domain_dict):
    before = _stored_registrations(stack)
    slots = {
        "reg_segment": "bpu", "reg_full_name": "<script>alert(1)</script>", "reg_nik": None,
        "reg_birth_date": "1900-01-01", "reg_gender": "laki-laki", "reg_phone": None,
        "reg_outcome": "confirmed", "reg_confirm": True,
    }
    status, answer = _call(stack, domain_dict, "action_finish_registration", "forger", slots, stack.env["ACTION_SERVER_TOKEN"])
    assert status == 200
    texts = " ".join(m.get("text") or "" for m in answer["responses"])
    assert texts, "the user is told what went wrong"
    assert "BPU-" not in texts and "<script>" not in texts
    assert _stored_registrations(stack) == before


def test_thirty_status_guesses_are_refused_and_then_even_the_right_digits(stack, domain_dict, chat):
    """Guessing through the action server directly is limited like guessing in the chat."""
    from tests.integration.test_registration import complete_bpu, fresh_nik

    complete_bpu(chat, fresh_nik())
    reference = chat.text("/affirm").split("Nomor referensi: ")[1].split(" ")[0]
    token = stack.env["ACTION_SERVER_TOKEN"]

    def guess(digits):
        slots = {"status_reference": reference, "status_secret": digits}
        status, answer = _call(stack, domain_dict, "action_show_status", "guesser", slots, token)
        assert status == 200
        return " ".join(m.get("text") or "" for m in answer["responses"])

    answers = [guess(f"{n:04d}") for n in range(30)]
    assert sum("dikunci" in a for a in answers) == 25  # the sixth wrong attempt onwards is refused
    right = guess("7890")  # complete_bpu registers 0812 3456 7890
    assert "dikunci" in right and "terkirim" not in right
