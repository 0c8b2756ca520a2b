"""Find the lexicon's phrases in a message: longest match first, each token used once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import FrozenSet, List, Sequence

from tanya.understanding.lexicon import Label, Lexicon


@dataclass(frozen=True)
class Match:
    start: int
    end: int  # exclusive
    labels: FrozenSet[Label]

    def kinds(self, kind: str) -> List[str]:
        return sorted(key for label_kind, key in self.labels if label_kind == kind)


def find_matches(tokens: Sequence[str], lexicon: Lexicon) -> List[Match]:
    matches: List[Match] = []
    position = 0
    while position < len(tokens):
        for phrase in lexicon.by_first_token.get(tokens[position], ()):
            end = position + len(phrase)
            if tuple(tokens[position:end]) == phrase:
                matches.append(Match(position, end, lexicon.phrases[phrase]))
                position = end
                break
        else:
            position += 1
    return matches
