"""Validate and normalise what a user types into the pre-registration form.

Plain functions, no I/O and no user-facing text: each returns a Validation whose `error` is None or a
stable code; the bot maps code X to the catalogue message `invalid_X` (data/messages/registration.yml).
Rules that come from the agency (e.g. BPU's age limit) are parameters, never constants here.

Error codes:
- nik_not_digits: the NIK contains something other than digits (spaces, dots, dashes are stripped)
- nik_length: the NIK is not exactly 16 digits
- nik_province: the province code (digits 1-2) is 00
- nik_birthdate_invalid: the birth date inside the NIK (DDMMYY, day + 40 for women) is not a real date
- nik_dob_mismatch / nik_gender_mismatch: the NIK disagrees with the given date of birth / gender
- date_unparseable / date_in_future: not a date we can read / a date after today
- age_over_limit / age_under_minimum: the age breaks the segment's rule
- phone_invalid / phone_not_mobile: not an Indonesian number / not a mobile number
- email_invalid, name_invalid_chars, name_too_short, name_too_long, gender_invalid, yes_no_invalid,
  number_invalid, number_out_of_range, nib_invalid, npwp_invalid
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Optional, Tuple

ERROR_CODES = (
    "nik_not_digits",
    "nik_length",
    "nik_province",
    "nik_birthdate_invalid",
    "nik_dob_mismatch",
    "nik_gender_mismatch",
    "date_unparseable",
    "date_in_future",
    "age_over_limit",
    "age_under_minimum",
    "phone_invalid",
    "phone_not_mobile",
    "email_invalid",
    "name_invalid_chars",
    "name_too_short",
    "name_too_long",
    "gender_invalid",
    "yes_no_invalid",
    "number_invalid",
    "number_out_of_range",
    "nib_invalid",
    "npwp_invalid",
)

MALE, FEMALE = "male", "female"
_SEPARATORS = re.compile(r"[\s.\-]")
_WORD = re.compile(r"[^\w\s]")


@dataclass(frozen=True)
class Validation:
    value: Any = None
    error: Optional[str] = None
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


def _fail(code: str) -> Validation:
    return Validation(None, code)


def _words(text: str) -> str:
    return " ".join(_WORD.sub(" ", (text or "").lower()).split())


# -- NIK ----------------------------------------------------------------------------------------


def _nik_date_parts(nik: str) -> Tuple[int, int, int, str]:
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    gender = FEMALE if day > 40 else MALE
    return (day - 40 if day > 40 else day), month, year2, gender


def nik_birth_info(nik: str, today: date) -> Optional[Tuple[date, str]]:
    """(date of birth, gender) encoded in a 16-digit NIK; the century makes the date not in the future."""
    day, month, year2, gender = _nik_date_parts(nik)
    for century in (2000, 1900):
        try:
            born = date(century + year2, month, day)
        except ValueError:
            return None
        if born <= today:
            return born, gender
    return None


def clean_nik(text: str, today: Optional[date] = None) -> Validation:
    digits = _SEPARATORS.sub("", text or "")
    if not digits.isdigit():
        return _fail("nik_not_digits")
    if len(digits) != 16:
        return _fail("nik_length")
    if digits[:2] == "00":
        return _fail("nik_province")
    if nik_birth_info(digits, today or date.today()) is None:
        return _fail("nik_birthdate_invalid")
    return Validation(digits)


def check_nik_consistency(nik: str, date_of_birth: Optional[date] = None, gender: Optional[str] = None) -> Validation:
    """The NIK must agree with the date of birth and gender the user gives."""
    day, month, year2, nik_gender = _nik_date_parts(nik)
    if date_of_birth and (date_of_birth.day, date_of_birth.month, date_of_birth.year % 100) != (day, month, year2):
        return _fail("nik_dob_mismatch")
    if gender and gender != nik_gender:
        return _fail("nik_gender_mismatch")
    return Validation(nik)


def mask_nik(nik: str) -> str:
    return "*" * (len(nik) - 4) + nik[-4:]


# -- dates and age ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _date_parser():
    import dateparser  # slow to import: only when a date is first parsed

    return dateparser


def parse_date(text: str, today: date, languages: Tuple[str, ...] = ("id", "en")) -> Validation:
    """'17 Agustus 1990', '17-08-1990', '17/8/90', 'Aug 17 1990'... through dateparser; never in the future."""
    cleaned = " ".join((text or "").split())
    if not cleaned or not re.search(r"\d", cleaned):
        return _fail("date_unparseable")
    settings = {
        # Indonesian habit is day-month-year; a leading 4-digit year means ISO year-month-day.
        "DATE_ORDER": "YMD" if re.match(r"^\d{4}\D", cleaned) else "DMY",
        "PREFER_DATES_FROM": "past",
        "STRICT_PARSING": True,
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "REQUIRE_PARTS": ["day", "month", "year"],
    }
    parsed = _date_parser().parse(cleaned, languages=list(languages), settings=settings)
    if parsed is None:
        return _fail("date_unparseable")
    result = parsed.date()
    if result > today and re.search(r"\b\d{2}\s*$", cleaned) and not re.search(r"\d{4}", cleaned):
        result = result.replace(year=result.year - 100)  # two-digit years mean the past
    if result > today:
        return _fail("date_in_future")
    return Validation(result)


def age_on(date_of_birth: date, today: date) -> int:
    return today.year - date_of_birth.year - ((today.month, today.day) < (date_of_birth.month, date_of_birth.day))


def check_age(
    date_of_birth: date, today: date, max_age: Optional[int] = None, min_age: Optional[int] = None
) -> Validation:
    """max_age is the age that must NOT have been reached yet (BPU: under 60)."""
    age = age_on(date_of_birth, today)
    if max_age is not None and age >= max_age:
        return _fail("age_over_limit")
    if min_age is not None and age < min_age:
        return _fail("age_under_minimum")
    return Validation(age)


# -- contact details ------------------------------------------------------------------------------


def clean_phone(text: str) -> Validation:
    """An Indonesian mobile number, returned as E.164 (+628...)."""
    import phonenumbers

    try:
        number = phonenumbers.parse((text or "").strip(), "ID")
    except phonenumbers.NumberParseException:
        return _fail("phone_invalid")
    if number.country_code != 62 or not phonenumbers.is_valid_number(number):
        return _fail("phone_invalid")
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return _fail("phone_not_mobile")
    return Validation(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


SKIP_WORDS = frozenset(
    {
        "-",
        "skip",
        "lewati",
        "lewat",
        "tidak ada",
        "ga ada",
        "gak ada",
        "nggak ada",
        "no",
        "none",
        "tidak punya",
        "gak punya",
    }
)


def clean_email(text: str) -> Validation:
    value = (text or "").strip()
    if value.lower() in SKIP_WORDS or _words(value) in SKIP_WORDS:
        return Validation(None, None, skipped=True)
    from email_validator import EmailNotValidError, validate_email

    try:
        return Validation(validate_email(value, check_deliverability=False).normalized)
    except EmailNotValidError:
        return _fail("email_invalid")


def clean_name(text: str) -> Validation:
    value = " ".join((text or "").split())
    if len(value) > 100:
        return _fail("name_too_long")
    if any(not (ch.isalpha() or ch in " '.-’") for ch in value):
        return _fail("name_invalid_chars")
    if sum(ch.isalpha() for ch in value) < 2:
        return _fail("name_too_short")
    if value == value.lower() or value == value.upper():
        value = " ".join(part[:1].upper() + part[1:].lower() for part in value.split(" "))
    return Validation(unicodedata.normalize("NFC", value))


# -- choices and numbers ----------------------------------------------------------------------------

_GENDER_WORDS = {
    MALE: {"laki laki", "laki", "lelaki", "pria", "cowok", "cowo", "l", "male", "man", "m", "lk"},
    FEMALE: {"perempuan", "wanita", "cewek", "cewe", "p", "female", "woman", "f", "pr"},
}
_YES = {
    "ya",
    "iya",
    "iyaa",
    "yes",
    "y",
    "betul",
    "benar",
    "sudah",
    "udah",
    "punya",
    "ada",
    "ok",
    "oke",
    "yup",
    "yep",
    "sure",
    "i do",
    "yes i do",
    "have",
    "ya punya",
    "ya ada",
    "sudah punya",
}
_NO = {
    "tidak",
    "tdk",
    "nggak",
    "ngga",
    "enggak",
    "gak",
    "ga",
    "no",
    "n",
    "belum",
    "tidak punya",
    "gak punya",
    "ga punya",
    "belum punya",
    "tidak ada",
    "gak ada",
    "ga ada",
    "belum ada",
    "nope",
    "not yet",
    "i don t",
    "none",
}


def clean_gender(text: str) -> Validation:
    words = _words(text)
    for gender, options in _GENDER_WORDS.items():
        if words in options:
            return Validation(gender)
    return _fail("gender_invalid")


def clean_yes_no(text: str) -> Validation:
    words = _words(text)
    if words in _YES:
        return Validation(True)
    if words in _NO:
        return Validation(False)
    return _fail("yes_no_invalid")


def clean_positive_int(text: str, minimum: int = 1, maximum: int = 1_000_000) -> Validation:
    match = re.search(r"\d[\d.,]*", text or "")
    if not match:
        return _fail("number_invalid")
    digits = re.sub(r"[.,]", "", match.group(0))
    number = int(digits)
    if not minimum <= number <= maximum:
        return _fail("number_out_of_range")
    return Validation(number)


def clean_nib(text: str) -> Validation:
    digits = _SEPARATORS.sub("", text or "")
    return Validation(digits) if digits.isdigit() and len(digits) == 13 else _fail("nib_invalid")


def clean_npwp(text: str) -> Validation:
    digits = _SEPARATORS.sub("", text or "")
    return Validation(digits) if digits.isdigit() and len(digits) in (15, 16) else _fail("npwp_invalid")
