"""Mask personal numbers (NIK, phone numbers) wherever text is stored, logged or shown back.

One rule for every place: any run of 10 or more digits, however it is written (spaces, dots, slashes,
dashes, brackets, underscores between the groups; letters glued on either side; full-width or other
Unicode digits), keeps only its last 4 digits. A NIK has 16 digits and an Indonesian mobile 10-13, so
both are covered, and so is a mistyped 15- or 17-digit NIK; dates (8 digits), amounts and reference
numbers such as BPU-2026-7KQ4M9 have fewer and stay readable.
"""

from __future__ import annotations

import re
from typing import Any, FrozenSet

MASK = "*"
MIN_DIGITS = 10
KEEP_LAST = 4
# \d matches every Unicode decimal digit (full-width ０-９ included). Groups may be joined by up to two
# separator characters: "(0812) 3456", "3273/0155", "0812-3456", "hp_0812...".
_DIGIT_RUN = re.compile(r"\d(?:[ .\-/()_\u3000\u00a0]{0,2}\d)+")
# Identifiers Rasa generates (hex message ids and the like) are not personal data and must survive.
_SKIPPED_KEYS: FrozenSet[str] = frozenset({"message_id", "sender_id", "model_id", "assistant_id", "timestamp"})


def _mask_run(match: re.Match) -> str:
    run = match.group(0)
    total = sum(ch.isdigit() for ch in run)
    if total < MIN_DIGITS:
        return run
    seen = 0
    out = []
    for ch in run:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > total - KEEP_LAST else MASK)
        else:
            out.append(ch)
    return "".join(out)


def mask_text(text: str) -> str:
    """`text` with every NIK- or phone-like number masked but for its last 4 digits."""
    if not text or not any(ch.isdigit() for ch in text):
        return text
    return _DIGIT_RUN.sub(_mask_run, text)


def mask_value(value: Any) -> Any:
    """mask_text on every string inside dicts, lists and tuples (ids Rasa generates are kept)."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {key: item if key in _SKIPPED_KEYS else mask_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(mask_value(item) for item in value)
    return value


def mask_identifier(number: str) -> str:
    """A known identifier shown back to its owner (summary): all but the last 4 characters hidden."""
    return MASK * max(len(number) - KEEP_LAST, 0) + number[-KEEP_LAST:]
