"""Turn a confirmed form into a stored pre-registration, after checking every answer again.

The action server never trusts the slots it receives: they could come from a hand-made request. So
before storing, every answer is read back (sensitive ones only if sealed for this conversation) and
validated again with the same validators the form uses; a pre-registration with a missing or invalid
answer is not stored, and the form asks for that field again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, List, Mapping, Optional

from sqlalchemy.orm import Session

from tanya import segments
from tanya.forms import fields as F
from tanya.forms.engine import Rules, Vault, plan
from tanya.registration import store
from tanya.registration import validators as V

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9./\- ]{3,24}$")
_LETTER = re.compile(r"[^\W\d_]")


def answer_name(slot: str) -> str:
    """The store's name of a form answer: the slot without its reg_ prefix."""
    return slot[len("reg_") :]


@dataclass
class Submission:
    result: Optional[store.SubmitResult] = None
    problems: List[str] = field(default_factory=list)  # slots whose answers failed the check


def read_answers(segment: str, slots: Mapping[str, Any], rules: Rules, vault: Vault) -> Dict[str, Any]:
    """The form's answers for `segment`, sensitive ones decrypted (None when not sealed for us)."""
    answers: Dict[str, Any] = {}
    for f in plan(segment, slots, rules):
        value = slots.get(f.slot)
        if f.sensitive and value is not None:
            value = vault.decrypt(value)
        answers[f.slot] = value
    return answers


def _valid(f: F.Field, value: Any, answers: Mapping[str, Any], segment: str, rules: Rules, today: date) -> bool:
    if value is None:
        return f.optional
    if f.kind == F.NAME:
        return isinstance(value, str) and V.clean_name(value).value == value
    if f.kind == F.NIK:
        if not isinstance(value, str) or V.clean_nik(value, today).value != value:
            return False
        born = answers.get(F.BIRTH_DATE.slot)
        check = V.check_nik_consistency(
            value, date.fromisoformat(born) if isinstance(born, str) else None, answers.get(F.GENDER_FIELD.slot)
        )
        return check.error is None
    if f.kind == F.DATE:
        try:
            born = date.fromisoformat(value)
        except (TypeError, ValueError):
            return False
        return (
            born <= today
            and V.check_age(born, today, max_age=rules.max_age.get(segment)).error is None
            and V.check_plausible_birth_date(born, today).error is None
        )
    if f.kind == F.GENDER:
        return value in (V.MALE, V.FEMALE)
    if f.kind == F.PHONE:
        return isinstance(value, str) and V.clean_phone(value).value == value
    if f.kind == F.EMAIL:
        return value == "-" or (isinstance(value, str) and V.clean_email(value).value == value)
    if f.kind == F.TEXT:
        return isinstance(value, str) and 2 <= len(value) <= 100 and bool(_LETTER.search(value))
    if f.kind == F.YES_NO:
        # Perisai requirements must all be met for the form to get this far.
        return value is True if f in F.PERISAI_REQUIREMENTS else isinstance(value, bool)
    if f.kind == F.STAGE:
        return value in set(rules.stage_names.values())
    if f.kind == F.NUMBER:
        return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1_000_000
    if f.kind == F.NIB:
        return isinstance(value, str) and V.clean_nib(value).value == value
    if f.kind == F.NPWP:
        return isinstance(value, str) and V.clean_npwp(value).value == value
    if f.kind == F.CODE:
        return isinstance(value, str) and bool(_CODE.match(value))
    return False


def invalid_answers(segment: str, answers: Mapping[str, Any], rules: Rules, today: date) -> List[str]:
    """Slots whose answers are missing or invalid, in the order the form asks them."""
    return [
        slot
        for slot, value in answers.items()
        if not _valid(F.ALL_FIELDS[slot], value, answers, segment, rules, today)
    ]


def submit_form(
    session: Session, segment: str, slots: Mapping[str, Any], rules: Rules, vault: Vault, today: date
) -> Submission:
    if segment not in segments.SEGMENTS:
        return Submission(problems=[F.SEGMENT_SLOT])
    answers = read_answers(segment, slots, rules, vault)
    problems = invalid_answers(segment, answers, rules, today)
    if problems:
        return Submission(problems=problems)
    stored = {
        answer_name(slot): value
        for slot, value in answers.items()
        if value is not None and value != "-" and F.ALL_FIELDS[slot] not in F.PERISAI_REQUIREMENTS
    }
    return Submission(result=store.submit(session, segment=segment, answers=stored, today=today))
