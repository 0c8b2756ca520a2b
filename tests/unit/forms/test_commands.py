"""Form commands inside free text are whole words: a place name that contains a command's letters is an
answer ("Makassar", "Surabaya", "Dobo"), never a cancel, a yes/no, a skip or a field to change."""

import pytest
from test_engine import NIK_MALE_1990, VAULT, Form, _at_summary

from tanya.forms.commands import is_cancel, looks_like_question, mentions, says
from tanya.understanding.normalise import plain_words

# Places (and one name) containing the letters of a command word: cancel ("stop", "batal", "quit"),
# yes/no ("ya", "ga", "no", "ok"), skip ("lewat", "skip", "kosong") or a field word ("dob", "nik", "date", "tgl").
PLACES = ["Makassar", "Surabaya", "Tegal", "Wonosobo", "Garut", "Batalyon Infanteri", "Stopsley", "Quito",
          "Okinawa", "Lewatan", "Kosongan", "Dobo", "Nikiniki", "Sidate", "Banyuwangi", "Palangka Raya"]


@pytest.mark.parametrize("place", PLACES)
def test_a_place_name_is_never_a_cancel_or_a_question(place):
    assert not is_cancel(place) and not looks_like_question(place)


@pytest.mark.parametrize("place", PLACES)
def test_a_place_name_is_stored_as_the_city_answer(place):
    form = Form(reg_segment="bpu", reg_full_name="Budi", reg_nik=VAULT.encrypt(NIK_MALE_1990),
                reg_birth_date="1990-08-17", reg_gender="male", reg_phone=VAULT.encrypt("+6281234567890"),
                reg_email="-", reg_occupation="pedagang")
    form.requested = "reg_city"
    form.say(place, "inform", 0.7)
    assert form.slots["reg_city"] == place and form.said == ["registration_summary"]


@pytest.mark.parametrize("text", ["ganti kota jadi Dobo", "the city is wrong, it is Nikiniki", "kotanya salah"])
def test_at_the_summary_a_place_name_does_not_name_another_field(text):
    form = _at_summary()  # BPU asks the date of birth ("dob") and the NIK ("nik") too
    form.say(text, "inform", 0.5)
    assert form.said == ["ask_reg_city"] and form.slots["reg_city"] is None


def test_update_names_only_the_field_after_it():
    """"update" holds the letters of "date": it opened no field (two fields found) before words were whole."""
    form = _at_summary()
    form.say("update my email", "inform", 0.5)
    assert form.said == ["ask_reg_email"]


@pytest.mark.parametrize(
    "text, phrase, found",
    [
        ("tanggal lahirnya salah", "lahir", True),  # a clitic on the last word
        ("NIK-nya yang salah", "nik", True),
        ("no hp nya salah", "no hp", True),
        ("nomor hpnya", "nomor hp", True),
        ("Dobo", "dob", False),
        ("update", "date", False),
        ("nomor induk", "nomor induk", True),
        ("nomornya induk", "nomor induk", False),  # only the last word may carry the clitic
        ("the date", "", False),
    ],
)
def test_mentions_is_whole_words(text, phrase, found):
    assert mentions(text, phrase) is found


@pytest.mark.parametrize("text", ["batal", "Gak jadi!", "STOP", "never mind", "cancel."])
def test_cancel_words_are_the_whole_message(text):
    assert is_cancel(text)
    assert not is_cancel(f"{text} ke Makassar")  # inside a longer answer they are no command


def test_says_compares_plain_words():
    assert says("Gak  jadi!!", {plain_words("gak jadi")}) and not says("gak jadi deh", {"gak jadi"})
