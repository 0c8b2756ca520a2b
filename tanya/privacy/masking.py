"""Mask personal numbers (NIK, phone numbers) wherever text is stored, logged or shown back.

One rule for every place: every written number (tanya.privacy.numbers: digits joined by any
separators, spaces however many, line breaks, tabs, dashes, commas, dots, brackets, zero-width and
other invisible characters; Unicode digits too; letters glued on either side) of 10 or more digits keeps
only its last 4 digits. A NIK has 16 digits and an Indonesian mobile 10-13, so both are covered, and so
is a mistyped 15- or 17-digit NIK; dates (8 digits), amounts and reference numbers such as
BPU-2026-7KQ4M9 have fewer and stay readable. The reading is the form's own (a NIK or phone the form
accepts is always one written number), so nothing the form takes can be stored in clear.

Two numbers written side by side with only separators between them ("17-08-1990 - 18-09-1991", a
list of amounts) are one written number too, and are masked when they reach 10 digits: a privacy rule
errs on the side of hiding.

Only the digits change: separators, letters and invisible characters stay as written, and a text
without such a number is returned unchanged (masking twice changes nothing).
"""

from __future__ import annotations

from typing import Any, FrozenSet, List

from tanya.privacy.numbers import digits_of, has_digit, written_numbers

MASK = "*"
MIN_DIGITS = 10
KEEP_LAST = 4
# Identifiers Rasa generates (hex message ids and the like) are not personal data and must survive.
_SKIPPED_KEYS: FrozenSet[str] = frozenset({"message_id", "sender_id", "model_id", "assistant_id", "timestamp"})


def _masked_run(run: str, total: int) -> str:
    """`run` with all but its last KEEP_LAST digits replaced by MASK (a character worth several digits,
    like "⑩", is written out when only part of it is kept)."""
    keep_from = total - KEEP_LAST  # digits with an index >= keep_from stay
    seen = 0
    out: List[str] = []
    for ch in run:
        digits = digits_of(ch)
        if not digits:
            out.append(ch)
            continue
        first, seen = seen, seen + len(digits)
        if first >= keep_from:
            out.append(ch)
        else:
            out.append("".join(MASK if first + i < keep_from else d for i, d in enumerate(digits)))
    return "".join(out)


def mask_text(text: str) -> str:
    """`text` with every NIK- or phone-like number masked but for its last 4 digits."""
    if not text or not has_digit(text):
        return text
    parts: List[str] = []
    last = 0
    for number in written_numbers(text):
        if len(number) < MIN_DIGITS:
            continue
        parts += [text[last : number.start], _masked_run(text[number.start : number.end], len(number))]
        last = number.end
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


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
