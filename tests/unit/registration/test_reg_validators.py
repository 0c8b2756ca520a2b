"""Every validator, table-driven, with Indonesian and English inputs; `today` is fixed at 2026-11-24."""

from datetime import date

import pytest
from reg_helpers import run_python

from tanya.registration import validators as V

TODAY = date(2026, 11, 24)
NIK_MAN = "3201011708900001"  # West Java, born 17-08-1990, male
NIK_WOMAN = "3201015708900002"  # same date, female: day 17 + 40 = 57


def assert_valid(result, value):
    assert result.error is None, result
    assert result.value == value


def assert_refused(result, code):
    assert code in V.ERROR_CODES
    assert result.error == code and result.value is None


# -- NIK ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        (NIK_MAN, NIK_MAN),
        ("3201 0117 0890 0001", NIK_MAN),
        ("3201.0117.0890.0001", NIK_MAN),
        (" 3201-0157-0890-0002 ", NIK_WOMAN),
        ("3171062902000003", "3171062902000003"),  # 29 February 2000 exists
        ("3171017112990004", "3171017112990004"),  # woman born 31-12-1999 (day 71 = 31 + 40)
        (
            "\uff13\uff12\uff10\uff11\uff10\uff11\uff11\uff17\uff10\uff18\uff19\uff10\uff10\uff10\uff10\uff11",
            NIK_MAN,
        ),  # full-width digits
        # Digits of any script and any separators: the form reads a number as the masking does
        # (tanya.privacy.numbers), so what it accepts is never stored in clear. More: masking_cases.json.
        ("\u0663\u0662\u0660\u0661011708900001", NIK_MAN),  # Arabic-Indic digits
        ("3201 - 0117 - 0890 - 0001", NIK_MAN),
        ("3201,0117,0890,0001", NIK_MAN),
        ("3201\n0117\t0890   0001", NIK_MAN),
        ("3201\u200b0117\u200b0890\u200b0001", NIK_MAN),
    ],
)
def test_clean_nik_accepts(text, value):
    assert_valid(V.clean_nik(text, TODAY), value)


@pytest.mark.parametrize(
    "text, code",
    [
        ("320101170890000", "nik_length"),  # 15 digits
        ("32010117089000011", "nik_length"),  # 17 digits
        ("", "nik_not_digits"),
        ("3201O11708900001", "nik_not_digits"),  # letter O for zero
        ("3201 0117 0890 0001 %", "nik_not_digits"),
        ("3201 0117 / 0890 0001 ok", "nik_not_digits"),
        ("NIK saya 3201011708900001", "nik_not_digits"),
        ("my ID is 3201011708900001", "nik_not_digits"),
        ("0001011708900001", "nik_province"),
        ("3201013208900001", "nik_birthdate_invalid"),  # day 32
        ("3201013508900001", "nik_birthdate_invalid"),  # day 35: neither a man's nor a woman's day
        ("3201017208900001", "nik_birthdate_invalid"),  # woman, day 72 - 40 = 32
        ("3201011713900001", "nik_birthdate_invalid"),  # month 13
        ("3201013002900001", "nik_birthdate_invalid"),  # 30 February
        ("3201012902010001", "nik_birthdate_invalid"),  # 29 February 2001 / 1901: never a leap year
    ],
)
def test_clean_nik_refuses(text, code):
    assert_refused(V.clean_nik(text, TODAY), code)


@pytest.mark.parametrize(
    "nik, born, gender",
    [
        (NIK_MAN, date(1990, 8, 17), "male"),
        (NIK_WOMAN, date(1990, 8, 17), "female"),
        ("3201015701050002", date(2005, 1, 17), "female"),
        ("3201012411260001", date(2026, 11, 24), "male"),  # born today: this century
        ("3201012511260001", date(1926, 11, 25), "male"),  # tomorrow in 2026 would be the future
        ("3201011701300001", date(1930, 1, 17), "male"),
        ("3201014101000002", date(2000, 1, 1), "female"),
    ],
)
def test_nik_birth_info_resolves_century_and_gender(nik, born, gender):
    assert V.nik_birth_info(nik, TODAY) == (born, gender)


def test_nik_birth_info_refuses_an_impossible_date():
    with pytest.raises(ValueError):
        V.nik_birth_info("3201013208900001", TODAY)


@pytest.mark.parametrize(
    "nik, born, gender, code",
    [
        (NIK_MAN, date(1990, 8, 17), "male", None),
        (NIK_MAN, date(1990, 8, 17), None, None),
        (NIK_MAN, None, "male", None),
        (NIK_MAN, None, None, None),
        (NIK_WOMAN, date(1990, 8, 17), "female", None),
        (NIK_MAN, date(1990, 8, 18), "male", "nik_dob_mismatch"),
        (NIK_MAN, date(1991, 8, 17), None, "nik_dob_mismatch"),
        (NIK_WOMAN, date(1990, 8, 57 - 40 + 1), None, "nik_dob_mismatch"),
        (NIK_MAN, date(1990, 8, 17), "female", "nik_gender_mismatch"),
        (NIK_WOMAN, None, "male", "nik_gender_mismatch"),
    ],
)
def test_check_nik_consistency(nik, born, gender, code):
    result = V.check_nik_consistency(nik, born, gender)
    assert result.error == code


# -- dates and age --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("17 Agustus 1990", date(1990, 8, 17)),
        ("17 agustus 1990", date(1990, 8, 17)),
        ("17 agt 1990", date(1990, 8, 17)),
        ("17 Agu 1990", date(1990, 8, 17)),
        ("17 Ags 1990", date(1990, 8, 17)),  # informal abbreviation
        ("17 Pebruari 1990", date(1990, 2, 17)),  # old spelling
        ("17-08-1990", date(1990, 8, 17)),
        ("17.08.1990", date(1990, 8, 17)),
        ("17 8 1990", date(1990, 8, 17)),
        ("17081990", date(1990, 8, 17)),
        ("17/8/90", date(1990, 8, 17)),
        ("1990-08-17", date(1990, 8, 17)),
        ("Aug 17 1990", date(1990, 8, 17)),
        ("August 17, 1990", date(1990, 8, 17)),
        ("17 Aug 1990", date(1990, 8, 17)),
        ("08/17/1990", date(1990, 8, 17)),  # month first only because day first is impossible
        ("02/03/04", date(2004, 3, 2)),  # ambiguous: day first, the Indonesian way
        ("1 Januari 2000", date(2000, 1, 1)),
        ("5 Mei 85", date(1985, 5, 5)),
        ("Sabtu, 17 Agustus 1990", date(1990, 8, 17)),
        ("tanggal lahir saya 17-8-1990", date(1990, 8, 17)),
        ("My date of birth is 17 Aug 1990.", date(1990, 8, 17)),
        ("17/8/30", date(1930, 8, 17)),  # two-digit year: 2030 is the future, so 1930
        ("31/12/26", date(1926, 12, 31)),
        ("1/1/26", date(2026, 1, 1)),  # already past this year
        ("24-11-2026", TODAY),
    ],
)
def test_parse_date_reads_both_languages(text, expected):
    assert_valid(V.parse_date(text, TODAY), expected)


@pytest.mark.parametrize(
    "text, code",
    [
        ("besok lusa kapan2", "date_unparseable"),
        ("abc", "date_unparseable"),
        ("", "date_unparseable"),
        ("kemarin", "date_unparseable"),  # relative dates are not a date of birth
        ("2 hari lalu", "date_unparseable"),
        ("3 years ago", "date_unparseable"),
        ("17 Agustus", "date_unparseable"),  # no year
        ("Agustus 1990", "date_unparseable"),  # no day
        ("1990", "date_unparseable"),
        ("32-13-1990", "date_unparseable"),
        ("29/02/1991", "date_unparseable"),
        ("1234567890", "date_unparseable"),  # not a timestamp
        ("25-11-2026", "date_in_future"),
        ("1 Desember 2026", "date_in_future"),
        ("17 August 2030", "date_in_future"),
    ],
)
def test_parse_date_refuses(text, code):
    assert_refused(V.parse_date(text, TODAY), code)


def test_parse_date_english_only():
    assert_valid(V.parse_date("17 August 1990", TODAY, languages=("en",)), date(1990, 8, 17))
    assert_refused(V.parse_date("17 Agustus 1990", TODAY, languages=("en",)), "date_unparseable")


@pytest.mark.parametrize(
    "born, max_age, min_age, code",
    [
        (date(1966, 11, 25), 60, None, None),  # 59, turns 60 tomorrow
        (date(1966, 11, 24), 60, None, "age_over_limit"),  # 60 today: has reached 60
        (date(1950, 1, 1), 60, None, "age_over_limit"),
        (date(1950, 1, 1), None, None, None),  # no rule for the segment
        (date(2011, 11, 24), None, 15, None),  # 15 today
        (date(2011, 11, 25), None, 15, "age_under_minimum"),  # 15 tomorrow
        (date(2000, 1, 1), 60, 18, None),
    ],
)
def test_check_age(born, max_age, min_age, code):
    result = V.check_age(born, TODAY, max_age=max_age, min_age=min_age)
    assert result.error == code
    if code is None:
        assert result.value == V.age_on(born, TODAY)


def test_age_counts_completed_years():
    assert V.age_on(date(1966, 11, 25), TODAY) == 59
    assert V.age_on(date(1966, 11, 24), TODAY) == 60
    assert V.age_on(date(2000, 2, 29), date(2026, 2, 28)) == 25


# -- contact details ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("(0812) 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+62-857-1234-5678", "+6285712345678"),
    ],
)
def test_clean_phone_accepts_indonesian_mobiles(text, value):
    assert_valid(V.clean_phone(text), value)


@pytest.mark.parametrize(
    "text, code",
    [
        ("021 5551234", "phone_not_mobile"),  # Jakarta landline
        ("+62 21 5551234", "phone_not_mobile"),
        ("0800 1234 567", "phone_not_mobile"),  # toll-free
        ("12", "phone_invalid"),
        ("08123", "phone_invalid"),
        ("0812345678901234", "phone_invalid"),
        ("nomor saya", "phone_invalid"),
        ("", "phone_invalid"),
        ("0812abc7890", "phone_invalid"),  # phonenumbers would read letters as keypad digits
        ("08l225674305", "phone_invalid"),  # a lower-case L for a one
        ("0812-abc-4305", "phone_invalid"),
        ("+1 415 555 2671", "phone_invalid"),  # not Indonesian
        ("+60 12 345 6789", "phone_invalid"),
    ],
)
def test_clean_phone_refuses(text, code):
    assert_refused(V.clean_phone(text), code)


@pytest.mark.parametrize(
    "text, value",
    [
        ("budi@example.com", "budi@example.com"),
        ("  budi@example.com ", "budi@example.com"),
        ("Budi.Santoso@Example.co.id", "Budi.Santoso@example.co.id"),
        ("siti+kerja@contoh.id", "siti+kerja@contoh.id"),
    ],
)
def test_clean_email_accepts(text, value):
    result = V.clean_email(text)
    assert_valid(result, value)
    assert not result.skipped


@pytest.mark.parametrize(
    "text", ["budi@", "budi at example dot com", "@example.com", "budi@@example.com", "budi@example"]
)
def test_clean_email_refuses(text):
    result = V.clean_email(text)
    assert_refused(result, "email_invalid")
    assert not result.skipped


@pytest.mark.parametrize(
    "text", ["-", "skip", "Skip", "lewati", "tidak ada", "Ga ada", "gak ada", "no", "None", "belum punya", "  "]
)
def test_clean_email_skip_answers(text):
    assert V.clean_email(text) == V.Validation(None, None, skipped=True)


@pytest.mark.parametrize(
    "text, value",
    [
        ("budi santoso", "Budi Santoso"),
        ("SITI AMINAH", "Siti Aminah"),
        ("  budi    santoso ", "Budi Santoso"),
        ("siti-nur aminah", "Siti-Nur Aminah"),
        ("Maria O'Neil", "Maria O'Neil"),
        ("ma'ruf amin", "Ma'ruf Amin"),
        ("McDonald Sitompul", "McDonald Sitompul"),  # mixed case is kept as typed
        ("Moh. Hatta", "Moh. Hatta"),
        ("José Ramos-Horta", "José Ramos-Horta"),
        ("jose\u0301 ramos", "José Ramos"),  # decomposed accent
        ("Ni Luh Putu Ayu", "Ni Luh Putu Ayu"),
        ("Wu", "Wu"),
        ("Ab" * 50, "Ab" * 50),  # 100 characters: the longest allowed
    ],
)
def test_clean_name_accepts(text, value):
    assert_valid(V.clean_name(text), value)


@pytest.mark.parametrize(
    "text, code",
    [
        ("Budi 123", "name_invalid_chars"),
        ("<script>alert(1)</script>", "name_invalid_chars"),
        ("budi@example.com", "name_invalid_chars"),
        ("Budi_Santoso", "name_invalid_chars"),
        ("B", "name_too_short"),
        ("", "name_too_short"),
        ("...", "name_too_short"),
        ("A" * 101, "name_too_long"),
    ],
)
def test_clean_name_refuses(text, code):
    assert_refused(V.clean_name(text), code)


# -- choices and numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("laki-laki", "male"),
        ("Laki laki", "male"),
        ("laki", "male"),
        ("Pria", "male"),
        ("cowok", "male"),
        ("L", "male"),
        ("male", "male"),
        ("Man", "male"),
        ("M", "male"),
        ("perempuan", "female"),
        ("Wanita", "female"),
        ("cewek", "female"),
        ("P", "female"),
        ("female", "female"),
        ("woman", "female"),
        ("F", "female"),
    ],
)
def test_clean_gender_accepts(text, value):
    assert_valid(V.clean_gender(text), value)


@pytest.mark.parametrize("text", ["entah", "other", "x", "", "laki-laki dan perempuan"])
def test_clean_gender_refuses(text):
    assert_refused(V.clean_gender(text), "gender_invalid")


@pytest.mark.parametrize(
    "text, value",
    [
        ("ya", True),
        ("Iya", True),
        ("yes", True),
        ("Y", True),
        ("betul", True),
        ("sudah", True),
        ("punya", True),
        ("ada", True),
        ("sudah punya", True),
        ("tidak", False),
        ("nggak", False),
        ("gak", False),
        ("ga", False),
        ("no", False),
        ("N", False),
        ("belum", False),
        ("tidak punya", False),
        ("gak punya", False),
        ("not yet", False),
    ],
)
def test_clean_yes_no_accepts(text, value):
    assert_valid(V.clean_yes_no(text), value)


@pytest.mark.parametrize("text", ["mungkin", "maybe", "", "ya tidak"])
def test_clean_yes_no_refuses(text):
    assert_refused(V.clean_yes_no(text), "yes_no_invalid")


@pytest.mark.parametrize(
    "text, value",
    [
        ("25", 25),
        ("25 orang", 25),
        ("about 40 workers", 40),
        ("kira-kira 40 pekerja", 40),
        ("1.250", 1250),
        ("1,250 employees", 1250),
        ("1", 1),
        ("1.000.000", 1_000_000),
    ],
)
def test_clean_positive_int_accepts(text, value):
    assert_valid(V.clean_positive_int(text), value)


@pytest.mark.parametrize(
    "text, code",
    [
        ("dua puluh", "number_invalid"),
        ("twenty", "number_invalid"),
        ("", "number_invalid"),
        ("25-30", "number_invalid"),  # which one?
        ("40 pekerja, 3 cabang", "number_invalid"),
        ("1,5", "number_invalid"),
        ("12.50", "number_invalid"),
        ("0", "number_out_of_range"),
        ("-5", "number_out_of_range"),
        ("1.000.001", "number_out_of_range"),
    ],
)
def test_clean_positive_int_refuses(text, code):
    assert_refused(V.clean_positive_int(text), code)


def test_clean_positive_int_custom_range():
    assert_refused(V.clean_positive_int("3", minimum=5, maximum=10), "number_out_of_range")
    assert_valid(V.clean_positive_int("10 orang", minimum=5, maximum=10), 10)


@pytest.mark.parametrize(
    "func, text, value",
    [
        (V.clean_nib, "1234567890123", "1234567890123"),
        (V.clean_nib, "1234 5678 90123", "1234567890123"),
        (V.clean_npwp, "01.234.567.8-901.234", "012345678901234"),
        (V.clean_npwp, "012345678901234", "012345678901234"),
        (V.clean_npwp, "0123 4567 8901 2345", "0123456789012345"),  # the 16-digit form
    ],
)
def test_company_numbers_accepted(func, text, value):
    assert_valid(func(text), value)


@pytest.mark.parametrize(
    "func, text, code",
    [
        (V.clean_nib, "123456789012", "nib_invalid"),
        (V.clean_nib, "12345678901234", "nib_invalid"),
        (V.clean_nib, "NIB123456789012", "nib_invalid"),
        (V.clean_npwp, "12345", "npwp_invalid"),
        (V.clean_npwp, "01.234.567.8-901.23", "npwp_invalid"),  # 14 digits
        (V.clean_npwp, "01234567890123456", "npwp_invalid"),  # 17 digits
        (V.clean_npwp, "NPWP saya 012345678901234", "npwp_invalid"),
    ],
)
def test_company_numbers_refused(func, text, code):
    assert_refused(func(text), code)


# -- the error codes as a whole -------------------------------------------------------------------------

# One input per code, so every documented code is proven reachable (the tables above go further).
ONE_EXAMPLE_PER_CODE = {
    "nik_not_digits": lambda: V.clean_nik("NIK 3201011708900001", TODAY),
    "nik_length": lambda: V.clean_nik("12345", TODAY),
    "nik_province": lambda: V.clean_nik("0001011708900001", TODAY),
    "nik_birthdate_invalid": lambda: V.clean_nik("3201013208900001", TODAY),
    "nik_dob_mismatch": lambda: V.check_nik_consistency(NIK_MAN, date(1990, 8, 18)),
    "nik_gender_mismatch": lambda: V.check_nik_consistency(NIK_MAN, gender="female"),
    "date_unparseable": lambda: V.parse_date("besok lusa kapan2", TODAY),
    "date_in_future": lambda: V.parse_date("1 Desember 2026", TODAY),
    "age_over_limit": lambda: V.check_age(date(1966, 11, 24), TODAY, max_age=60),
    "age_under_minimum": lambda: V.check_age(date(2015, 1, 1), TODAY, min_age=15),
    "date_implausible": lambda: V.check_plausible_birth_date(date(1900, 1, 1), TODAY),
    "phone_invalid": lambda: V.clean_phone("12"),
    "phone_not_mobile": lambda: V.clean_phone("021 5551234"),
    "email_invalid": lambda: V.clean_email("budi@"),
    "name_invalid_chars": lambda: V.clean_name("Budi 123"),
    "name_too_short": lambda: V.clean_name("B"),
    "name_too_long": lambda: V.clean_name("A" * 101),
    "gender_invalid": lambda: V.clean_gender("entah"),
    "yes_no_invalid": lambda: V.clean_yes_no("mungkin"),
    "number_invalid": lambda: V.clean_positive_int("dua puluh"),
    "number_out_of_range": lambda: V.clean_positive_int("0"),
    "nib_invalid": lambda: V.clean_nib("123"),
    "npwp_invalid": lambda: V.clean_npwp("123"),
}


def test_error_codes_are_exactly_the_documented_ones():
    assert set(ONE_EXAMPLE_PER_CODE) == set(V.ERROR_CODES)
    assert len(set(V.ERROR_CODES)) == len(V.ERROR_CODES)


@pytest.mark.parametrize("code", V.ERROR_CODES)
def test_every_error_code_is_reachable(code):
    assert ONE_EXAMPLE_PER_CODE[code]().error == code


def test_every_error_code_has_a_message_in_both_languages():
    from tanya import messages

    catalogue = messages.load_catalogue()
    for code in V.ERROR_CODES:
        template = catalogue[f"invalid_{code}"]
        assert template.text["id"] and template.text["en"], code


def test_validations_are_immutable_and_report_ok():
    result = V.clean_nik(NIK_MAN, TODAY)
    assert result.ok and not V.clean_nik("1", TODAY).ok
    with pytest.raises(AttributeError):
        result.value = "x"


def test_importing_the_package_loads_no_heavy_library():
    """No work at import time: dateparser, phonenumbers, email-validator and cryptography load on first use."""
    code = (
        "import sys, tanya.registration.validators, tanya.registration.crypto, tanya.registration.store; "
        "heavy = {'dateparser', 'phonenumbers', 'email_validator', 'cryptography'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    result = run_python("-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("text, value", [
    ("enggak ada mas, semuanya orang sini", False),
    ("nope - the whole crew is local", False),
    ("ndak ada, warga lokal semua", False),
    ("Nobody, all of them are from Surabaya", False),
    ("iya, ada satu orang dari Korea", True),
    ("yes we do, a manager from India", True),
    ("nggih wonten setunggal", True),
])
def test_a_roundabout_yes_or_no_is_read_from_its_head(text, value):
    assert V.clean_yes_no(text).value is value


@pytest.mark.parametrize("text", ["ya tidak", "gak tau juga kak", "not sure, I'd have to ask HR", "ada yang mau saya ganti",
                                  "sudah saya kirim kemarin ke kantor"])
def test_no_yes_or_no_from_an_unclear_answer(text):
    assert V.clean_yes_no(text).error == "yes_no_invalid"


@pytest.mark.parametrize("text", ["ora duwe email mas, dilewati wae", "sorry I don't have one", "no email, skip please",
                                  "gak punya email kak"])
def test_skip_inside_a_sentence_without_an_address(text):
    assert V.clean_email(text).skipped


def test_an_address_in_a_sentence_is_not_skipped():
    assert not V.clean_email("skip that, it is rina@example.com").skipped
