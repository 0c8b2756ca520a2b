"""The 'cek status <reference>' mini-form: the reference number, then the last 4 digits of the phone.

The last digits of the registered mobile number guard every segment's status: a NIK does not contain
them (it does contain the date of birth), so a NIK alone opens nothing. Failed checks are limited in
the store (tanya.registration.store.check_status).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional

from tanya.forms.commands import is_cancel
from tanya.forms.status_help import HELP_PREFIX, help_message, trouble_of
from tanya.segments import VERIFIER_DIGITS

REFERENCE_SLOT = "status_reference"
SECRET_SLOT = "status_secret"
STATUS_SLOTS = (REFERENCE_SLOT, SECRET_SLOT)
__all__ = ["HELP_PREFIX", "STATUS_SLOTS", "find_reference", "handle_status_turn", "last_digits"]
# Segment prefix, year, random part: e.g. BPU-2026-7KQ4M9 (see tanya.registration.store).
REFERENCE = re.compile(r"\b([A-Za-z]{2,8})\s*-\s*(\d{4})\s*-\s*([A-Za-z0-9]{4,10})\b")
_DIGITS = re.compile(r"\d")
# A run of digits as people type a phone number or its end: "1122", "0812 3456 7890", "0812-3456-7890".
_DIGIT_RUN = re.compile(r"\d(?:[\d.\- ]*\d)?")
PHONE_LENGTHS = range(9, 16)


def find_reference(text: str) -> Optional[str]:
    match = REFERENCE.search(text or "")
    return "-".join(part.upper() for part in match.groups()) if match else None


def last_digits(text: str) -> Optional[str]:
    """The last 4 digits the user typed: "7890", "****7890", a whole phone number, or one of these inside a
    sentence ("4 digit terakhir hp 1122", "kodenya BPU-2026-Q7W3ZP, hp 1122"); None for fewer, or when
    the sentence holds several numbers and it is not clear which one is meant."""
    plain = REFERENCE.sub(" ", unicodedata.normalize("NFKC", text or ""))
    runs = ["".join(_DIGITS.findall(run)) for run in _DIGIT_RUN.findall(plain)]
    candidates = [run for run in runs if len(run) == VERIFIER_DIGITS or len(run) in PHONE_LENGTHS]
    if len(candidates) != 1 or len([run for run in runs if len(run) > 1]) != 1:
        return None
    return candidates[0][-VERIFIER_DIGITS:]


@dataclass
class StatusTurn:
    slots: Dict[str, Any] = field(default_factory=dict)
    say: List[str] = field(default_factory=list)
    requested: Optional[str] = None


def handle_status_turn(slots: Mapping[str, Any], text: str, requested: Optional[str]) -> StatusTurn:
    result = StatusTurn()
    if is_cancel(text):
        result.slots = {REFERENCE_SLOT: None, SECRET_SLOT: None}
        result.say.append("registration_cancelled")
        return result
    reference = slots.get(REFERENCE_SLOT)
    trouble = trouble_of(text)
    if trouble and not find_reference(text):
        # "aku lupa kode referensinya", "nothing shows up, what now?": the next step, not the same question
        result.slots = {REFERENCE_SLOT: None, SECRET_SLOT: None}
        result.say.append(help_message(trouble))
        return result
    if not reference:
        reference = find_reference(text)
        if not reference:
            if requested == REFERENCE_SLOT:
                result.say.append("invalid_reference_invalid")
            result.say.append(f"ask_{REFERENCE_SLOT}")
            result.requested = REFERENCE_SLOT
            return result
        result.slots[REFERENCE_SLOT] = reference
    if requested == SECRET_SLOT or reference != slots.get(REFERENCE_SLOT):
        digits = last_digits(text)
        if digits:
            result.slots[SECRET_SLOT] = digits
            return result  # requested None: the form ends and the status is shown
        if requested == SECRET_SLOT:
            result.say.append("invalid_status_digits")
    result.say.append("ask_status_digits")
    result.requested = SECRET_SLOT
    return result
