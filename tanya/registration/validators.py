"""Validate and normalise what a user types into the pre-registration form.

Plain functions, no I/O and no user-facing text: each returns a Validation whose `error` is None or a
stable code. The bot shows the bilingual message `invalid_<code>` for it (data/messages/registration.yml).
Rules that come from the agency (e.g. BPU's age limit) are parameters, never constants here; the words
that answer yes/no, gender and "skip" are data (data/language/answer_words.yml, tanya.registration.answer_words).

Error codes (ERROR_CODES):
- nik_not_digits: the NIK is not one written number (tanya.privacy.numbers: digits, any separators between them)
- nik_length: the NIK is not exactly 16 digits
- nik_province: the province code (digits 1-2) is 00
- nik_birthdate_invalid: the birth date inside the NIK (digits 7-12, DDMMYY, day + 40 for women) is not a real date
- nik_dob_mismatch: the NIK's birth date differs from the date of birth the user gave
- nik_gender_mismatch: the NIK's gender (day + 40 for women) differs from the gender the user gave
- date_unparseable: not a complete date (day, month and year) we can read
- date_in_future: a date after today
- age_over_limit: the person has already reached the segment's maximum age
- age_under_minimum: the person is younger than the segment's minimum age
- date_implausible: a date of birth more than OLDEST_PLAUSIBLE_AGE years ago
- phone_invalid: not a valid Indonesian phone number
- phone_not_mobile: a valid Indonesian number, but not a mobile one (landline, toll-free...)
- email_invalid: not a syntactically valid email address (deliverability is not checked)
- name_invalid_chars: the name has characters other than letters, spaces, apostrophes, dots, hyphens
- name_too_short: fewer than 2 letters
- name_too_long: more than 100 characters
- gender_invalid: not a gender word we know (id/en)
- yes_no_invalid: not a yes/no answer we know (id/en)
- number_invalid: no single whole number written in digits
- number_out_of_range: a number outside [minimum, maximum]
- nib_invalid: the NIB (business identification number) is not 13 digits
- npwp_invalid: the NPWP (tax number) is not 15 or 16 digits
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Optional, Sequence, Tuple

from tanya.privacy.numbers import read_number
from tanya.registration import answer_words
from tanya.understanding.normalise import plain_words

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
    "date_implausible",
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


@dataclass(frozen=True)
class Validation:
    value: Any = None
    error: Optional[str] = None
    skipped: bool = False  # an optional answer the user chose not to give

    @property
    def ok(self) -> bool:
        return self.error is None


def _fail(code: str) -> Validation:
    return Validation(None, code)


def _digits(text: str) -> str:
    """The ASCII digits of `text` when it is one written number (the reading the masking uses, see
    tanya.privacy.numbers: any separators, Unicode digits), else ""."""
    number = read_number(text)
    return number.digits if number else ""


# -- NIK ------------------------------------------------------------------------------------------


def _nik_birth_parts(nik: str) -> Tuple[int, int, int, str]:
    """(day, month, two-digit year, gender) from digits 7-12 (DDMMYY; women's day is + 40)."""
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        return day - 40, month, year2, FEMALE
    return day, month, year2, MALE


def nik_birth_info(nik: str, today: date) -> Tuple[date, str]:
    """(date of birth, "male"/"female") encoded in a 16-digit NIK, the century chosen so the date is not
    after `today`. Raises ValueError when digits 7-12 are not a real date."""
    day, month, year2, gender = _nik_birth_parts(nik)
    for century in (2000, 1900):
        try:
            born = date(century + year2, month, day)
        except ValueError:
            continue  # e.g. 29 February exists in one century only
        if born <= today:
            return born, gender
    raise ValueError("the NIK does not encode a real, past date of birth")


def clean_nik(text: str, today: Optional[date] = None) -> Validation:
    """16 digits (written with any separators), province not 00, a real birth date inside."""
    nik = _digits(text)
    if not nik:
        return _fail("nik_not_digits")
    if len(nik) != 16:
        return _fail("nik_length")
    if nik[:2] == "00":
        return _fail("nik_province")
    try:
        nik_birth_info(nik, today or date.today())
    except ValueError:
        return _fail("nik_birthdate_invalid")
    return Validation(nik)


def check_nik_consistency(nik: str, date_of_birth: Optional[date] = None, gender: Optional[str] = None) -> Validation:
    """The NIK must agree with the date of birth and the gender the user gives (either may be unknown)."""
    day, month, year2, nik_gender = _nik_birth_parts(nik)
    if date_of_birth and (date_of_birth.day, date_of_birth.month, date_of_birth.year % 100) != (day, month, year2):
        return _fail("nik_dob_mismatch")
    if gender and gender != nik_gender:
        return _fail("nik_gender_mismatch")
    return Validation(nik)


# -- dates and age ----------------------------------------------------------------------------------

# Words people put around a date of birth ("tanggal lahir saya 17 Agustus 1990", "born on ...").
_DATE_FILLERS = re.compile(
    r"\b(?:tgl|tanggal|lahir|saya|aku|pada|ttl|my|date|of|birth|birthday|born|on|is|dob)\b\.?\s*:?", re.IGNORECASE
)
# Common Indonesian spellings dateparser does not know (old spelling, informal abbreviations).
_MONTH_SPELLINGS = {
    "pebruari": "februari",
    "peb": "feb",
    "nopember": "november",
    "nop": "nov",
    "ags": "agustus",
    "agst": "agustus",
    "agus": "agustus",
}
_MONTH_SPELLING = re.compile(r"\b(" + "|".join(_MONTH_SPELLINGS) + r")\b\.?", re.IGNORECASE)
_EIGHT_DIGITS = re.compile(r"^(\d{2})(\d{2})(\d{4})$")  # 17081990
_LEADING_YEAR = re.compile(r"^\d{4}\D")  # 1990-08-17: ISO order
_NUMERIC_DATE = re.compile(r"^\d{1,2}\D+\d{1,2}\D+\d{2,4}$")
_TWO_DIGIT_YEAR_END = re.compile(r"(?<!\d)\d{2}$")


@lru_cache(maxsize=1)
def _dateparser():
    import dateparser  # slow to import and to warm up: only when a date is first parsed

    return dateparser


def _normalise_date_text(text: str) -> str:
    cleaned = _DATE_FILLERS.sub(" ", text or "")
    cleaned = _MONTH_SPELLING.sub(lambda match: _MONTH_SPELLINGS[match.group(1).lower()], cleaned)
    cleaned = " ".join(cleaned.split()).strip(" ,.")
    eight = _EIGHT_DIGITS.match(cleaned)
    return "-".join(eight.groups()) if eight else cleaned


def _parse(text: str, today: date, languages: Sequence[str], order: str) -> Optional[date]:
    settings = {
        "DATE_ORDER": order,
        "PREFER_DATES_FROM": "past",
        "STRICT_PARSING": True,
        "REQUIRE_PARTS": ["day", "month", "year"],
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        # No "2 hari lalu", no Unix timestamps: a date of birth is written as a date.
        "PARSERS": ["custom-formats", "absolute-time"],
    }
    parsed = _dateparser().parse(text, languages=list(languages), settings=settings)
    return parsed.date() if parsed else None


def parse_date(text: str, today: date, languages: Sequence[str] = ("id", "en")) -> Validation:
    """A complete past date: '17 Agustus 1990', '17-08-1990', '17/8/90', 'Aug 17 1990', '1990-08-17'...

    Day-month-year first (Indonesian habit); month-day-year only when that is the sole reading
    ('08/17/1990'). Two-digit years mean the most recent such year not after `today`.
    """
    cleaned = _normalise_date_text(text)
    if not cleaned or not re.search(r"\d", cleaned):
        return _fail("date_unparseable")
    result = _parse(cleaned, today, languages, "YMD" if _LEADING_YEAR.match(cleaned) else "DMY")
    if result is None and _NUMERIC_DATE.match(cleaned):
        result = _parse(cleaned, today, languages, "MDY")
    if result is None:
        return _fail("date_unparseable")
    if result > today and _TWO_DIGIT_YEAR_END.search(cleaned):
        result = _previous_century(result)
    if result is None:
        return _fail("date_unparseable")
    if result > today:
        return _fail("date_in_future")
    return Validation(result)


def _previous_century(day: date) -> Optional[date]:
    try:
        return day.replace(year=day.year - 100)
    except ValueError:  # 29 February of a year that was not a leap year a century earlier
        return None


# Nobody this old or older is still pre-registering for work; such a date is a typo (or a probe).
OLDEST_PLAUSIBLE_AGE = 100


def check_plausible_birth_date(date_of_birth: date, today: date) -> Validation:
    if age_on(date_of_birth, today) >= OLDEST_PLAUSIBLE_AGE:
        return _fail("date_implausible")
    return Validation(date_of_birth)


def age_on(date_of_birth: date, today: date) -> int:
    """Completed years of age on `today`."""
    return today.year - date_of_birth.year - ((today.month, today.day) < (date_of_birth.month, date_of_birth.day))


def check_age(
    date_of_birth: date, today: date, max_age: Optional[int] = None, min_age: Optional[int] = None
) -> Validation:
    """max_age is the age that must NOT have been reached yet (BPU: under 60, so 60 exactly fails);
    min_age the age that must have been reached. The value is the age in years."""
    age = age_on(date_of_birth, today)
    if max_age is not None and age >= max_age:
        return _fail("age_over_limit")
    if min_age is not None and age < min_age:
        return _fail("age_under_minimum")
    return Validation(age)


# -- contact details ----------------------------------------------------------------------------------


def clean_phone(text: str) -> Validation:
    """An Indonesian mobile number (08..., 628..., +62 8...), returned as E.164 (+628...).

    Only one written number is accepted (digits and separators, tanya.privacy.numbers): phonenumbers
    itself would read letters as keypad digits ("0812abc7890" -> +628122227890), which is never what a
    user meant.
    """
    import phonenumbers  # large metadata: loaded on first use

    written = read_number(text)
    if written is None:
        return _fail("phone_invalid")
    value = ("+" if written.international else "") + written.digits
    try:
        number = phonenumbers.parse(value, "ID")
    except phonenumbers.NumberParseException:
        return _fail("phone_invalid")
    if number.country_code != 62 or not phonenumbers.is_valid_number(number):
        return _fail("phone_invalid")
    mobile_types = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    if phonenumbers.number_type(number) not in mobile_types:
        return _fail("phone_not_mobile")
    return Validation(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def clean_email(text: str) -> Validation:
    """A syntactically valid address (no DNS look-up), or skipped=True for '-', 'skip', 'tidak ada'..."""
    value = (text or "").strip()
    skip = answer_words.load().skip
    words = plain_words(value)
    if words in skip or ("@" not in value and any(_contains(words, phrase) for phrase in skip)):
        # "-", "skip", or inside a sentence with no address in it: "mboten gadah email mas, skip mawon"
        return Validation(None, None, skipped=True)
    from email_validator import EmailNotValidError, validate_email

    try:
        return Validation(validate_email(value, check_deliverability=False).normalized)
    except EmailNotValidError:
        return _fail("email_invalid")


_NAME_PUNCTUATION = frozenset(" '.-’")
_NAME_WORD_START = re.compile(r"(^|[ \-])(\w)")


def clean_name(text: str) -> Validation:
    """Letters (any script, accents included), spaces, apostrophes, dots, hyphens; 2-100 characters.

    Whitespace is collapsed; the name is title-cased only when typed all lower or all upper case, so
    'McDonald' or 'Ma'ruf' keep the user's own capitals.
    """
    value = " ".join(unicodedata.normalize("NFC", text or "").split())
    if len(value) > 100:
        return _fail("name_too_long")
    if any(not (ch.isalpha() or ch in _NAME_PUNCTUATION or unicodedata.category(ch).startswith("M")) for ch in value):
        return _fail("name_invalid_chars")
    if sum(ch.isalpha() for ch in value) < 2:
        return _fail("name_too_short")
    if value == value.lower() or value == value.upper():
        value = _NAME_WORD_START.sub(lambda m: m.group(1) + m.group(2).upper(), value.lower())
    return Validation(value)


# -- choices and numbers ------------------------------------------------------------------------------

def clean_gender(text: str) -> Validation:
    """'laki-laki', 'pria', 'L', 'male'... -> "male"; 'perempuan', 'wanita', 'P', 'female'... -> "female"."""
    words = plain_words(text)
    for gender, options in answer_words.load().gender.items():
        if words in options:
            return Validation(gender)
    return _fail("gender_invalid")


def clean_yes_no(text: str) -> Validation:
    """'ya', 'sudah', 'punya', 'yes'... -> True; 'tidak', 'belum', 'gak punya', 'no'... -> False; also at the
    head of a longer answer ("nggak ada kak, semua karyawan lokal", "nah, everyone is Indonesian", "ya, dua
    orang"), unless the answer says the person does not know ("nggak tahu")."""
    words = plain_words(text)
    known = answer_words.load()
    if words in known.yes:
        return Validation(True)
    if words in known.no:
        return Validation(False)
    leading = _leading_yes_no(text, known)
    return _fail("yes_no_invalid") if leading is None else Validation(leading)


# An answer's first clause ends at a comma, a full stop, a dash between spaces...
_CLAUSE_END = re.compile(r"[,.;:!?()]|\s[-–—]\s")


def _contains(words: str, phrase: str) -> bool:
    return bool(phrase) and f" {phrase} " in f" {words} "


def _leading_yes_no(text: str, known: answer_words.AnswerWords) -> Optional[bool]:
    if any(_contains(plain_words(text), phrase) for phrase in known.unsure):
        return None
    clause = plain_words(_CLAUSE_END.split(text or "", maxsplit=1)[0]).split()
    core = clause[:1] + [word for word in clause[1:] if word not in known.address]
    for length in (len(core), 2, 1):  # the whole first clause, then its first two words, then its first word
        head, rest = " ".join(core[:length]), set(core[length:])
        if rest and head in known.statement_heads:
            continue  # "ada yang mau saya ganti" is a statement, not "ada" (yes)
        for answer, words, opposite in ((True, known.yes, known.no), (False, known.no, known.yes)):
            if head in words:
                return None if rest & opposite else answer  # "ya tidak": both, so neither
    return None


# A number as typed: digits with optional thousands dots/commas, maybe a minus sign right before it.
_NUMBER_TOKEN = re.compile(r"-?\d[\d.,]*")
# Thousands grouped by dots or commas ("1.250"), so "1,5" and "12.50" are not whole numbers.
_WHOLE_NUMBER = re.compile(r"\d+|\d{1,3}(?:[.,]\d{3})+")


def clean_positive_int(text: str, minimum: int = 1, maximum: int = 1_000_000) -> Validation:
    """'25', '25 orang', 'about 40 workers', '1.250' -> int within [minimum, maximum]."""
    tokens = _NUMBER_TOKEN.findall(text or "")
    if len(tokens) != 1:  # none, or ambiguous like "25-30"
        return _fail("number_invalid")
    token = tokens[0].rstrip(".,")  # "25." ends a sentence
    body = token.lstrip("-")
    if not _WHOLE_NUMBER.fullmatch(body):
        return _fail("number_invalid")
    number = int(re.sub(r"[.,]", "", body))
    if token.startswith("-") or not minimum <= number <= maximum:
        return _fail("number_out_of_range")
    return Validation(number)


def clean_nib(text: str) -> Validation:
    """NIB (Nomor Induk Berusaha): 13 digits."""
    nib = _digits(text)
    return Validation(nib) if len(nib) == 13 else _fail("nib_invalid")


def clean_npwp(text: str) -> Validation:
    """NPWP: 15 digits (01.234.567.8-901.234) or the 16-digit form."""
    npwp = _digits(text)
    return Validation(npwp) if len(npwp) in (15, 16) else _fail("npwp_invalid")
