"""Detect whether a chat message is Indonesian ("id") or English ("en").

A lexicon vote rather than a statistical detector: chat messages are short, full of slang and
code-mixed, which general detectors get wrong. Rules, in order:
1. an explicit request ("in English please", "pakai bahasa Indonesia") wins;
2. otherwise count marker words of each language; one-sided evidence decides;
3. code-mixed messages count as Indonesian unless English clearly dominates;
4. no evidence at all ("ok", "BPU") keeps the previous language.
The word lists live in data/language/markers.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Pattern, Tuple

import yaml

SUPPORTED_LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
DEFAULT_MARKERS_PATH = Path(__file__).resolve().parent.parent / "data" / "language" / "markers.yml"

# English must outweigh Indonesian by this factor before a code-mixed message counts as English.
ENGLISH_DOMINANCE = 3

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class LanguageMarkers:
    words: dict  # language -> frozenset of marker words
    switch_patterns: Tuple[Tuple[str, Pattern], ...]  # (language, compiled regex)


@lru_cache(maxsize=4)
def load_markers(path: Path = DEFAULT_MARKERS_PATH) -> LanguageMarkers:
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)["language_markers"]
    words = {lang: frozenset(w.lower() for w in raw[lang]["words"]) for lang in SUPPORTED_LANGUAGES}
    overlap = words["id"] & words["en"]
    if overlap:
        raise ValueError(f"{path}: words listed for both languages: {sorted(overlap)}")
    patterns = tuple(
        (lang, re.compile(pattern))
        for lang in SUPPORTED_LANGUAGES
        for pattern in raw.get("switch_to", {}).get(lang, [])
    )
    return LanguageMarkers(words=words, switch_patterns=patterns)


def explicit_switch(text: str, markers: Optional[LanguageMarkers] = None) -> Optional[str]:
    """The language the user explicitly asks for, if any."""
    markers = markers or load_markers()
    lowered = (text or "").lower()
    for lang, pattern in markers.switch_patterns:
        if pattern.search(lowered):
            return lang
    return None


def marker_scores(text: str, markers: Optional[LanguageMarkers] = None) -> dict:
    markers = markers or load_markers()
    tokens = _WORD.findall((text or "").lower())
    return {lang: sum(token in markers.words[lang] for token in tokens) for lang in SUPPORTED_LANGUAGES}


def detect_language(text: str, previous: Optional[str] = None, markers: Optional[LanguageMarkers] = None) -> str:
    """The language to answer `text` in; `previous` is kept when the message gives no evidence."""
    markers = markers or load_markers()
    fallback = previous if previous in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
    if not text or text.startswith("/"):
        # Button payloads ("/ask_documents") carry no language of their own.
        return fallback
    requested = explicit_switch(text, markers)
    if requested:
        return requested
    scores = marker_scores(text, markers)
    if scores["id"] == 0 and scores["en"] == 0:
        return fallback
    if scores["en"] >= ENGLISH_DOMINANCE * scores["id"] and scores["en"] > 0:
        return "en"
    return "id"
