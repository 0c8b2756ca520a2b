"""Metrics for the held-out NLU evaluation (pure functions; scripts/evaluate_nlu.py does the I/O)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, List, Sequence, Set, Tuple

FALLBACK_INTENT = "nlu_fallback"


@dataclass(frozen=True)
class Scores:
    examples: int
    accuracy: float
    macro_f1: float
    entity_f1: float


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Unweighted mean of per-label F1 over every label seen in gold or predictions."""
    labels = set(gold) | set(predicted)
    if not labels:
        return 0.0
    total = 0.0
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        total += 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return total / len(labels)


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted)) / len(gold) if gold else 0.0


def entity_micro_f1(gold: Iterable[Set[Tuple[str, str]]], predicted: Iterable[Set[Tuple[str, str]]]) -> float:
    """Exact (entity, value) matches per message, micro-averaged; 1.0 when neither side has entities."""
    tp = fp = fn = 0
    for g, p in zip(gold, predicted):
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
    if tp + fp + fn == 0:
        return 1.0
    return 2 * tp / (2 * tp + fp + fn)


def scores(gold, predicted, gold_entities, predicted_entities) -> Scores:
    return Scores(
        examples=len(gold),
        accuracy=accuracy(gold, predicted),
        macro_f1=macro_f1(gold, predicted),
        entity_f1=entity_micro_f1(gold_entities, predicted_entities),
    )


def top_confusions(gold: Sequence[str], predicted: Sequence[str], limit: int = 10) -> List[Tuple[str, str, int]]:
    counts = Counter((g, p) for g, p in zip(gold, predicted) if g != p)
    return [(g, p, n) for (g, p), n in counts.most_common(limit)]
