"""What one message says, read from the lexicon's matches: pure, no conversation context.

The evidence for a segment adds up: a segment's own name weighs most (10), then the cue groups of
data/knowledge/cues.yml with their weights, an occupation's usual segment (2), a country someone works
in (abroad: PMI), a PMI stage, and the few facets that exist for one segment only. The conversation's
context (the segment of the previous question) is added by the actions, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

from tanya.understanding import lexicon as lx
from tanya.understanding.matcher import Match, find_matches

ALIAS_WEIGHT = 10
OCCUPATION_WEIGHT = 2
ABROAD_WEIGHT = 5
STAGE_WEIGHT = 2
# Facets that exist for one segment only on the registration page, and how much they point there.
FACET_SEGMENTS: Mapping[str, Tuple[str, int]] = {
    "perisai_office": ("perisai", ALIAS_WEIGHT),
    "workers_data": ("pu", 1),
    "foreign_worker": ("pu", 2),
    "kind_oss": ("pu", 2),
    "kind_ptsp": ("pu", 2),
    "kind_portal": ("pu", 2),
    "kind_payment_point": ("bpu", 1),
    "kind_association": ("bpu", 1),
    "kind_placement": ("pmi", 2),
    "age": ("bpu", 1),
    "jakarta": ("jakon", 1),
    "doc_company": ("pu", 3),
    "doc_contract": ("pmi", 2),
}
# Evidence for PU that also describes a construction project's owner (a company).
JAKON_EMPLOYER_BASES = frozenset({"employer_side", "occupation"})
# Facets that ask something (as opposed to acts such as thanks).
QUESTION_FACETS = frozenset(
    {
        "documents", "requirements", "channels", "online", "offline", "kind_bank", "kind_payment_point",
        "kind_association", "kind_app", "kind_oss", "kind_ptsp", "kind_portal", "kind_placement", "age",
        "foreign_worker", "workers_data", "prerequisite", "jakarta", "branch", "definition", "segments_list",
        "which_segment", "how", "eligible", "perisai_office", "bank_account", "education", "device", "doc_company",
        "doc_contract",
    }
)
# Facets made of everyday words ("how", "where", "what is", "can I", "online"): without anything else
# about registration they do not make a message a registration question.
GENERIC_FACETS = frozenset({"how", "channels", "definition", "eligible", "online", "offline", "branch"})
MIN_AGE, MAX_AGE = 15, 120


@dataclass(frozen=True)
class CountryMention:
    key: str
    relation: str  # "abroad": works or will work there; "foreign": comes from there


@dataclass(frozen=True)
class Reading:
    tokens: Tuple[str, ...]
    words: Tuple[str, ...] = ()  # the tokens without numbers: what the matches' positions index
    matches: Tuple[Match, ...] = ()
    segment_scores: Mapping[str, int] = field(default_factory=dict)
    segment_bases: Mapping[str, Tuple[str, ...]] = field(default_factory=dict)  # strongest first
    explicit_segments: FrozenSet[str] = frozenset()
    facets: FrozenSet[str] = frozenset()
    acts: Mapping[str, int] = field(default_factory=dict)
    anchors: FrozenSet[str] = frozenset()
    occupations: Tuple[str, ...] = ()
    occupation_segments: Mapping[str, Optional[str]] = field(default_factory=dict)  # the knowledge's segment of each
    countries: Tuple[CountryMention, ...] = ()
    stages: Tuple[str, ...] = ()
    outside_topics: Tuple[str, ...] = ()
    outside_about_registration: bool = False  # one of them is about registration itself (its fee, its duration)
    age: Optional[int] = None
    question: bool = False
    wh: bool = False  # asks for information ("apa", "how"), not only yes/no ("bisa dibantu daftar?")

    # -- summaries the resolver and the actions use --------------------------------------------------
    def ranked_segments(self) -> List[Tuple[str, int]]:
        return sorted(self.segment_scores.items(), key=lambda item: (-item[1], item[0]))

    def best_segment(self, minimum: int = 2) -> Optional[str]:
        """The segment the message points to, when one clearly leads."""
        ranked = self.ranked_segments()
        if not ranked or ranked[0][1] < minimum:
            return None
        if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
            return None
        return ranked[0][0]

    def second_segment(self, minimum: int = 3) -> Optional[str]:
        """Another segment with strong evidence of its own ("my husband is an employee, I sell cakes")."""
        ranked = self.ranked_segments()
        if len(ranked) > 1 and ranked[1][1] >= minimum and ranked[0][1] < ALIAS_WEIGHT:
            return ranked[1][0]
        return None

    @property
    def asks_something(self) -> bool:
        return bool(self.facets & QUESTION_FACETS)

    @property
    def anchored(self) -> bool:
        """The message itself is about registration (not only everyday question words)."""
        return bool(
            (self.facets & QUESTION_FACETS) - GENERIC_FACETS
            or self.segment_scores
            or self.occupations
            or self.countries
            or self.stages
            or self.anchors & {"bpjs", "register"}
        )

    @property
    def informative(self) -> bool:
        """Anything about registration beyond greetings and politeness."""
        return bool(
            self.asks_something
            or self.segment_scores
            or self.occupations
            or self.countries
            or self.stages
            or self.anchors & {"bpjs", "register"}
        )

    def act(self, name: str) -> int:
        return self.acts.get(name, 0)


def _country_relation(previous: Optional[Match], demonym: bool, labels_in_message: FrozenSet) -> str:
    if demonym:
        return "foreign"
    if previous is not None:
        if (lx.RELATION, "from_country") in previous.labels or (lx.FACET, "foreign_worker") in previous.labels:
            return "foreign"
        if (lx.RELATION, "in_country") in previous.labels or (lx.SEGMENT_CUE, "abroad") in previous.labels:
            return "abroad"
    employer_talk = {(lx.SEGMENT_CUE, "employer_side"), (lx.FACET, "foreign_worker")}
    return "foreign" if labels_in_message & employer_talk else "abroad"


def _age(tokens: Sequence[str], cues: lx.AgeCues) -> Optional[int]:
    """The age a message states ("umur 58", "I'm 65", "58 tahun"), if any."""
    for index, token in enumerate(tokens):
        if not token.isdigit() or not MIN_AGE <= int(token) <= MAX_AGE:
            continue
        before = tokens[max(0, index - 3) : index]
        after = tokens[index + 1 : index + 3]
        right_before = {tuple(tokens[max(0, index - n) : index]) for n in (1, 2)}
        if any(word in cues.before for word in before) or right_before & cues.self_before:
            return int(token)
        if any(word in cues.words_after for word in after):
            return int(token)
        if after and after[0] in cues.units_after and not any(word in cues.duration for word in before):
            return int(token)
    return None


def read(text: str, lexicon: lx.Lexicon) -> Reading:
    tokens = lexicon.tokens(text)
    words = [token for token in tokens if not token.isdigit()]  # "punya 6 karyawan" is "punya karyawan"
    matches = find_matches(words, lexicon)
    scores: Dict[str, int] = {}
    bases: Dict[str, List[Tuple[int, str]]] = {}

    def add(segment: Optional[str], weight: int, basis: str) -> None:
        if segment:
            scores[segment] = scores.get(segment, 0) + weight
            bases.setdefault(segment, []).append((weight, basis))

    all_labels = frozenset(label for match in matches for label in match.labels)
    facets, anchors, acts = set(), set(), {}
    occupations, countries, stages, outside, explicit = [], [], [], [], set()
    previous: Optional[Match] = None
    for match in matches:
        # "Qatar" is a country and, through "Qatari", a demonym: the country reading wins.
        labels = match.labels - {(lx.DEMONYM, key) for kind, key in match.labels if kind == lx.COUNTRY}
        for kind, key in sorted(labels):
            if kind == lx.SEGMENT_ALIAS:
                explicit.add(key)
                add(key, ALIAS_WEIGHT, "alias")
            elif kind == lx.SEGMENT_CUE:
                info = lexicon.cues[key]
                add(info.segment, info.weight, key)
            elif kind == lx.FACET:
                facets.add(key)
            elif kind == lx.ANCHOR:
                anchors.add(key)
            elif kind == lx.ACT:
                acts[key] = acts.get(key, 0) + lexicon.cues[key].weight
            elif kind == lx.OCCUPATION and key not in occupations:
                occupations.append(key)
                add(lexicon.occupation_segments.get(key), OCCUPATION_WEIGHT, "occupation")
            elif kind in (lx.COUNTRY, lx.DEMONYM) and key not in [c.key for c in countries]:
                relation = _country_relation(previous, kind == lx.DEMONYM, all_labels)
                countries.append(CountryMention(key, relation))
                if relation == "abroad":
                    add("pmi", ABROAD_WEIGHT, "abroad")
                else:
                    facets.add("foreign_worker")
            elif kind == lx.STAGE and key not in stages:
                stages.append(key)
                add("pmi", STAGE_WEIGHT, "stage")
            elif kind == lx.OUTSIDE_TOPIC and key not in outside:
                outside.append(key)
        previous = match
    for facet in facets:
        if facet in FACET_SEGMENTS:
            segment, weight = FACET_SEGMENTS[facet]
            add(segment, weight, facet)
    if "construction" in [basis for _, basis in bases.get("jakon", [])]:
        # A construction project is registered by a company: employer talk points to Jakon then.
        employer = [(weight, basis) for weight, basis in bases.get("pu", []) if basis in JAKON_EMPLOYER_BASES]
        for weight, basis in employer:
            add("jakon", weight, basis)
        if "pu" in explicit:
            add("jakon", ALIAS_WEIGHT, "pu_prerequisite")  # "not registered as PU yet": Jakon's prerequisite
    if "perisai_office" in facets:
        explicit.add("perisai")
    question = "?" in (text or "") or any(token in lexicon.question_words for token in tokens)
    age = _age(tokens, lexicon.age)
    if age is not None and "eligible" in facets:
        facets.add("age")  # "I'm 65, can I still join?": whether that age may register
    return Reading(
        tokens=tuple(tokens),
        words=tuple(words),
        matches=tuple(matches),
        segment_scores=scores,
        # Strongest evidence first: an employer's own words outweigh the occupation word "staf".
        segment_bases={
            segment: tuple(basis for _, basis in sorted(values, key=lambda item: -item[0]))
            for segment, values in bases.items()
        },
        explicit_segments=frozenset(explicit),
        facets=frozenset(facets),
        acts=acts,
        anchors=frozenset(anchors),
        occupations=tuple(occupations),
        occupation_segments={o: lexicon.occupation_segments.get(o) for o in occupations},
        countries=tuple(countries),
        stages=tuple(stages),
        outside_topics=tuple(outside),
        outside_about_registration=bool(set(outside) & lexicon.registration_outside_topics),
        age=age,
        question=question,
        wh=any(token in lexicon.wh_words for token in tokens),
    )


_NO_WORDS = re.compile(r"[\w]", re.UNICODE)


def has_words(text: str) -> bool:
    """False for emoji-only or punctuation-only messages."""
    return bool(_NO_WORDS.search(text or ""))
