"""The words that answer a form question by themselves: yes/no, gender, skip (data/language/answer_words.yml).

Read on first use and cached (no work at import time); every entry is read with the same normaliser as
the user's message (tanya.understanding.normalise.plain_words), so the two sides always compare alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, FrozenSet, Mapping

import yaml

from tanya.understanding.normalise import plain_words

ANSWER_WORDS_PATH = Path(__file__).resolve().parents[2] / "data" / "language" / "answer_words.yml"
LANGUAGES = ("id", "en")
GENDERS = ("male", "female")


@dataclass(frozen=True)
class AnswerWords:
    yes: FrozenSet[str]
    no: FrozenSet[str]
    gender: Mapping[str, FrozenSet[str]]  # "male" / "female" -> its words
    skip: FrozenSet[str]
    # Words people add around an answer ("nggak ada KAK", "ya MAS"): dropped before reading it.
    address: FrozenSet[str] = frozenset()
    # "nggak tahu", "not sure": no answer, even though the first word is a "no".
    unsure: FrozenSet[str] = frozenset()
    statement_heads: FrozenSet[str] = frozenset()  # "ada yang mau saya ganti": no yes/no from its first word


def _words(entry: Any, where: str) -> FrozenSet[str]:
    """Both languages' words of one list, normalised. A word YAML read as something else (an unquoted
    `no` is a boolean) is refused by name rather than silently matching nothing."""
    if not isinstance(entry, Mapping) or set(entry) != set(LANGUAGES):
        raise ValueError(f"{where}: needs exactly the languages {LANGUAGES}")
    words = set()
    for language in LANGUAGES:
        for word in entry[language] or ():
            if not isinstance(word, str):
                raise ValueError(f"{where}.{language}: {word!r} is not text (quote it)")
            words.add(plain_words(word))
    return frozenset(words)


def parse_answer_words(raw: Mapping[str, Any]) -> AnswerWords:
    data = raw.get("answer_words") or {}
    gender = data.get("gender") or {}
    if set(gender) != set(GENDERS):
        raise ValueError(f"answer_words.gender: needs exactly {GENDERS}")
    words = AnswerWords(
        yes=_words(data.get("yes"), "answer_words.yes"),
        no=_words(data.get("no"), "answer_words.no"),
        gender={name: _words(gender[name], f"answer_words.gender.{name}") for name in GENDERS},
        skip=_words(data.get("skip"), "answer_words.skip"),
        address=_words(data["address"], "answer_words.address") if "address" in data else frozenset(),
        unsure=_words(data["unsure"], "answer_words.unsure") if "unsure" in data else frozenset(),
        statement_heads=(
            _words(data["statement_heads"], "answer_words.statement_heads") if "statement_heads" in data else frozenset()
        ),
    )
    # One word, one meaning: a word in both lists of a question would be read as whichever is checked first.
    for (first, second), common in (
        (("yes", "no"), words.yes & words.no),
        (GENDERS, words.gender["male"] & words.gender["female"]),
    ):
        if common:
            raise ValueError(f"answer_words: {sorted(common)} are in both {first} and {second}")
    return words


@lru_cache(maxsize=2)
def load(path: Path = ANSWER_WORDS_PATH) -> AnswerWords:
    return parse_answer_words(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
