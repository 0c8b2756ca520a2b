"""The questions the assistant could not answer (fallback turns), masked, normalised and grouped."""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Dict, Iterable, List, Sequence, Tuple

from rapidfuzz import fuzz, process

from tanya.analytics.sessions import SessionSummary
from tanya.privacy.masking import MASK, mask_text


def normalise(text: str) -> str:
    """Lower case, punctuation and symbols removed (the mask kept), whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = (" " if unicodedata.category(ch)[0] in "PS" and ch != MASK else ch for ch in text)
    return " ".join("".join(kept).split())


def fallback_questions(summaries: Sequence[SessionSummary]) -> List[Tuple[str, str]]:
    """(text, language) of every fallback turn, in order."""
    return [(turn.text, turn.language) for summary in summaries for turn in summary.turns if turn.fallback]


def top_unanswered(questions: Iterable[Tuple[str, str]], similarity: float, limit: int) -> List[Dict]:
    """Groups of identical normalised texts, near-duplicates (rapidfuzz ratio >= similarity) merged, most asked first.

    Each group shows its most asked normalised text, one masked example as a user wrote it, how many
    times it was asked, and in which languages.
    """
    groups: Dict[str, Dict] = {}
    for text, language in questions:
        masked = " ".join(mask_text(text).split())
        key = normalise(masked)
        if not key:
            continue
        group = groups.setdefault(key, {"example": masked, "count": 0, "languages": Counter()})
        group["count"] += 1
        group["languages"][language] += 1

    clusters: List[Dict] = []
    # The most asked variant founds its cluster; rarer variants join the most similar cluster.
    for key, group in sorted(groups.items(), key=lambda item: (-item[1]["count"], item[0])):
        match = process.extractOne(key, [cluster["text"] for cluster in clusters], scorer=fuzz.ratio, score_cutoff=similarity)
        if match is None:
            clusters.append({"text": key, "example": group["example"], "count": 0, "variants": 0, "languages": Counter()})
            cluster = clusters[-1]
        else:
            cluster = clusters[match[2]]
        cluster["count"] += group["count"]
        cluster["variants"] += 1
        cluster["languages"].update(group["languages"])

    clusters.sort(key=lambda cluster: (-cluster["count"], cluster["text"]))
    return [{**cluster, "languages": dict(sorted(cluster["languages"].items()))} for cluster in clusters[:limit]]
