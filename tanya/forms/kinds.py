"""Each form-field kind once: how an answer of that kind is parsed, re-checked at submission and shown.

One `Kind` per kind name of tanya/forms/fields.py, in KINDS. The three readings sit side by side so
they cannot drift: the engine (tanya/forms/engine.py) calls `parse` on the user's message, the
submission (tanya/forms/submission.py) calls `recheck` on the stored value (slots may come from a
hand-made request), the summary (actions/registration_rendering.py) calls `display`. Every value
`parse` accepts, `recheck` accepts (tests/unit/forms/test_kinds.py proves it per kind).

Adding a kind: a Kind here (and its name in fields.py), a validator in tanya/registration/validators.py
when the check is new, its `invalid_<code>` messages in data/messages/registration.yml, and its tests
in tests/unit/forms/test_kinds.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Dict, Mapping

from tanya import messages
from tanya.forms import fields as F
from tanya.forms.inputs import Answers, Asked, consistent, nik_agrees
from tanya.privacy.masking import mask_identifier
from tanya.registration import validators as V
from tanya.understanding.normalise import plain_words

SKIPPED = "-"  # an optional answer the user chose not to give: answered, nothing to store
MAX_NUMBER = 1_000_000
TEXT_MAX = 100
# A bare "ok", "iya", "no" typed where an occupation or a city is asked is not that answer.
NOT_AN_ANSWER_INTENTS = frozenset({"affirm", "deny"})
NOT_AN_ANSWER_MAX_WORDS = 2
STAGE_MIN_LETTERS = 4  # shorter words of a stage's name are too common to pick a stage
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9./\- ]{3,24}$")
_LETTER = re.compile(r"[^\W\d_]")

Parse = Callable[[str, Asked], V.Validation]
Recheck = Callable[[Any, Answers], bool]
Display = Callable[[Any, str, Mapping[str, str]], str]  # value, language, stage key -> its name


@dataclass(frozen=True)
class Kind:
    name: str
    parse: Parse
    recheck: Recheck
    display: Display
    # Answered from a short fixed list: a confident question intent that is no valid choice is a question.
    choice: bool = False


def _as_text(value: Any, language: str, stage_names: Mapping[str, str]) -> str:
    return str(value)


def _same_when_cleaned(clean: Callable[[str], V.Validation]) -> Recheck:
    """A stored value is valid when cleaning it again gives it back unchanged."""
    return lambda value, answers: isinstance(value, str) and clean(value).value == value


# -- name ---------------------------------------------------------------------------------------------

NAME = Kind(F.NAME, lambda text, asked: V.clean_name(text), _same_when_cleaned(V.clean_name), _as_text)


# -- NIK, date of birth, gender: cross-checked against each other ---------------------------------------


def _parse_nik(text: str, asked: Asked) -> V.Validation:
    result = V.clean_nik(text, asked.today)
    if result.error:
        return result
    return consistent(result.value, asked.slots.get(F.BIRTH_DATE.slot), asked.slots.get(F.GENDER_FIELD.slot), result)


def _recheck_nik(value: Any, answers: Answers) -> bool:
    return (
        isinstance(value, str)
        and V.clean_nik(value, answers.today).value == value
        and nik_agrees(value, answers.answers)
    )


NIK = Kind(F.NIK, _parse_nik, _recheck_nik, lambda value, language, names: mask_identifier(value))


def _birth_date_error(born: date, segment: str, rules, today: date) -> str:
    """Why a real past date is no acceptable date of birth here ("" when it is)."""
    age = V.check_age(born, today, max_age=rules.max_age.get(segment))
    return age.error or V.check_plausible_birth_date(born, today).error or ""


def _parse_date(text: str, asked: Asked) -> V.Validation:
    result = V.parse_date(text, asked.today)
    if result.error:
        return result
    error = _birth_date_error(result.value, asked.segment, asked.rules, asked.today)
    if error:
        return V.Validation(None, error)
    iso = V.Validation(result.value.isoformat(), None)
    return consistent(asked.clear(F.NIK_FIELD.slot), iso.value, asked.slots.get(F.GENDER_FIELD.slot), iso)


def _recheck_date(value: Any, answers: Answers) -> bool:
    try:
        born = date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return born <= answers.today and not _birth_date_error(born, answers.segment, answers.rules, answers.today)


DATE = Kind(
    F.DATE, _parse_date, _recheck_date, lambda value, language, names: date.fromisoformat(value).strftime("%d-%m-%Y")
)


def _parse_gender(text: str, asked: Asked) -> V.Validation:
    result = V.clean_gender(text)
    if result.error:
        return result
    return consistent(asked.clear(F.NIK_FIELD.slot), asked.slots.get(F.BIRTH_DATE.slot), result.value, result)


GENDER = Kind(
    F.GENDER,
    _parse_gender,
    lambda value, answers: value in (V.MALE, V.FEMALE),
    lambda value, language, names: messages.text(f"value_{value}", language),
    choice=True,
)


# -- contact details ------------------------------------------------------------------------------------

PHONE = Kind(F.PHONE, lambda text, asked: V.clean_phone(text), _same_when_cleaned(V.clean_phone), _as_text)


def _parse_email(text: str, asked: Asked) -> V.Validation:
    result = V.clean_email(text)
    return V.Validation(SKIPPED, None, skipped=True) if result.skipped else result


EMAIL = Kind(
    F.EMAIL,
    _parse_email,
    lambda value, answers: value == SKIPPED or _same_when_cleaned(V.clean_email)(value, answers),
    lambda value, language, names: messages.text("value_skipped", language) if value == SKIPPED else str(value),
)


# -- free text and codes --------------------------------------------------------------------------------


def _parse_text(text: str, asked: Asked) -> V.Validation:
    value = " ".join((text or "").split())
    if len(value) < 2 or not _LETTER.search(value):
        return V.Validation(None, "text_too_short")
    if asked.turn.intent in NOT_AN_ANSWER_INTENTS and len(value.split()) <= NOT_AN_ANSWER_MAX_WORDS:
        return V.Validation(None, "text_not_an_answer")
    if len(value) > TEXT_MAX:
        return V.Validation(None, "text_too_long")
    return V.Validation(value, None)


TEXT = Kind(
    F.TEXT,
    _parse_text,
    lambda value, answers: isinstance(value, str) and 2 <= len(value) <= TEXT_MAX and bool(_LETTER.search(value)),
    _as_text,
)


def _parse_code(text: str, asked: Asked) -> V.Validation:
    value = " ".join((text or "").split()).upper()
    return V.Validation(value, None) if _CODE.match(value) else V.Validation(None, "code_invalid")


CODE = Kind(F.CODE, _parse_code, lambda value, answers: isinstance(value, str) and bool(_CODE.match(value)), _as_text)
NIB = Kind(F.NIB, lambda text, asked: V.clean_nib(text), _same_when_cleaned(V.clean_nib), _as_text)
NPWP = Kind(F.NPWP, lambda text, asked: V.clean_npwp(text), _same_when_cleaned(V.clean_npwp), _as_text)


# -- choices and numbers --------------------------------------------------------------------------------


def _parse_yes_no(text: str, asked: Asked) -> V.Validation:
    if asked.turn.intent in ("affirm", "deny") and text.startswith("/"):  # a button
        return V.Validation(asked.turn.intent == "affirm", None)
    return V.clean_yes_no(text)


YES_NO = Kind(
    F.YES_NO,
    _parse_yes_no,
    lambda value, answers: isinstance(value, bool),
    lambda value, language, names: messages.text("value_yes" if value else "value_no", language),
    choice=True,
)


def _parse_stage(text: str, asked: Asked) -> V.Validation:
    """A stage from the NLU entity, a button, or words of a stage's name ("working" -> during_after)."""
    names = asked.rules.stage_names
    known = set(names.values())
    key = asked.turn.entities.get("pmi_stage")
    if key not in known:
        words = plain_words(text)
        key = names.get(words)
        if key is None and len(words) >= STAGE_MIN_LETTERS:
            matches = {k for name, k in names.items() if words in name or name in words}
            key = matches.pop() if len(matches) == 1 else None
    return V.Validation(key, None) if key in known else V.Validation(None, "stage_invalid")


STAGE = Kind(
    F.STAGE,
    _parse_stage,
    lambda value, answers: value in set(answers.rules.stage_names.values()),
    lambda value, language, names: names.get(value, value),
    choice=True,
)

NUMBER = Kind(
    F.NUMBER,
    lambda text, asked: V.clean_positive_int(text, maximum=MAX_NUMBER),
    lambda value, answers: isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_NUMBER,
    _as_text,
)


KINDS: Dict[str, Kind] = {
    kind.name: kind for kind in (NAME, NIK, DATE, GENDER, PHONE, EMAIL, TEXT, YES_NO, STAGE, NUMBER, NIB, NPWP, CODE)
}
