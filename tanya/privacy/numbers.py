"""How a number is written in a text: the one reading both the form and the masking use.

A *written number* is a run of digits joined by separators, read character by character as NFKC
normalisation would read it, without changing the text:
- a digit is any Unicode decimal digit (ASCII, full-width, Arabic-Indic, Devanagari, mathematical...)
  and any character NFKC turns into digits (superscripts, circled digits);
- a separator is any whitespace (spaces however many, line breaks, tabs, no-break and ideographic
  spaces), any dash (hyphen, en and em dash, minus sign), the punctuation in SEPARATOR_PUNCTUATION
  (their full-width forms too), and the invisible characters people paste or keyboards insert: format
  characters (zero-width space, joiners, word joiner, BOM, soft hyphen, direction marks) and combining
  marks (variation selectors, the keycap of 3️⃣);
- anything else (a letter, %, *, an emoji) ends the run.

The pre-registration form reads a NIK or a phone number as a text that is one written number and
nothing but separators around it (tanya.registration.validators); tanya.privacy.masking masks every
written number of 10 or more digits wherever text is stored, logged or shown. So whatever the form
accepts as a NIK or a phone is, by construction, what the masking hides, in any format.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, List, Optional

# Punctuation that may stand between the digit groups of a number ("3201.0117", "(0812) 3456",
# "3201,0117", "0812/3456", "hp_0812", "+62"). Not "%", "*" (the mask) or letters.
SEPARATOR_PUNCTUATION = frozenset(".,:;/\\()[]_+'\u00b7")
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Mn", "Me", "Mc"})
DIGIT, SEPARATOR, OTHER = "d", "s", "x"
_RUN = re.compile(r"d(?:s*d)*")


@lru_cache(maxsize=4096)
def digits_of(ch: str) -> str:
    """The ASCII digits one character stands for ("7", "٣" -> "3", "⑩" -> "10"), or "" for a non-digit."""
    if ch.isdecimal():
        return str(unicodedata.decimal(ch))
    if ch.isnumeric():
        normal = unicodedata.normalize("NFKC", ch)
        if normal.isascii() and normal.isdigit():
            return normal
    return ""


@lru_cache(maxsize=4096)
def kind(ch: str) -> str:
    """DIGIT, SEPARATOR or OTHER: how `ch` counts inside a written number."""
    if digits_of(ch):
        return DIGIT
    if ch.isspace() or ch in SEPARATOR_PUNCTUATION:
        return SEPARATOR
    category = unicodedata.category(ch)
    if category == "Pd" or category in _INVISIBLE_CATEGORIES or ch == "\u2212":  # "\u2212": the minus sign
        return SEPARATOR
    normal = unicodedata.normalize("NFKC", ch)  # full-width "－", "（", "．", "，"...
    if len(normal) == 1 and normal != ch:
        return kind(normal)
    return OTHER


@dataclass(frozen=True)
class WrittenNumber:
    start: int  # text[start:end] is the number, from its first digit to its last
    end: int
    digits: str  # its digits in ASCII, in order

    def __len__(self) -> int:
        return len(self.digits)


def has_digit(text: str) -> bool:
    """Cheap test first: most texts hold no digit at all."""
    return any(map(str.isnumeric, text))


def _kinds(text: str) -> str:
    return "".join(map(kind, text))


def _number(text: str, match: "re.Match[str]") -> WrittenNumber:
    start, end = match.span()
    return WrittenNumber(start, end, "".join(digits_of(ch) for ch in text[start:end]))


def written_numbers(text: str) -> Iterator[WrittenNumber]:
    """Every written number of `text`, in order (a single digit is a number too)."""
    if not text or not has_digit(text):
        return iter(())
    return (_number(text, match) for match in _RUN.finditer(_kinds(text)))


@dataclass(frozen=True)
class NumberAnswer:
    digits: str
    international: bool  # a "+" before the first digit: "+62 812..."


def read_number(text: str) -> Optional[NumberAnswer]:
    """The number when `text` is one written number with nothing but separators around it, else None.

    "3201 - 0117 - 0890 - 0001", "(0812) 3456 7890", "+62 812 3456 7890" are numbers; "NIK saya 3201...",
    "0812abc7890", "0812 3456 / ext 12" are not.
    """
    numbers: List[WrittenNumber] = list(written_numbers(text or ""))
    if len(numbers) != 1:
        return None
    number = numbers[0]
    around = text[: number.start] + text[number.end :]
    if any(kind(ch) != SEPARATOR for ch in around):
        return None
    lead = unicodedata.normalize("NFKC", text[: number.start])
    return NumberAnswer(number.digits, "+" in lead)
