"""The 'cek status <reference>' mini-form: reference number, then the secret that guards it.

Personal registrations are guarded by the date of birth; company ones (PU, Jakon) by the phone number
given at registration, since a company has no date of birth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, List, Mapping, Optional

from tanya.forms.commands import is_cancel
from tanya.registration import validators as V

REFERENCE_SLOT = "status_reference"
SECRET_SLOT = "status_secret"
STATUS_SLOTS = (REFERENCE_SLOT, SECRET_SLOT)
PHONE_PREFIXES = ("PU-", "JAKON-")
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
        result.slots = {REFERENCE_SLOT: None, SECRET_SLOT: None}
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
    by_phone = reference.startswith(PHONE_PREFIXES)
    if requested == SECRET_SLOT:
        parsed = V.clean_phone(text) if by_phone else V.parse_date(text, today)
        if not parsed.error:
            result.slots[SECRET_SLOT] = parsed.value if by_phone else parsed.value.isoformat()
            return result  # requested None: the form ends and the status is shown
        result.say.append(f"invalid_{parsed.error}")
    result.say.append("ask_status_phone" if by_phone else "ask_status_birth_date")
    result.requested = SECRET_SLOT
    return result
