"""What one message says, read from the lexicon's matches: pure, no conversation context.

The evidence for a segment adds up: a segment's own name weighs most (10), then the cue groups of
data/knowledge/cues.yml with their weights (the facets that exist for one segment only among them), an
occupation's usual segment (2), a country someone works in (abroad: PMI), a PMI stage; employer words
denied ("nggak ada bos") count for working alone, staff counted or owned ("karyawan 4 orang") for employing. The conversation's
context (the segment of the previous question) is added by the actions, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

from tanya import segments as S
from tanya.understanding import lexicon as lx
from tanya.understanding.matcher import Match, find_matches

ALIAS_WEIGHT = 10
OCCUPATION_WEIGHT = 2
ABROAD_WEIGHT = 5
STAGE_WEIGHT = 2
# Employer words denied ("nggak ada bos", "I have no employees") say the person works alone; words for
# staff counted or owned ("karyawan 4 orang", "my workers") say the person employs others.
EMPLOYER_SEGMENT, WORKS_ALONE_SEGMENT = S.EMPLOYED_BY_SOMEONE, S.WORKS_ALONE
STAFF_WINDOW = 2
WORKS_ALONE_WEIGHT = 4
EMPLOYS_WEIGHT = 4
# Evidence for PU that also describes a construction project's owner (a company).
JAKON_EMPLOYER_BASES = frozenset({"employer_side", "occupation"})
CONSTRUCTION_BASIS = "construction"
# Facets that ask something (as opposed to acts such as thanks).
QUESTION_FACETS = frozenset(
    {
        "documents", "requirements", "channels", "online", "offline", "kind_bank", "kind_payment_point",
        "kind_association", "kind_app", "kind_oss", "kind_ptsp", "kind_portal", "kind_placement", "age",
        "foreign_worker", "workers_data", "prerequisite", "jakarta", "branch", "definition", "segments_list",
        "which_segment", "how", "eligible", "perisai_office", "bank_account", "education", "device", "doc_company",
        "doc_contract", "contact", "who_registers",
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
    # Everyday stage words with no PMI evidence beside them: kept for a PMI conversation's follow-up only.
    weak_stages: Tuple[str, ...] = ()
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
        """Anything about registration beyond greetings and politeness ("and after I come back?" follows up
        a PMI answer with an everyday stage word)."""
        return bool(
            self.asks_something
            or self.segment_scores
            or self.occupations
            or self.countries
            or self.stages
            or self.weak_stages
            or self.anchors & {"bpjs", "register"}
        )

    def act(self, name: str) -> int:
        return self.acts.get(name, 0)


def _country_relation(previous: Optional[Match], demonym: bool, labels_in_message: FrozenSet,
                      before: Optional[Match] = None) -> str:
    if demonym:
        return "foreign"
    if previous is not None and (lx.RELATION, "from_country") in previous.labels and before is not None \
            and {kind for kind, _ in before.labels} & {lx.STAGE, lx.WEAK_STAGE}:
        return "abroad"  # "baru pulang DARI Taiwan": coming home from work there
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


def _counted(tokens: Sequence[str], lexicon: lx.Lexicon) -> FrozenSet[int]:
    """Indexes (in the words without numbers) of the words a count stands before ("4 karyawan", "lima
    karyawan") or after, when a people unit follows ("karyawan 4 orang"); "karyawan 2 tahun" counts nothing."""
    marked, last_word = set(), -1
    for position, token in enumerate(tokens):
        number = token.isdigit()
        if not number:
            last_word += 1
        if not (number or token in lexicon.markers.counts):
            continue
        marked.add(last_word + 1)  # the word right after the count
        if position + 1 < len(tokens) and tokens[position + 1] in lexicon.markers.people_units:
            marked.add(last_word if number else last_word - 1)  # the word right before it
    return frozenset(marked)


def _denied(words: Sequence[str], start: int, lexicon: lx.Lexicon) -> bool:
    """A negation right before the cue, or before a word of having: "tanpa bos", "nggak punya karyawan",
    "have no employees". Farther away it denies something else ("gak tau, perusahaan saya ...")."""
    before = [word for word in words[max(0, start - 4) : start] if word not in lexicon.markers.fillers][-2:]
    if before and before[-1] in lexicon.markers.negations:
        return True
    return len(before) == 2 and before[0] in lexicon.markers.negations and before[1] in lexicon.markers.owners_before


def _employs(words: Sequence[str], match: Match, counted: FrozenSet[int], lexicon: lx.Lexicon) -> bool:
    """The staff word is counted or owned: "lima karyawan", "karyawan saya", "our workers", "12 orang"."""
    before = words[max(0, match.start - STAFF_WINDOW) : match.start]
    after = words[match.end : match.end + 1]
    return (
        bool(set(range(match.start, match.end)) & counted)
        or any(word in lexicon.markers.owners_before for word in before)
        or bool(after) and after[0] in lexicon.markers.owners_after
    )


DENIED, EMPLOYED = "denied", "employed"


def _staff_role(words: Sequence[str], match: Match, labels, counted: FrozenSet[int], lexicon: lx.Lexicon) -> Optional[str]:
    """What a word for staff (or a counted occupation) says: DENIED ("tanpa karyawan": works alone), EMPLOYED
    (counted or owned: someone employs them), or None (a word about the writer: "saya karyawan")."""
    kinds = {kind for kind, _ in labels}
    if lx.STAFF in kinds:
        if _denied(words, match.start, lexicon):
            return DENIED
        return EMPLOYED if _employs(words, match, counted, lexicon) else None
    if lx.OCCUPATION in kinds and set(range(match.start, match.end)) & counted:
        return EMPLOYED  # "twelve carvers", "8 juru masak"
    return None


def _counted_workers(words: Sequence[str], matches: Sequence[Match], counted: FrozenSet[int], lexicon: lx.Lexicon) -> bool:
    """A counted word no list knows, shaped like a word for workers: "6 carpenters", "lima penjahit"."""
    markers = lexicon.markers
    known = {index for match in matches for index in range(match.start, match.end)}
    return any(index < len(words) and _worker_shaped(words[index], markers) for index in sorted(counted - known))


def _worker_shaped(word: str, markers: lx.WordMarkers) -> bool:
    """"carpenters", "penjahit": shaped like a word for workers (markers.yml), and no known exception."""
    if word in markers.not_workers:
        return False
    return (any(word.endswith(end) and len(word) > len(end) + 2 for end in markers.worker_endings)
            or any(word.startswith(start) and len(word) > len(start) + 2 for start in markers.worker_beginnings))


def _asks_workers_data(words: Sequence[str], labels: FrozenSet, lexicon: lx.Lexicon) -> bool:
    """A word for data beside workers: "what info about the carpenters do you need?", "data para penjahit"."""
    markers = lexicon.markers
    if not set(words) & markers.data_words:
        return False
    return any(kind == lx.STAFF for kind, _ in labels) or any(
        word not in markers.data_words
        and (_worker_shaped(word, markers) or any(kind == lx.STAFF for kind, _ in lexicon.phrases.get((word,), ())))
        for word in words
    )


def _asks_status(words: Sequence[str], matches: Sequence[Match], lexicon: lx.Lexicon) -> bool:
    """"status" with a lookup word, or within two words of a registration word: a pre-registration's status
    ("can I check its status?", "my application status"); not "legal status" or "status kerja"."""
    markers = lexicon.markers
    registration = {index for match in matches if (lx.ANCHOR, "register") in match.labels
                    for index in range(match.start, match.end)}
    for index, word in enumerate(words):
        if word not in markers.statuses:
            continue
        around = words[max(0, index - 1) : index + 2]
        if set(around) & markers.status_attributes:
            continue
        if set(words) & markers.lookups or any(abs(index - other) <= 2 for other in registration):
            return True
    return False


def is_construction(reading: "Reading") -> bool:
    """The reading speaks of a construction project (evidence for Jakon)."""
    return CONSTRUCTION_BASIS in reading.segment_bases.get("jakon", ())


def is_employer_talk(reading: "Reading") -> bool:
    """All of the reading's PU evidence would describe a construction project's owner too."""
    names = set(reading.segment_bases.get("pu", ()))
    return bool(names) and names <= JAKON_EMPLOYER_BASES | {"alias"}


def read(text: str, lexicon: lx.Lexicon) -> Reading:
    tokens = lexicon.tokens(text)
    words = [token for token in tokens if not token.isdigit()]  # "punya 6 karyawan" is "punya karyawan"
    counted = _counted(tokens, lexicon)
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
    weak_stages: List[str] = []
    previous: Optional[Match] = None
    before_previous: Optional[Match] = None
    for match in matches:
        # "Qatar" is a country and, through "Qatari", a demonym: the country reading wins.
        labels = match.labels - {(lx.DEMONYM, key) for kind, key in match.labels if kind == lx.COUNTRY}
        if (lx.FACET, "duration") in labels:
            # "berapa bulan minimal TKA bekerja?" asks a length of time, not "berapa per bulan" (an amount)
            labels = labels - {(kind, key) for kind, key in labels if kind == lx.OUTSIDE_TOPIC}
        # "diperpanjang" and "perpanjangan" share one base word: the everyday reading of a stage wins
        labels = labels - {(lx.STAGE, key) for kind, key in labels if kind == lx.WEAK_STAGE}
        staff = _staff_role(words, match, labels, counted, lexicon)
        if staff:
            # "six cooks", "no employees", "twelve carvers": the word is about other people, not the person's
            # own occupation
            labels = frozenset(label for label in labels if label[0] not in (lx.OCCUPATION, lx.STAFF))
        for kind, key in sorted(labels):
            if kind == lx.SEGMENT_ALIAS:
                explicit.add(key)
                add(key, ALIAS_WEIGHT, "alias")
            elif kind == lx.SEGMENT_CUE:
                info = lexicon.cues[key]
                if info.segment == EMPLOYER_SEGMENT and _denied(words, match.start, lexicon):
                    add(WORKS_ALONE_SEGMENT, WORKS_ALONE_WEIGHT, "self_employed")  # "kagak ada bosnye"
                else:
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
                relation = _country_relation(previous, kind == lx.DEMONYM, all_labels, before_previous)
                countries.append(CountryMention(key, relation))
                if relation == "abroad":
                    add("pmi", ABROAD_WEIGHT, "abroad")
                else:
                    facets.add("foreign_worker")
            elif kind == lx.STAGE and key not in stages:
                stages.append(key)
                add("pmi", STAGE_WEIGHT, "stage")
            elif kind == lx.WEAK_STAGE and key not in weak_stages:
                weak_stages.append(key)
            elif kind == lx.OUTSIDE_TOPIC and key not in outside:
                outside.append(key)
        if staff == DENIED:
            add(WORKS_ALONE_SEGMENT, WORKS_ALONE_WEIGHT, "self_employed")  # "ndak ado karyawan"
        elif staff == EMPLOYED:
            add(EMPLOYER_SEGMENT, EMPLOYS_WEIGHT, "employer_side")  # "anak buah aye ada lima"
        before_previous, previous = previous, match
    if _asks_workers_data(words, all_labels, lexicon):
        facets.add("workers_data")
    if _counted_workers(words, matches, counted, lexicon):
        add(EMPLOYER_SEGMENT, EMPLOYS_WEIGHT, "employer_side")  # "a workshop with 6 carpenters"
    if weak_stages and scores.get("pmi"):
        # "while working in Taiwan", "extend my contract in Korea": abroad, so the everyday word names the stage
        for key in weak_stages:
            if key not in stages:
                stages.append(key)
                add("pmi", STAGE_WEIGHT, "stage")
        weak_stages = []
    for facet in sorted(facets):
        info = lexicon.cues.get(facet)
        if info is not None and info.segment:  # data/knowledge/cues.yml: a facet only one segment has
            add(info.segment, info.weight, facet)
    if CONSTRUCTION_BASIS in [basis for _, basis in bases.get("jakon", [])]:
        # A construction project is registered by a company: employer talk points to Jakon then.
        employer = [(weight, basis) for weight, basis in bases.get("pu", []) if basis in JAKON_EMPLOYER_BASES]
        for weight, basis in employer:
            add("jakon", weight, basis)
        if "pu" in explicit:
            add("jakon", ALIAS_WEIGHT, "pu_prerequisite")  # "not registered as PU yet": Jakon's prerequisite
    if "perisai_office" in facets:
        explicit.add("perisai")
    if _asks_status(words, matches, lexicon):
        acts["status_check"] = acts.get("status_check", 0) + lexicon.cues["status_check"].weight
        acts["status_named"] = 1  # the word "status" itself: a status check even beside another question
    if acts.get("register_now") or acts.get("register_help"):
        anchors.add("register")  # "ingin didaftarkan": the request's phrase holds the registration word
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
        weak_stages=tuple(weak_stages),
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
