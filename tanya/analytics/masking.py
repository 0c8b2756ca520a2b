"""Hide NIK- and phone-like numbers in question texts before staff see them (last 4 digits kept).

A run of 10 or more digits (any Unicode digits, full-width included), whose groups may be separated by
spaces, dots, dashes, slashes or brackets, keeps only its last 4 digits. Shorter numbers (dates,
amounts, references) stay readable. The tracker store already masks what it writes; this second pass
protects reports read from older or foreign data. To be merged with tanya.privacy.masking.
"""

from __future__ import annotations

import re

MASK = "*"
MIN_DIGITS = 10
KEEP_LAST = 4
# Digits joined by at most two separator characters: "(0812) 3456", "3273.0155", "0812 - 3456".
_DIGIT_RUN = re.compile(r"\d(?:[ .\-/()\[\]\u3000\u00a0\uff0d\uff0e\uff0f]{0,2}\d)+")


def _mask_run(match: re.Match) -> str:
    run = match.group(0)
    total = sum(ch.isdigit() for ch in run)
    if total < MIN_DIGITS:
        return run
    seen = 0
    masked = []
    for ch in run:
        if ch.isdigit():
            seen += 1
            masked.append(ch if seen > total - KEEP_LAST else MASK)
        else:
            masked.append(ch)
    return "".join(masked)


def mask_numbers(text: str) -> str:
    """`text` with every run of 10+ digits hidden but for its last 4 digits."""
    if not text or not any(ch.isdigit() for ch in text):
        return text or ""
    return _DIGIT_RUN.sub(_mask_run, text)
