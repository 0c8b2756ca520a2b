"""Recognise form commands in what the user types, whatever the NLU predicts: cancelling, asking a
question, naming a field or asking to change one.

Commands are matched as whole words (tanya.understanding.normalise.plain_words on both sides), never
as letters inside a word: an answer such as "Makassar", "Surabaya" or "Dobo" is an answer, not "ya",
"dob" or a cancel word. The last word of a phrase may carry an Indonesian clitic ("tanggal lahirnya",
"NIK-nya" name the date of birth and the NIK).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable, Tuple

import yaml

from tanya.language import DEFAULT_MARKERS_PATH
from tanya.understanding.normalise import plain_words

CLITICS = ("nya", "ku", "mu")


@lru_cache(maxsize=2)
def _commands(path: Path = DEFAULT_MARKERS_PATH) -> dict:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["language_markers"]
    return {
        "cancel": frozenset(plain_words(phrase) for phrase in raw["cancel_phrases"]),
        "question": frozenset(plain_words(word) for word in raw["question_words"]),
    }


def says(text: str, phrases: Iterable[str]) -> bool:
    """The whole message is one of `phrases` (already plain words)."""
    return plain_words(text) in phrases


def _word_matches(word: str, wanted: str, last: bool) -> bool:
    if word == wanted:
        return True
    return last and any(word == wanted + clitic for clitic in CLITICS)


def mentions(text: str, phrase: str) -> bool:
    """`phrase` (plain words) occurs in `text` as whole consecutive words."""
    words, wanted = plain_words(text).split(), phrase.split()
    if not wanted:
        return False
    return any(
        all(_word_matches(words[start + i], part, i == len(wanted) - 1) for i, part in enumerate(wanted))
        for start in range(len(words) - len(wanted) + 1)
    )


def mentions_any(text: str, phrases: Tuple[str, ...]) -> bool:
    return any(mentions(text, phrase) for phrase in phrases)


def is_cancel(text: str) -> bool:
    """'batal', 'gak jadi', 'stop', 'cancel'... as the whole message."""
    return says(text, _commands()["cancel"])


def looks_like_question(text: str) -> bool:
    """A question mark, or a question word among the first three words."""
    if "?" in (text or ""):
        return True
    words = plain_words(text).split()
    return any(word in _commands()["question"] for word in words[:3])
