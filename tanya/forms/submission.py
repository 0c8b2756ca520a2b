"""Turn a confirmed form into a stored pre-registration, after checking every answer again.

The action server never trusts the slots it receives: they could come from a hand-made request. So
before storing, every answer is read back (sensitive ones only if sealed for this conversation) and
validated again by its field kind's `recheck` (tanya/forms/kinds.py, beside the parser the form uses);
a pre-registration with a missing or invalid answer is not stored, and the form asks for that field again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, List, Mapping, Optional

from sqlalchemy.orm import Session

from tanya import segments
from tanya.forms import fields as F
from tanya.forms.engine import plan
from tanya.forms.inputs import Answers, Rules, Vault
from tanya.forms.kinds import KINDS, SKIPPED
from tanya.registration import store


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


def _valid(f: F.Field, value: Any, checked: Answers) -> bool:
    if value is None:
        return f.optional
    if f in F.PERISAI_REQUIREMENTS and value is not True:
        return False  # every Perisai requirement must be met for the form to get this far
    return KINDS[f.kind].recheck(value, checked)


def invalid_answers(segment: str, answers: Mapping[str, Any], rules: Rules, today: date) -> List[str]:
    """Slots whose answers are missing or invalid, in the order the form asks them."""
    checked = Answers(answers, segment, rules, today)
    return [slot for slot, value in answers.items() if not _valid(F.ALL_FIELDS[slot], value, checked)]


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
        if value is not None and value != SKIPPED and F.ALL_FIELDS[slot] not in F.PERISAI_REQUIREMENTS
    }
    return Submission(result=store.submit(session, segment=segment, answers=stored, today=today))
