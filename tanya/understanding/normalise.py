"""Chat text -> canonical tokens, so that one written form of a cue matches the ways people type it.

In order: Unicode and case folding; tokens of letters and digits ("e-KTP" -> "e", "ktp"; a trailing
reduplication "2" dropped: "tukang2" -> "tukang"); chat spellings expanded from data/language/slang.yml
("gmn" -> "gimana"); then each token is mapped to a word of the vocabulary (every word the knowledge
cues use) when one of these finds it, first hit wins:
1. the token itself;
2. for a known word, its lemma from spaCy's lookup tables (spacy-lookups-data: "mendaftar" ->
   "daftar", "registering" -> "register"); a known word is otherwise left alone;
3. for any other token: Indonesian affixes and clitics taken off ("didaftarinnya" -> "daftar",
   "dokumennya" -> "dokumen"), else the closest vocabulary word by edit similarity (rapidfuzz;
   "dokumn" -> "dokumen", "employr" -> "employer"), else the vocabulary word whose consonants it spells
   ("dftr" -> "daftar", "brkas" -> "berkas").
A word is reduced to the shortest vocabulary root its affixes allow, in the cues as in the messages,
so "didaftarin", "mendaftarkan" and "pendaftaran" all match a cue written "daftar"; the words of
`keep_forms` (slang.yml) are never reduced, because their root means something else. A token nothing
maps stays as it is. Only vocabulary words are ever produced, so a correction can only make a message
match a cue, never invent a new word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, List, Mapping, Optional, Tuple

_PUNCTUATION = re.compile(r"[^\w\s]")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CASED_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
_SENTENCE_END = re.compile(r"[.!?]\s*$")
_REDUPLICATION = re.compile(r"^([a-z]{3,})2$")
_VOWELS = frozenset("aeiou")
CLITICS = ("nya", "ny", "lah", "kah", "pun", "ku", "mu")  # "ny": chat spelling of -nya ("brkasny", "linkny")
SUFFIXES = ("kan", "an", "in", "i")
# Prefix -> what the root starts with after it (Indonesian nasal assimilation: "menulis" <- "tulis").
PREFIXES: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("memper", ("",)),
    ("diper", ("",)),
    ("meng", ("", "k")),
    ("meny", ("s",)),
    ("mem", ("", "p")),
    ("men", ("", "t")),
    ("me", ("",)),
    ("peng", ("", "k")),
    ("peny", ("s",)),
    ("pem", ("", "p")),
    ("pen", ("", "t")),
    ("per", ("",)),
    ("pe", ("",)),
    ("ber", ("",)),
    ("be", ("",)),
    ("ter", ("",)),
    ("di", ("",)),
    ("ke", ("",)),
    ("se", ("",)),
)
MIN_ROOT = 4
MIN_CLITIC_ROOT = 3  # "maunya" -> "mau", "apanya" -> "apa"


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    return text.replace("\u2019", "'").replace("`", "'")


def plain_words(text: Optional[str]) -> str:
    """Folded, punctuation as spaces, single-spaced: 'Laki-laki!' -> 'laki laki', "I don't" -> 'i don t'.

    How form answers, form commands and the word lists they are compared with (answer words, cancel
    phrases, field and edit words, stage names) are read: one reading for both sides, so a list entry
    matches however the user punctuates it. No slang, affixes or typo-correction: an answer is taken as typed.
    """
    return " ".join(_PUNCTUATION.sub(" ", fold(text or "")).split())


def raw_tokens(text: str) -> List[str]:
    tokens = []
    for token in _TOKEN.findall(fold(text)):
        match = _REDUPLICATION.match(token)
        tokens.append(match.group(1) if match else token)
    return tokens


def protected_tokens(text: str) -> FrozenSet[str]:
    """Words written as names ("Karawang" mid-sentence) or acronyms ("KPR"): never typo-corrected, since
    a place name one letter off a cue word ("Karawang" ~ "karyawan") is not a typo of it."""
    folded = unicodedata.normalize("NFKC", text or "")
    protected = set()
    for match in _CASED_TOKEN.finditer(folded):
        word = match.group(0)
        sentence_start = _SENTENCE_END.search(folded[: match.start()]) is not None or not folded[: match.start()].strip()
        if (word[:1].isupper() and not sentence_start) or (len(word) >= 2 and word.isupper() and word.isalpha()):
            protected.add(word.lower())
    return frozenset(protected)


def expand_slang(tokens: Iterable[str], slang: Mapping[str, str]) -> List[str]:
    expanded: List[str] = []
    for token in tokens:
        expanded += slang.get(token, token).split()
    return expanded


def affix_candidates(word: str) -> List[str]:
    """The word and its possible roots, most specific (longest) first."""
    found = {word}
    stage = {word}
    for clitic in CLITICS:
        if word.endswith(clitic) and len(word) - len(clitic) >= MIN_CLITIC_ROOT:
            stage.add(word[: -len(clitic)])
    found |= stage
    suffixed = set(stage)
    for base in stage:
        for suffix in SUFFIXES:
            if base.endswith(suffix) and len(base) - len(suffix) >= MIN_ROOT:
                suffixed.add(base[: -len(suffix)])
    found |= suffixed
    frontier = suffixed
    for _ in range(2):  # up to two prefixes: "di-per-panjang", "ke-ber-angkat-an"
        next_frontier = set()
        for base in frontier:
            for prefix, restores in PREFIXES:
                if base.startswith(prefix) and len(base) - len(prefix) >= MIN_ROOT:
                    rest = base[len(prefix) :]
                    for restore in restores:
                        if restore and rest[0] not in _VOWELS:
                            continue  # the nasal replaced a consonant only before a vowel
                        next_frontier.add(restore + rest)
        found |= next_frontier
        frontier = next_frontier
    return sorted(found, key=lambda candidate: (-len(candidate), candidate))


def skeleton(word: str) -> str:
    """Consonants only, repeats collapsed: "daftar" -> "dftr"."""
    out = []
    for ch in word:
        if ch in _VOWELS:
            continue
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(ch in letters for ch in short)


@dataclass(frozen=True)
class Vocabulary:
    words: FrozenSet[str]
    known: FrozenSet[str]  # real words of either language: never "corrected"
    lemmas: Mapping[str, str]  # known inflected form -> lemma (Indonesian and English tables)
    by_skeleton: Mapping[str, Tuple[str, ...]]
    keep: FrozenSet[str] = frozenset()

    @classmethod
    def build(cls, words: Iterable[str], lemmas: Mapping[str, str], keep: Iterable[str] = ()) -> "Vocabulary":
        words = frozenset(word for word in words if word)
        index: Dict[str, List[str]] = {}
        for word in words:
            if len(word) >= 4 and word.isalpha():
                index.setdefault(skeleton(word), []).append(word)
        return cls(
            words=words,
            known=frozenset(lemmas) | frozenset(lemmas.values()) | words,
            lemmas=lemmas,
            by_skeleton={key: tuple(sorted(value, key=len)) for key, value in index.items()},
            keep=frozenset(keep),
        )


def fuzzy_cutoff(length: int) -> Optional[float]:
    """The similarity a correction needs: short tokens need a closer match; 3 letters or less: none."""
    if length <= 3:
        return None
    return 88.0 if length <= 6 else 85.0


class Canonicaliser:
    """Maps tokens to vocabulary words (see the module docstring); results are cached per token."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._choices = sorted(vocabulary.words)
        self.canonical = lru_cache(maxsize=50_000)(self._canonical)
        self.exact = lru_cache(maxsize=50_000)(lambda token: self._canonical(token, fuzzy=False))

    def _canonical(self, token: str, fuzzy: bool = True) -> str:
        vocab = self.vocabulary
        if token in vocab.keep or not token.isalpha():
            return token
        candidates = affix_candidates(token)
        kept = [candidate for candidate in candidates if candidate in vocab.keep]
        if kept:  # "perusahaannya" is "perusahaan", not "usaha"
            return kept[0]
        roots = [candidate for candidate in candidates if candidate in vocab.words]
        for lemma in (vocab.lemmas.get(token),):
            if lemma in vocab.words:
                roots.append(lemma)
        if roots:
            return self._reduced(min(roots, key=lambda root: (len(root), root)))
        if token in vocab.known or not fuzzy:
            return token
        closest = self._closest(token)
        return self.canonical(closest) if closest else token

    def _reduced(self, root: str) -> str:
        # A root found by stripping may itself be a kept form or reduce further only through the table.
        lemma = self.vocabulary.lemmas.get(root)
        if root not in self.vocabulary.keep and lemma in self.vocabulary.words and len(lemma) < len(root):
            return lemma
        return root

    def _closest(self, token: str) -> Optional[str]:
        from rapidfuzz import fuzz, process

        cutoff = fuzzy_cutoff(len(token))
        if cutoff is not None:
            # Typos keep the first letter (people misspell, they rarely start a word wrong).
            candidates = [w for w in self._choices if w[:1] == token[:1] and abs(len(w) - len(token)) <= 2]
            best = process.extractOne(token, candidates, scorer=fuzz.ratio, score_cutoff=cutoff)
            if best:
                return best[0]
        if len(token) >= 4 and sum(ch in _VOWELS for ch in token) <= 1:
            for word in self.vocabulary.by_skeleton.get(skeleton(token), ()):
                if _is_subsequence(token, word):
                    return word
        return None

    def tokens(self, text: str, slang: Mapping[str, str]) -> List[str]:
        protected = protected_tokens(text)
        return [
            self.exact(token) if token in protected else self.canonical(token)
            for token in expand_slang(raw_tokens(text), slang)
        ]
