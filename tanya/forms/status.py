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
from tanya.segments import VERIFIER_DIGITS

REFERENCE_SLOT = "status_reference"
SECRET_SLOT = "status_secret"
STATUS_SLOTS = (REFERENCE_SLOT, SECRET_SLOT)
# Segment prefix, year, random part: e.g. BPU-2026-7KQ4M9 (see tanya.registration.store).
REFERENCE = re.compile(r"\b([A-Za-z]{2,8})\s*-\s*(\d{4})\s*-\s*([A-Za-z0-9]{4,10})\b")
_DIGITS = re.compile(r"\d")


def find_reference(text: str) -> Optional[str]:
    match = REFERENCE.search(text or "")
    return "-".join(part.upper() for part in match.groups()) if match else None


def last_digits(text: str) -> Optional[str]:
    """The last 4 digits the user typed: "7890", "****7890", or a whole phone number; None for fewer."""
    digits = "".join(_DIGITS.findall(unicodedata.normalize("NFKC", text or "")))
    if len(digits) < VERIFIER_DIGITS or re.search(r"[^\W\d_]", text or ""):
        return None
    return digits[-VERIFIER_DIGITS:]


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
    if not reference:
        reference = find_reference(text)
        if not reference:
            if requested == REFERENCE_SLOT:
                result.say.append("invalid_reference_invalid")
            result.say.append(f"ask_{REFERENCE_SLOT}")
            result.requested = REFERENCE_SLOT
            return result
        result.slots[REFERENCE_SLOT] = reference
    if requested == SECRET_SLOT:
        digits = last_digits(text)
        if digits:
            result.slots[SECRET_SLOT] = digits
            return result  # requested None: the form ends and the status is shown
        result.say.append("invalid_status_digits")
    result.say.append("ask_status_digits")
    result.requested = SECRET_SLOT
    return result
