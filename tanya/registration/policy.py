"""How each segment's pre-registrations are kept: declared once, used by the store, the status check
and the form.

- prefix: the first part of the reference (BPU-2026-7KQ4M9);
- identity: the answers that identify the same registrant twice (a person's NIK, a company's NIB,
  a project's PU number and name): a second submission with them is the same pre-registration;
- city: the answer that routes it to a branch office (kept in clear for the back office's export).
Every segment's form asks a mobile number; a status check verifies its last 4 digits, which the NIK
(and so the date of birth it encodes) does not contain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Tuple


@dataclass(frozen=True)
class SegmentPolicy:
    prefix: str
    identity: Tuple[str, ...]
    city: Optional[str] = None


POLICIES: Dict[str, SegmentPolicy] = {
    "bpu": SegmentPolicy("BPU", ("nik",), "city"),
    "pmi": SegmentPolicy("PMI", ("nik",)),
    "perisai": SegmentPolicy("PERISAI", ("nik",)),
    "pu": SegmentPolicy("PU", ("nib",)),
    "jakon": SegmentPolicy("JAKON", ("pu_number", "project_name"), "project_city"),
}
# The answer whose last digits guard the status check, and how many of them.
VERIFIER = "phone"
VERIFIER_DIGITS = 4


def policy(segment: str) -> SegmentPolicy:
    try:
        return POLICIES[segment]
    except KeyError:
        raise ValueError(f"unknown segment {segment!r}") from None


def verifier_digits(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[-VERIFIER_DIGITS:]
