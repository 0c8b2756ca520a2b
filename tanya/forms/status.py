"""The 'cek status <reference>' mini-form: reference number, then date of birth."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, List, Mapping, Optional

from tanya.forms.commands import is_cancel
from tanya.registration import validators as V

REFERENCE_SLOT = "status_reference"
BIRTH_DATE_SLOT = "status_birth_date"
STATUS_SLOTS = (REFERENCE_SLOT, BIRTH_DATE_SLOT)
# Segment prefix, year, random part: e.g. BPU-2026-7KQ4M9 (see tanya.registration.store).
REFERENCE = re.compile(r"\b([A-Za-z]{2,8})\s*-\s*(\d{4})\s*-\s*([A-Za-z0-9]{4,10})\b")


def find_reference(text: str) -> Optional[str]:
    match = REFERENCE.search(text or "")
    return "-".join(part.upper() for part in match.groups()) if match else None


@dataclass
class StatusTurn:
    slots: Dict[str, Any] = field(default_factory=dict)
    say: List[str] = field(default_factory=list)
    requested: Optional[str] = None


def handle_status_turn(slots: Mapping[str, Any], text: str, requested: Optional[str], today: date) -> StatusTurn:
    result = StatusTurn()
    if is_cancel(text):
        result.slots = {REFERENCE_SLOT: None, BIRTH_DATE_SLOT: None}
        result.say.append("registration_cancelled")
        return result
    reference = slots.get(REFERENCE_SLOT)
    if not reference:
        reference = find_reference(text)
        if reference:
            result.slots[REFERENCE_SLOT] = reference
        else:
            if requested == REFERENCE_SLOT:
                result.say.append("invalid_reference_invalid")
            result.say.append(f"ask_{REFERENCE_SLOT}")
            result.requested = REFERENCE_SLOT
            return result
    if requested == BIRTH_DATE_SLOT:
        parsed = V.parse_date(text, today)
        if not parsed.error:
            result.slots[BIRTH_DATE_SLOT] = parsed.value.isoformat()
            return result  # requested None: the form ends and the status is shown
        result.say.append(f"invalid_{parsed.error}")
    result.say.append(f"ask_{BIRTH_DATE_SLOT}")
    result.requested = BIRTH_DATE_SLOT
    return result
