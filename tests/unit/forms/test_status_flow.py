"""The status mini-form never traps a person: the reference and the digits in one sentence, digits inside a
sentence, and a lost reference / locked checks / "what now" answered with the next step."""

import pytest

from tanya.forms import status
from tanya.forms.status_help import trouble_of

REF, SECRET = status.REFERENCE_SLOT, status.SECRET_SLOT


@pytest.mark.parametrize("text, digits", [
    ("1122", "1122"),
    ("****7890", "7890"),
    ("0812 3456 7890", "7890"),
    ("4 digit terakhirnya 1122 kak", "1122"),
    ("kodenya BPU-2026-Q7W3ZP, 4 digit terakhir hp 1122", "1122"),
    ("the last four are 5566", "5566"),
    ("my number is 0812-3456-7890", "7890"),
])
def test_last_digits_in_a_sentence(text, digits):
    assert status.last_digits(text) == digits


@pytest.mark.parametrize("text", ["12", "BPU-2026-Q7W3ZP", "1122 atau 3344", "nomornya 081234567890 atau 1122", "abc"])
def test_no_digits_when_unclear(text):
    assert status.last_digits(text) is None


def test_reference_and_digits_in_one_message_end_the_form():
    turn = status.handle_status_turn({REF: None, SECRET: None}, "kodenya BPU-2026-Q7W3ZP, 4 digit terakhir hp 1122", None)
    assert turn.slots == {REF: "BPU-2026-Q7W3ZP", SECRET: "1122"}
    assert turn.requested is None and turn.say == []


def test_reference_alone_asks_the_digits_without_an_error():
    turn = status.handle_status_turn({REF: None, SECRET: None}, "cek status BPU-2026-Q7W3ZP", None)
    assert turn.say == ["ask_status_digits"] and turn.requested == SECRET


@pytest.mark.parametrize("text, trouble", [
    ("Aku lupa kode referensi pendaftarannya, masih bisa cek status gak?", "lost"),
    ("I lost the confirmation, I don't have the reference", "lost"),
    ("kok nggak bisa cek lagi, tadi salah beberapa kali", "locked"),
    ("it says locked after too many tries", "locked"),
    ("Nothing shows up. What should I do now?", "next"),
    ("lho kok nggak ketemu, trus aku harus gimana?", "next"),
    ("BPU-2026-Q7W3ZP", None),
    ("1122", None),
])
def test_trouble_words(text, trouble):
    assert trouble_of(text) == trouble


@pytest.mark.parametrize("requested", [None, REF])
def test_trouble_ends_the_form_with_its_next_step(requested):
    turn = status.handle_status_turn({REF: None, SECRET: None}, "Nothing shows up for it. So what should I do now?", requested)
    assert turn.say == ["status_help_next"] and turn.requested is None
    assert turn.slots == {REF: None, SECRET: None}


def test_a_wrong_reference_is_asked_again_once_with_the_way_out():
    turn = status.handle_status_turn({REF: None, SECRET: None}, "The reference code is PRA-20261130-4471", REF)
    assert turn.say == ["invalid_reference_invalid", "ask_status_reference"] and turn.requested == REF


def test_every_help_message_names_the_human_channels():
    from tanya import messages

    for trouble in ("lost", "locked", "next"):
        for language in ("id", "en"):
            text = messages.text(f"status_help_{trouble}", language, call_center="175", email="care@x")
            assert "175" in text and "care@x" in text
