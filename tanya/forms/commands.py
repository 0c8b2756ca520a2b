"""Recognise form commands that must work whatever the NLU predicts: cancelling, asking a question."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from tanya.language import DEFAULT_MARKERS_PATH

_PUNCTUATION = re.compile(r"[^\w\s]")


@lru_cache(maxsize=2)
def _commands(path: Path = DEFAULT_MARKERS_PATH) -> dict:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["language_markers"]
    return {
        "cancel": frozenset(phrase.lower() for phrase in raw["cancel_phrases"]),
        "question": frozenset(word.lower() for word in raw["question_words"]),
    }


def _normalise(text: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", (text or "").lower()).split())


def is_cancel(text: str) -> bool:
    """'batal', 'gak jadi', 'stop', 'cancel'... as the whole message."""
    return _normalise(text) in _commands()["cancel"]


def looks_like_question(text: str) -> bool:
    """A question mark, or a question word among the first three words."""
    if "?" in (text or ""):
        return True
    words = _normalise(text).split()
    return any(word in _commands()["question"] for word in words[:3])
