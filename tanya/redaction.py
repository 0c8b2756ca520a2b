"""Mask personal numbers (NIK, phone) in any text or nested structure before it is stored.

Rasa OSS stores every user message, entity and slot in the tracker store in plain text; the
tracker store runs every event through `redact` so a NIK or phone number typed into the chat is
never written in clear. The last digits stay visible so staff can still tell entries apart.
"""

from __future__ import annotations

import re
from typing import Any

MASK = "*"

# 16 digits, optionally grouped by spaces, dots or dashes, not glued to other word characters.
_NIK = re.compile(r"(?<![\w+])(?:\d[ .\-]?){15}\d(?!\w)")
# Indonesian mobile numbers: 08..., 628..., +62 8..., 9-13 digits after the prefix, loosely grouped.
_PHONE = re.compile(r"(?<![\w+])(?:\+62|62|0)[ .\-]?8(?:[ .\-]?\d){7,12}(?!\w)")


def _mask_digits(match: re.Match, keep: int) -> str:
    text = match.group(0)
    digits_seen = 0
    total = sum(ch.isdigit() for ch in text)
    out = []
    for ch in text:
        if ch.isdigit():
            digits_seen += 1
            out.append(ch if digits_seen > total - keep else MASK)
        else:
            out.append(ch)
    return "".join(out)


def redact_text(text: str) -> str:
    text = _NIK.sub(lambda m: _mask_digits(m, keep=4), text)
    return _PHONE.sub(lambda m: _mask_digits(m, keep=3), text)


def redact(value: Any) -> Any:
    """Redact every string inside dicts, lists and tuples; other values pass unchanged."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {key: redact(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact(item) for item in value)
    return value
