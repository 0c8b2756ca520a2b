"""Every validator, table-driven, with Indonesian and English inputs (today fixed at 2026-11-24)."""

from datetime import date

import pytest

from tanya.registration import validators as V

TODAY = date(2026, 11, 24)
REACHED = set()


def check(result, value=None, error=None):
    REACHED.add(result.error)
    assert result.error == error
    if error is None:
        assert result.value == value


@pytest.mark.parametrize(
    "text, value, error",
    [
        ("3201011708900001", "3201011708900001", None),
        ("3201 0117 0890 0001", "3201011708900001", None),
        ("3201.0117.0890.0001", "3201011708900001", None),
        ("3201-0157-0890-0002", "3201015708900002", None),  # woman: day 17 + 40
        ("320101170890000", None, "nik_length"),
        ("32010117089000011", None, "nik_length"),
        ("3201O11708900001", None, "nik_not_digits"),
        ("NIK saya 3201011708900001", None, "nik_not_digits"),
        ("0001011708900001", None, "nik_province"),
        ("3201013208900001", None, "nik_birthdate_invalid"),  # day 32
        ("3201017213900001", None, "nik_birthdate_invalid"),  # woman, day 32
        ("3201013002900001", None, "nik_birthdate_invalid"),  # 30 February
    ],
)
def test_clean_nik(text, value, error):
    check(V.clean_nik(text, TODAY), value, error)


def test_nik_birth_info_resolves_century_and_gender():
    assert V.nik_birth_info("3201011708900001", TODAY) == (date(1990, 8, 17), "male")
    assert V.nik_birth_info("3201015701050002", TODAY) == (date(2005, 1, 17), "female")
    assert V.nik_birth_info("3201011701300001", TODAY) == (date(1930, 1, 17), "male")  # 2030 would be future


@pytest.mark.parametrize(
    "born, gender, error",
    [
        (date(1990, 8, 17), "male", None),
        (date(1990, 8, 18), "male", "nik_dob_mismatch"),
        (date(1991, 8, 17), None, "nik_dob_mismatch"),
        (date(1990, 8, 17), "female", "nik_gender_mismatch"),
        (None, None, None),
    ],
)
def test_nik_consistency(born, gender, error):
    result = V.check_nik_consistency("3201011708900001", born, gender)
    REACHED.add(result.error)
    assert result.error == error


@pytest.mark.parametrize(
    "text, expected",
    [
        ("17 Agustus 1990", date(1990, 8, 17)),
        ("17 agt 1990", date(1990, 8, 17)),
        ("17-08-1990", date(1990, 8, 17)),
        ("17/8/90", date(1990, 8, 17)),
        ("17 8 1990", date(1990, 8, 17)),
        ("1990-08-17", date(1990, 8, 17)),
        ("Aug 17 1990", date(1990, 8, 17)),
        ("August 17, 1990", date(1990, 8, 17)),
        ("17 Aug 1990", date(1990, 8, 17)),
        ("1 Januari 2000", date(2000, 1, 1)),
        ("5 Mei 85", date(1985, 5, 5)),
        ("02/03/04", date(2004, 3, 2)),  # day first, Indonesian style
    ],
)
def test_parse_date_both_languages(text, expected):
    check(V.parse_date(text, TODAY), expected)


@pytest.mark.parametrize(
    "text, error",
    [
        ("besok lusa kapan2", "date_unparseable"),
        ("abc", "date_unparseable"),
        ("", "date_unparseable"),
        ("32-13-1990", "date_unparseable"),
        ("17-08-2030", "date_in_future"),
        ("1 Desember 2026", "date_in_future"),
    ],
)
def test_parse_date_refusals(text, error):
    check(V.parse_date(text, TODAY), error=error)


@pytest.mark.parametrize(
    "born, max_age, min_age, error",
    [
        (date(1967, 11, 25), 60, None, None),  # 59, one day before turning 60
        (date(1966, 11, 24), 60, None, "age_over_limit"),  # turns 60 today: has reached 60
        (date(1950, 1, 1), 60, None, "age_over_limit"),
        (date(1950, 1, 1), None, None, None),  # no rule for the segment
        (date(2015, 1, 1), None, 15, "age_under_minimum"),
    ],
)
def test_check_age(born, max_age, min_age, error):
    result = V.check_age(born, TODAY, max_age=max_age, min_age=min_age)
    REACHED.add(result.error)
    assert result.error == error


@pytest.mark.parametrize(
    "text, value, error",
    [
        ("0812-3456-7890", "+6281234567890", None),
        ("0812 3456 7890", "+6281234567890", None),
        ("+62 812 3456 7890", "+6281234567890", None),
        ("6281234567890", "+6281234567890", None),
        ("021 5551234", None, "phone_not_mobile"),
        ("12", None, "phone_invalid"),
        ("nomor saya", None, "phone_invalid"),
        ("+1 415 555 2671", None, "phone_invalid"),
    ],
)
def test_clean_phone(text, value, error):
    check(V.clean_phone(text), value, error)


@pytest.mark.parametrize(
    "text, value, error, skipped",
    [
        ("budi@example.com", "budi@example.com", None, False),
        ("Budi.Santoso@Example.co.id", "Budi.Santoso@example.co.id", None, False),
        ("budi@", None, "email_invalid", False),
        ("budi at example dot com", None, "email_invalid", False),
        ("lewati", None, None, True),
        ("tidak ada", None, None, True),
        ("skip", None, None, True),
        ("-", None, None, True),
    ],
)
def test_clean_email(text, value, error, skipped):
    result = V.clean_email(text)
    check(result, value, error)
    assert result.skipped == skipped


@pytest.mark.parametrize(
    "text, value, error",
    [
        ("budi santoso", "Budi Santoso", None),
        ("SITI AMINAH", "Siti Aminah", None),
        ("Maria O'Neil", "Maria O'Neil", None),
        ("Raden Mas Joko-Santoso", "Raden Mas Joko-Santoso", None),
        ("Moh. Hatta", "Moh. Hatta", None),
        ("José Ramos", "José Ramos", None),
        ("Budi 123", None, "name_invalid_chars"),
        ("<script>", None, "name_invalid_chars"),
        ("B", None, "name_too_short"),
        ("A" * 101, None, "name_too_long"),
    ],
)
def test_clean_name(text, value, error):
    check(V.clean_name(text), value, error)


@pytest.mark.parametrize(
    "text, value, error",
    [
        ("laki-laki", "male", None),
        ("Pria", "male", None),
        ("cowok", "male", None),
        ("male", "male", None),
        ("perempuan", "female", None),
        ("Wanita", "female", None),
        ("female", "female", None),
        ("entah", None, "gender_invalid"),
    ],
)
def test_clean_gender(text, value, error):
    check(V.clean_gender(text), value, error)


@pytest.mark.parametrize(
    "text, value, error",
    [
        ("ya", True, None),
        ("Iya", True, None),
        ("sudah punya", True, None),
        ("yes", True, None),
        ("tidak", False, None),
        ("belum", False, None),
        ("gak punya", False, None),
        ("no", False, None),
        ("mungkin", None, "yes_no_invalid"),
        ("maybe", None, "yes_no_invalid"),
    ],
)
def test_clean_yes_no(text, value, error):
    check(V.clean_yes_no(text), value, error)


@pytest.mark.parametrize(
    "text, value, error",
    [
        ("25", 25, None),
        ("25 orang", 25, None),
        ("1.250", 1250, None),
        ("about 40 workers", 40, None),
        ("dua puluh", None, "number_invalid"),
        ("0", None, "number_out_of_range"),
    ],
)
def test_clean_positive_int(text, value, error):
    check(V.clean_positive_int(text), value, error)


@pytest.mark.parametrize(
    "func, text, value, error",
    [
        (V.clean_nib, "1234567890123", "1234567890123", None),
        (V.clean_nib, "123456789012", None, "nib_invalid"),
        (V.clean_npwp, "01.234.567.8-901.234", "012345678901234", None),
        (V.clean_npwp, "0123456789012345", "0123456789012345", None),
        (V.clean_npwp, "12345", None, "npwp_invalid"),
    ],
)
def test_company_numbers(func, text, value, error):
    check(func(text), value, error)


def test_mask_nik_keeps_last_four():
    assert V.mask_nik("3201011708900001") == "************0001"


def test_every_error_code_is_reached_and_has_a_message_in_both_languages():
    """Runs last in this file: the tables above must exercise every documented code."""
    from tanya import messages

    catalogue = messages.load_catalogue()
    assert set(V.ERROR_CODES) <= REACHED, set(V.ERROR_CODES) - REACHED
    for code in V.ERROR_CODES:
        assert f"invalid_{code}" in catalogue, code
