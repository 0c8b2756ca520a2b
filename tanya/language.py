"""Detect whether a chat message is Indonesian ("id") or English ("en").

Chat messages are short, full of slang and code-mixed, which a statistical detector alone gets wrong,
and a word list alone cannot cover. Rules, in order:
1. an explicit request ("in English please", "pakai bahasa Indonesia") wins;
2. marker words (data/language/markers.yml): when one language has at least twice the other's, it wins;
3. otherwise the lingua model (Indonesian vs English) when it is confident;
4. otherwise more markers of one language, or a leaning model;
5. no evidence at all ("ok", "BPU", "👍") keeps the previous language.
`make eval` measures it on tests/nlu/language.yml (300 labelled messages).
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

# One language's markers must outnumber the other's this many times to decide alone.
MARKER_LEAD = 2
MODEL_CONFIDENT = 0.8
MODEL_LEANING = 0.55

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# Tokens with a digit (reference numbers "BPU-2026-EFKJQB", NIKs, dates) say nothing about the language,
# and their random letters sway the statistical model.
_CODE_TOKEN = re.compile(r"\S*\d\S*")


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


@dataclass(frozen=True)
class Detector:
    """Markers and a statistical model together: the markers are sure on chat slang ("gmn", "kak"),
    the model (lingua, which ships its models and runs offline) on everything else."""

    markers: LanguageMarkers
    model: object  # lingua.LanguageDetector for Indonesian and English

    def model_guess(self, text: str) -> Tuple[str, float]:
        from lingua import Language

        best = self.model.compute_language_confidence_values(text)[0]
        return ("id" if best.language == Language.INDONESIAN else "en"), best.value

    def evidence(self, text: str) -> Optional[str]:
        """The language `text` is written in, or None when it does not show ("ok", "BPU", "👍")."""
        if not text or text.startswith("/"):
            return None
        text = _CODE_TOKEN.sub(" ", text)
        if not _WORD.search(text.lower()):
            return None
        requested = explicit_switch(text, self.markers)
        if requested:
            return requested
        scores = marker_scores(text, self.markers)
        if len(_WORD.findall(text.lower())) < 2:  # "ok", "BPU": only a marker word shows the language
            if scores["id"] != scores["en"]:
                return "id" if scores["id"] > scores["en"] else "en"
            return None
        if scores["id"] >= MARKER_LEAD * max(scores["en"], 1):
            return "id"
        if scores["en"] >= MARKER_LEAD * max(scores["id"], 1):
            return "en"
        guess, confidence = self.model_guess(text)
        if confidence >= MODEL_CONFIDENT:
            return guess
        if scores["id"] != scores["en"]:
            return "id" if scores["id"] > scores["en"] else "en"
        return guess if confidence >= MODEL_LEANING else None

    def detect(self, text: str, previous: Optional[str] = None) -> str:
        """The language to answer `text` in; `previous` is kept when the message gives no evidence."""
        fallback = previous if previous in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
        return self.evidence(text) or fallback


@lru_cache(maxsize=1)
def load_detector() -> Detector:
    """The detector (the model loads in about a third of a second, once per process)."""
    from lingua import Language, LanguageDetectorBuilder

    model = LanguageDetectorBuilder.from_languages(Language.INDONESIAN, Language.ENGLISH).with_preloaded_language_models().build()
    return Detector(load_markers(), model)


def detect_language(text: str, previous: Optional[str] = None) -> str:
    """The language to answer `text` in; `previous` is kept when the message gives no evidence."""
    return load_detector().detect(text, previous)
