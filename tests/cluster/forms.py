"""A pre-registration (BPU) driven through the balancer one step at a time, as
tests/integration/test_registration.py drives it, with the prompt each answer must lead to."""

from __future__ import annotations

import json
import random
import re
import time
import uuid
from typing import List, Optional, Tuple

from tanya import messages
from tests.cluster.traffic import polite_failures
from tests.support.chat import post


def fresh_nik() -> str:
    return f"3201{random.randint(10, 99)}1708{90}{random.randint(1000, 9999)}"


def bpu_steps(nik: str, language: str = "id") -> List[Tuple[str, str]]:
    """(what the user says, text the reply must contain) for the whole BPU form."""
    prompt = lambda name: messages.text(name, language)  # noqa: E731
    indonesian = language == "id"
    return [
        ("saya mau daftar BPU" if indonesian else "I want to register as BPU now", prompt("ask_reg_full_name")),
        ("Budi Santoso", prompt("ask_reg_nik")),
        (nik, prompt("ask_reg_birth_date")),
        ("17 Agustus 1990" if indonesian else "Aug 17 1990", prompt("ask_reg_gender")),
        ("laki-laki" if indonesian else "male", prompt("ask_reg_phone")),
        ("0812 3456 7890", prompt("ask_reg_email")),
        ("lewati" if indonesian else "skip", prompt("ask_reg_occupation")),
        ("driver ojol", prompt("ask_reg_city")),
        ("Bandung", "Mohon periksa data Anda" if indonesian else "Please check your details"),
        ("/affirm", "Nomor referensi: BPU-" if indonesian else "Reference number: BPU-"),
    ]


class FormChat:
    def __init__(self, base_url: str, language: str = "id") -> None:
        self.url = f"{base_url}/webhooks/rest/webhook"
        self.sender = f"form-{uuid.uuid4().hex[:10]}"
        self.language = language
        self.nik = fresh_nik()
        self.steps = bpu_steps(self.nik, language)
        self.position = 0  # next step
        self.retries = 0  # balancer 503s answered by trying again
        self.polite = polite_failures()

    def say(self, text: str) -> Tuple[str, str]:
        """(kind, joined reply text); a balancer 503 (an instance died mid-request) is tried again."""
        for attempt in range(4):
            status, body = post(self.url, json.dumps({"sender": self.sender, "message": text}).encode(), timeout=150)
            if status == 503 and isinstance(body, dict):
                self.retries += 1
                time.sleep(1 + attempt)
                continue
            assert status == 200 and isinstance(body, list) and body, f"HTTP {status} for {text!r}: {body}"
            joined = "\n".join(reply.get("text") or "" for reply in body)
            return ("polite" if any(reply.get("text") in self.polite for reply in body) else "ok"), joined
        raise AssertionError(f"the balancer kept answering 503 to {text!r}")

    def step(self) -> str:
        """Send the next answer; assert the form moved on. Returns the reply."""
        text, expected = self.steps[self.position]
        kind, reply = self.say(text)
        assert kind == "ok" and expected in reply, f"step {self.position + 1} ({text!r}): expected {expected!r}, got {reply!r}"
        self.position += 1
        return reply

    def try_step(self) -> Tuple[str, str]:
        """Send the next answer; the form moves on only when the reply is the expected prompt."""
        text, expected = self.steps[self.position]
        kind, reply = self.say(text)
        if kind == "ok":
            assert expected in reply, f"step {self.position + 1} ({text!r}): expected {expected!r}, got {reply!r}"
            self.position += 1
        return kind, reply

    @staticmethod
    def reference_in(reply: str) -> str:
        """'Nomor referensi: BPU-...' (or the English) from a confirmation."""
        found = re.search(r"(Nomor referensi|Reference number): BPU-[\w-]+", reply)
        return found.group(0) if found else reply[:60]

    def steps_left(self) -> int:
        return len(self.steps) - self.position

    def expected_reply(self) -> Optional[str]:
        return self.steps[self.position][1] if self.position < len(self.steps) else None

