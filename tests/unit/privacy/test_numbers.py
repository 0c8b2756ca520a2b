"""How a written number is read (tanya/privacy/numbers.py): the one reading of the form and the masking."""

import pytest

from tanya.privacy.numbers import DIGIT, OTHER, SEPARATOR, digits_of, kind, read_number, written_numbers


@pytest.mark.parametrize(
    "ch, digits",
    [("7", "7"), ("\uff17", "7"), ("\u0667", "7"), ("\u096d", "7"), ("\U0001d7d5", "7"), ("\u2077", "7"),
     ("\u2466", "7"), ("\u2469", "10"), ("a", ""), ("\u00bd", ""), ("\u2166", ""), ("\u4e09", "")],
)
def test_digits_of_reads_every_script_and_what_nfkc_makes_a_digit(ch, digits):
    assert digits_of(ch) == digits


@pytest.mark.parametrize(
    "ch, expected",
    [(" ", SEPARATOR), ("\n", SEPARATOR), ("\t", SEPARATOR), ("\u00a0", SEPARATOR), ("\u3000", SEPARATOR),
     ("-", SEPARATOR), ("\u2013", SEPARATOR), ("\u2212", SEPARATOR), (",", SEPARATOR), ("\uff0c", SEPARATOR),
     ("\u200b", SEPARATOR), ("\ufeff", SEPARATOR), ("\u00ad", SEPARATOR), ("\ufe0f", SEPARATOR), ("+", SEPARATOR),
     ("5", DIGIT), ("a", OTHER), ("%", OTHER), ("*", OTHER), ("\U0001f600", OTHER), ("@", OTHER)],
)
def test_kind_of_each_character(ch, expected):
    assert kind(ch) == expected


def test_written_numbers_are_found_with_their_place_and_digits():
    text = "nik 3201 - 0117\u200b0890,0001 umur 59, hp +62 812"
    found = [(text[n.start:n.end], n.digits) for n in written_numbers(text)]
    assert found == [("3201 - 0117\u200b0890,0001", "3201011708900001"), ("59", "59"), ("62 812", "62812")]
    assert list(written_numbers("tanpa angka")) == []


@pytest.mark.parametrize(
    "text, digits, international",
    [("0812 3456 7890", "081234567890", False), (" (0812) 3456-7890. ", "081234567890", False),
     ("+62 812 3456 7890", "6281234567890", True), ("\uff0b62 812", "62812", True), ("\u200b3201\n0117", "32010117", False)],
)
def test_read_number_takes_a_text_that_is_one_number(text, digits, international):
    answer = read_number(text)
    assert answer is not None and (answer.digits, answer.international) == (digits, international)


@pytest.mark.parametrize("text", ["", "   ", "NIK 3201011708900001", "0812abc7890", "0812 3456 / ext 12", "0812 3456%",
                                  "3201 0117 0890 0001 ya"])
def test_read_number_refuses_anything_else(text):
    assert read_number(text) is None
