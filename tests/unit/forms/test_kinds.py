"""Each form-field kind: what it parses, what it refuses, that its submission re-check accepts every value
its parser accepts (the two can no longer drift), and how its value is shown."""

from datetime import date

import pytest

from tanya.forms import fields as F
from tanya.forms.inputs import Answers, Asked, Rules, UserTurn, Vault
from tanya.forms.kinds import KINDS, SKIPPED

TODAY = date(2026, 11, 24)
NIK_MALE_1990 = "3201011708900001"  # born 17-08-1990, male
NIK_FEMALE_1990 = "3201015708900002"  # day + 40: born 17-08-1990, female
RULES = Rules(
    max_age={"bpu": 60, "pmi": None},
    stage_fields={"before_departure": frozenset(), "during_after": frozenset({"reg_passport_number"})},
    stage_names={"sebelum berangkat": "before_departure", "before leaving": "before_departure",
                 "sedang bekerja di luar negeri": "during_after", "working abroad": "during_after"},
)
VAULT = Vault(encrypt=lambda v: f"enc:{v}", decrypt=lambda t: t[len("enc:"):] if t.startswith("enc:") else None)
STAGE_NAMES = {"before_departure": "Sebelum berangkat", "during_after": "Selama bekerja"}


def asked(text="", intent="", segment="bpu", entities=None, **slots):
    return Asked(UserTurn(text, intent, 0.99, entities or {}), slots, segment, RULES, VAULT, TODAY)


def parse(kind, text, **context):
    return KINDS[kind].parse(text, asked(text, **context))


def recheck(kind, value, segment="bpu", **answers):
    return KINDS[kind].recheck(value, Answers(answers, segment, RULES, TODAY))


# kind -> (text typed, value parsed) pairs the parser accepts
ACCEPTED = {
    F.NAME: [("budi santoso", "Budi Santoso"), ("Ma'ruf  Amin", "Ma'ruf Amin"), ("SITI", "Siti"), ("McDonald", "McDonald")],
    F.NIK: [(NIK_MALE_1990, NIK_MALE_1990), ("3201 0117 0890 0001", NIK_MALE_1990), ("3201-0157-0890-0002", NIK_FEMALE_1990)],
    F.DATE: [("17 Agustus 1990", "1990-08-17"), ("17/8/90", "1990-08-17"), ("Aug 17 1990", "1990-08-17"),
             ("1 Pebruari 1970", "1970-02-01")],
    F.GENDER: [("laki-laki", "male"), ("Pria", "male"), ("L", "male"), ("perempuan", "female"), ("woman", "female")],
    F.PHONE: [("0812-3456-7890", "+6281234567890"), ("+62 812 3456 7890", "+6281234567890")],
    F.EMAIL: [("budi@example.com", "budi@example.com"), ("lewati", SKIPPED), ("-", SKIPPED), ("N/A", SKIPPED)],
    F.TEXT: [("driver ojol", "driver ojol"), ("Kota  Bandung", "Kota Bandung"), ("Makassar", "Makassar")],
    F.YES_NO: [("ya", True), ("sudah punya", True), ("yes", True), ("gak punya", False), ("not yet", False),
               ("I don't", False)],
    F.STAGE: [("sebelum berangkat", "before_departure"), ("Before leaving!", "before_departure"),
              ("working", "during_after")],
    F.NUMBER: [("25 orang", 25), ("1.250", 1250), ("about 40 workers", 40)],
    F.NIB: [("1234567890123", "1234567890123"), ("1234 5678 9012 3", "1234567890123")],
    F.NPWP: [("01.234.567.8-901.234", "012345678901234"), ("0123456789012345", "0123456789012345")],
    F.CODE: [("pu1234567890", "PU1234567890"), ("A 1234567", "A 1234567"), ("c1234/56", "C1234/56")],
}

# kind -> (text typed, error code) pairs the parser refuses
REFUSED = {
    F.NAME: [("Budi 123", "name_invalid_chars"), ("B", "name_too_short"), ("A" * 101, "name_too_long")],
    F.NIK: [("12345", "nik_length"), ("0001011708900001", "nik_province"), ("3201013208900001", "nik_birthdate_invalid")],
    F.DATE: [("besok", "date_unparseable"), ("1 Desember 2026", "date_in_future"), ("01-01-1960", "age_over_limit")],
    F.GENDER: [("entah", "gender_invalid"), ("laki-laki dan perempuan", "gender_invalid")],
    F.PHONE: [("12", "phone_invalid"), ("021 5551234", "phone_not_mobile"), ("0812abc7890", "phone_invalid")],
    F.EMAIL: [("budi@", "email_invalid")],
    F.TEXT: [("x", "text_too_short"), ("123", "text_too_short"), ("a" * 101, "text_too_long")],
    F.YES_NO: [("mungkin", "yes_no_invalid"), ("ya tidak", "yes_no_invalid"), ("Surabaya", "yes_no_invalid")],
    F.STAGE: [("tahap", "stage_invalid"), ("xyz", "stage_invalid")],
    F.NUMBER: [("dua puluh", "number_invalid"), ("25-30", "number_invalid"), ("0", "number_out_of_range")],
    F.NIB: [("123", "nib_invalid")],
    F.NPWP: [("123", "npwp_invalid")],
    F.CODE: [("ab", "code_invalid"), ("#12345", "code_invalid")],
}


def test_every_kind_of_the_field_table_is_registered_and_tested():
    used = {field.kind for field in F.ALL_FIELDS.values()}
    assert used <= set(KINDS)
    assert set(KINDS) == set(ACCEPTED) == set(REFUSED)
    assert all(kind.name == name for name, kind in KINDS.items())


@pytest.mark.parametrize("kind, text, value", [(k, t, v) for k, pairs in ACCEPTED.items() for t, v in pairs])
def test_parse_accepts_and_recheck_agrees(kind, text, value):
    result = parse(kind, text)
    assert result.error is None and result.value == value, result
    assert recheck(kind, result.value), f"{kind}: the submission would refuse {result.value!r}, which the form took"


@pytest.mark.parametrize("kind, text, code", [(k, t, c) for k, pairs in REFUSED.items() for t, c in pairs])
def test_parse_refuses_with_the_reason(kind, text, code):
    result = parse(kind, text)
    assert result.error == code and result.value is None, result


@pytest.mark.parametrize(
    "kind, value",
    [
        (F.NAME, "budi 123"), (F.NAME, 42), (F.NIK, "1234"), (F.NIK, 3201011708900001), (F.DATE, "17-08-1990"),
        (F.DATE, "2027-01-01"), (F.DATE, "1950-01-01"), (F.GENDER, "pria"), (F.PHONE, "081234567890"),
        (F.EMAIL, "not an address"), (F.TEXT, "x"), (F.TEXT, "a" * 101), (F.YES_NO, "ya"), (F.YES_NO, 1),
        (F.STAGE, "somewhere"), (F.NUMBER, True), (F.NUMBER, 0), (F.NUMBER, "25"), (F.NIB, "123"),
        (F.NPWP, "01.234.567.8-901.234"), (F.CODE, "pu1234567890"),
    ],
)
def test_recheck_refuses_a_value_the_form_could_not_have_stored(kind, value):
    assert not recheck(kind, value)  # a hand-made request cannot slip it past the submission


def test_the_nik_is_cross_checked_with_birth_date_and_gender_when_parsed_and_rechecked():
    assert parse(F.NIK, NIK_MALE_1990, reg_birth_date="1990-08-18").error == "nik_dob_mismatch"
    assert parse(F.NIK, NIK_MALE_1990, reg_gender="female").error == "nik_gender_mismatch"
    assert parse(F.NIK, NIK_MALE_1990, reg_birth_date="1990-08-18").value == NIK_MALE_1990  # kept for "which is wrong?"
    sealed = VAULT.encrypt(NIK_FEMALE_1990)
    assert parse(F.DATE, "18-08-1990", reg_nik=sealed).error == "nik_dob_mismatch"
    assert parse(F.GENDER, "pria", reg_nik=sealed).error == "nik_gender_mismatch"
    assert parse(F.GENDER, "wanita", reg_nik=sealed).error is None
    assert recheck(F.NIK, NIK_FEMALE_1990, reg_birth_date="1990-08-17", reg_gender="female")
    assert not recheck(F.NIK, NIK_FEMALE_1990, reg_birth_date="1990-08-18")
    assert not recheck(F.NIK, NIK_FEMALE_1990, reg_gender="male")
    assert recheck(F.NIK, NIK_FEMALE_1990, reg_birth_date="not a date")  # that answer fails its own check


def test_the_age_limit_is_the_segments_in_parse_and_recheck():
    assert parse(F.DATE, "01-01-1960", segment="bpu").error == "age_over_limit"
    assert parse(F.DATE, "01-01-1960", segment="pmi").value == "1960-01-01"
    assert not recheck(F.DATE, "1960-01-01", segment="bpu") and recheck(F.DATE, "1960-01-01", segment="pmi")
    assert parse(F.DATE, "01-01-1900", segment="pmi").error == "date_implausible"  # no age limit, still no
    assert not recheck(F.DATE, "1900-01-01", segment="pmi")


def test_turn_context_reads_buttons_entities_and_bare_acknowledgements():
    assert parse(F.YES_NO, "/affirm", intent="affirm").value is True
    assert parse(F.YES_NO, "/deny", intent="deny").value is False
    assert parse(F.STAGE, "/inform", entities={"pmi_stage": "during_after"}).value == "during_after"
    assert parse(F.TEXT, "ok", intent="affirm").error == "text_not_an_answer"
    assert parse(F.TEXT, "ok sip", intent="").value == "ok sip"


def test_only_the_choice_kinds_are_choices():
    assert {name for name, kind in KINDS.items() if kind.choice} == {F.YES_NO, F.GENDER, F.STAGE}


@pytest.mark.parametrize(
    "kind, value, language, shown",
    [
        (F.NIK, NIK_MALE_1990, "id", "************0001"),
        (F.DATE, "1990-08-17", "en", "17-08-1990"),
        (F.GENDER, "male", "id", "Laki-laki"),
        (F.GENDER, "female", "en", "Female"),
        (F.YES_NO, True, "id", "Ya"),
        (F.YES_NO, False, "en", "No"),
        (F.EMAIL, SKIPPED, "en", "(skipped)"),
        (F.EMAIL, "budi@example.com", "id", "budi@example.com"),
        (F.STAGE, "before_departure", "id", "Sebelum berangkat"),
        (F.NUMBER, 25, "id", "25"),
        (F.PHONE, "+6281234567890", "id", "+6281234567890"),
        (F.TEXT, "Makassar", "en", "Makassar"),
        (F.CODE, "PU1234567890", "en", "PU1234567890"),
    ],
)
def test_display(kind, value, language, shown):
    assert KINDS[kind].display(value, language, STAGE_NAMES) == shown


def test_every_kind_displays_every_value_it_parses_in_both_languages():
    for kind, pairs in ACCEPTED.items():
        for text, value in pairs:
            for language in ("id", "en"):
                assert KINDS[kind].display(value, language, STAGE_NAMES), (kind, text, language)
