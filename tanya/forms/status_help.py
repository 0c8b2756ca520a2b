"""What a person says about a status check that cannot go on: the reference is lost, checks are locked,
or the check found nothing and they ask what now (data/language/status_words.yml). The status flow then
explains the next step and names the human channels instead of asking for the reference again."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Tuple

import yaml

from tanya.understanding.normalise import plain_words

DEFAULT_STATUS_WORDS_PATH = Path(__file__).resolve().parents[2] / "data" / "language" / "status_words.yml"
# Checked in this order: a lost reference explains more than "what now".
TROUBLES = ("lost", "locked", "next")


@lru_cache(maxsize=2)
def _phrases(path: Path = DEFAULT_STATUS_WORDS_PATH) -> Dict[str, Tuple[str, ...]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["status_trouble"]
    return {kind: tuple(plain_words(phrase) for phrase in raw[kind]) for kind in TROUBLES}


def trouble_of(text: str) -> Optional[str]:
    """"lost", "locked" or "next" when the message says the check cannot go on; None otherwise."""
    plain = f" {plain_words(text)} "  # the phrases are read the same way: one normaliser
    for kind, phrases in _phrases().items():
        if any(f" {phrase} " in plain for phrase in phrases):
            return kind
    return None


HELP_PREFIX = "status_help_"


def help_message(trouble: str) -> str:
    """The catalogue message (data/messages/registration.yml) that answers `trouble`."""
    return HELP_PREFIX + trouble
