"""The NLU's data files, and how close the held-out set comes to the training set.

Used by scripts/evaluate_nlu.py (make eval) and by tests/unit/nlu (which fail on a near-copy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
TRAINING_DIR = ROOT / "data" / "nlu"
HELDOUT_DIR = ROOT / "tests" / "nlu"
_WORD = re.compile(r"[a-z0-9]+")
# A held-out example sharing this much of its words with a training example is a near-copy.
NEAR_COPY_JACCARD = 0.7


def training_examples(folder: Path = TRAINING_DIR) -> List[Tuple[str, str]]:
    """(intent, text) of every training example."""
    found = []
    for path in sorted(folder.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" in block:
                for line in str(block.get("examples") or "").splitlines():
                    line = line.strip()
                    if line.startswith("- "):
                        found.append((block["intent"], line[2:].strip()))
    return found


def understanding_examples(folder: Path = HELDOUT_DIR) -> List[dict]:
    """The held-out examples: the hand-labelled set and the labelled messages of writer B, who wrote none
    of the training data (held out by writer, not only by word overlap)."""
    examples = yaml.safe_load((folder / "understanding.yml").read_text(encoding="utf-8"))["examples"]
    return examples + labelled_examples(folder / "labelled")


def labelled_examples(folder: Path) -> List[dict]:
    """Labelled messages (tests/nlu/labelled/FORMAT.md) as held-out examples: text, intent, language, segment.
    A message that is already a training example word for word ("halo") measures nothing and is left out."""
    from labelled_to_nlu import intent_of

    trained = [words(text) for _, text in training_examples()]

    segment_of = {"pu": "pu", "pu_employer": "pu", "bpu": "bpu", "jakon": "jakon", "pmi": "pmi", "perisai": "perisai"}
    examples = []
    for path in sorted(folder.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("examples") or []:
            intent = intent_of(item)
            if not intent:
                continue
            example = {"t": " ".join(str(item["text"]).split()), "i": intent}
            if any(jaccard(words(example["t"]), other) >= NEAR_COPY_JACCARD for other in trained):
                continue
            if item.get("lang") in ("id", "en"):
                example["l"] = item["lang"]
            people = {segment_of.get(p.get("segment")) for p in item.get("people") or []}
            if len(people) == 1 and None not in people:
                example["s"] = people.pop()
            examples.append(example)
    return examples


def language_examples(folder: Path = HELDOUT_DIR) -> List[dict]:
    return yaml.safe_load((folder / "language.yml").read_text(encoding="utf-8"))["language_examples"]


def words(text: str) -> frozenset:
    return frozenset(_WORD.findall(text.lower()))


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


@dataclass(frozen=True)
class Overlap:
    score: float
    heldout: str
    training: str


def largest_overlaps(heldout: Iterable[str], training: Iterable[str], top: int = 5) -> List[Overlap]:
    """The held-out examples closest to a training example (word-set Jaccard), closest first."""
    training_words = [(text, words(text)) for text in training]
    overlaps = []
    for text in heldout:
        mine = words(text)
        score, closest = max(((jaccard(mine, theirs), other) for other, theirs in training_words), default=(0.0, ""))
        overlaps.append(Overlap(round(score, 3), text, closest))
    return sorted(overlaps, key=lambda overlap: -overlap.score)[:top]
