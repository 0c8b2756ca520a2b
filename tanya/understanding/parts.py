"""Who a message is about and what it asks about each of them: the parts of one message.

People write several questions in one message ("dokumennya apa dan daftarnya lewat mana?"), about more
than one person ("my uncle drives for a logistics firm and my aunt runs a warung"), and tell a story
before the question. The message is cut into clauses (sentences, numbered items, "dan"/"and"/"terus"
between them); each clause is read on its own (tanya.understanding.reading). Then:
- a clause that names another person ("bapak saya", "my cousin", data/knowledge/cues.yml kind: person)
  starts a subject of its own; a clause about the writer ("saya jualan...") after such a subject starts the
  writer's; any other clause (a pronoun, a bare question) continues the subject before it;
- the evidence of a subject's clauses adds up (tanya.understanding.reading's weights) to its segment;
- each clause asks the topics its facets name, in the order they are written (tanya.understanding.topics).
Pure: the lexicon in, the parts out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from tanya.understanding import lexicon as lx
from tanya.understanding import topics as T
from tanya.understanding.reading import ALIAS_WEIGHT, Reading, is_construction, is_employer_talk, read

# Where a message is cut: sentence ends, line breaks, semicolons, numbered items ("1)", "2.", "(3)"), and
# the words that join two questions or two people. Commas stay inside a clause: they join a story.
_CLAUSE_BREAK = re.compile(
    r"(?<=[?!.;])\s+|\n+|;\s*|,\s+|(?:^|\s)\(?\d{1,2}[).]\s+"
    r"|,?\s+\b(?:dan|terus|trus|trs|lalu|kemudian|serta|and|also|plus|then|as well as)\b\s+",
    re.IGNORECASE,
)
SELF = "self"
WRITER_WORDS = frozenset({"saya", "aku", "gue", "i", "me", "my", "mine", "kami", "we", "our", "us"})


@dataclass(frozen=True)
class Subject:
    """A person (or business) the message is about."""

    person: str = SELF  # a person cue key ("father", "husband"...), or SELF for the writer
    segment: Optional[str] = None
    basis: Optional[str] = None  # "alias", a cue key, "occupation", "abroad", "stage"...
    occupation: Optional[str] = None
    stage: Optional[str] = None
    age: Optional[int] = None
    explicit: bool = False  # the segment was named, not inferred
    scores: Tuple[Tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Ask:
    topic: str
    subject: int  # index into Parts.subjects
    facets: FrozenSet[str] = frozenset()


@dataclass(frozen=True)
class Parts:
    subjects: Tuple[Subject, ...] = ()
    asks: Tuple[Ask, ...] = ()

    @property
    def several(self) -> bool:
        """More than one question, or questions about more than one person."""
        return len(self.asks) > 1 or len({ask.subject for ask in self.asks}) > 1


def clauses(text: str) -> List[str]:
    return [part.strip(" ,.") for part in _CLAUSE_BREAK.split(text or "") if part and part.strip(" ,.?!")]


@dataclass
class _Building:
    person: str
    readings: List[Reading] = field(default_factory=list)

    def evidence(self) -> bool:
        return any(_has_evidence(r) for r in self.readings)


def _has_evidence(reading: Reading) -> bool:
    return bool(reading.segment_scores or reading.occupations or reading.stages or reading.countries)


def _person(reading: Reading, lexicon: lx.Lexicon) -> Tuple[Optional[str], bool]:
    """(who the clause is about: another person's phrase "father:bapak saya", SELF for the writer's own work,
    or None; whether the writer speaks of themselves at all)."""
    for match in reading.matches:
        people = match.kinds(lx.PERSON)
        if people and not (match.start and reading.words[match.start - 1] in lexicon.markers.person_objects):
            return f"{people[0]}:{' '.join(reading.words[match.start:match.end])}", False
    writer = bool(set(reading.tokens) & WRITER_WORDS)
    return (SELF if writer and _has_evidence(reading) else None), writer


def _options(reading: Reading) -> FrozenSet[str]:
    """Segments a which-segment question names as options ("PU atau BPU?", "does that make me a wage
    earner?"): their names are not evidence of the answer."""
    if not reading.facets & {"which_segment", "who_registers"}:
        return frozenset()
    return frozenset(s for s in reading.explicit_segments if "alias" in reading.segment_bases.get(s, ()))


def _subject(building: _Building) -> Subject:
    scores: Dict[str, int] = {}
    bases: Dict[str, List[Tuple[int, str]]] = {}
    explicit = set()
    occupation = stage = age = None
    for reading in building.readings:
        options = _options(reading)
        for segment, score in reading.segment_scores.items():
            score -= ALIAS_WEIGHT if segment in options else 0
            if score > 0:
                scores[segment] = scores.get(segment, 0) + score
        for segment, names in reading.segment_bases.items():
            bases.setdefault(segment, []).extend((reading.segment_scores.get(segment, 0), name) for name in names)
        explicit |= reading.explicit_segments - options
        occupation = occupation or (reading.occupations[0] if reading.occupations else None)
        stage = stage or (reading.stages[0] if reading.stages else None)
        age = age if age is not None else reading.age
    if any(is_construction(r) for r in building.readings):
        # A construction project is registered by a company: the employer talk of the other clauses points to
        # Jakon too ("Our company is registered. Now we have a bridge project...").
        for reading in building.readings:
            if is_employer_talk(reading) and not is_construction(reading):  # that clause already counted it
                scores["jakon"] = scores.get("jakon", 0) + reading.segment_scores.get("pu", 0)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    segment = None
    if ranked and ranked[0][1] >= 2 and not (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        segment = ranked[0][0]
    basis = None
    if segment:
        basis = "alias" if segment in explicit else (sorted(bases.get(segment, []), key=lambda item: -item[0]) or [(0, "cue")])[0][1]
    person = building.person.split(":", 1)[0]  # "father:bapak saya" -> the person cue's key
    return Subject(person, segment, basis, occupation, stage, age, segment in explicit, tuple(ranked))


def _asked_topics(reading: Reading, segment: Optional[str]) -> List[Tuple[int, str]]:
    """(position, topic) of every question this clause asks, in writing order."""
    facets = set(reading.facets)
    if not facets & T.QUESTION_FAMILIES.keys():
        if reading.question and not reading.wh and "register" in reading.anchors:
            return [(0, T.topic_of({"eligible"}, segment) or T.ELIGIBILITY)]  # "Emang bisa aye ikutan BPJS TK?"
        return []
    first = T.topic_of(facets, segment)
    positions: Dict[str, int] = {}
    for match in reading.matches:
        for facet in match.kinds(lx.FACET):
            family = T.QUESTION_FAMILIES.get(facet)
            if family and family not in positions:
                positions[family] = match.start
    topics = []
    if first is not None:
        topics.append((min((positions.get(f, 0) for f in T.families_of(first)), default=0), first))
    covered = set(T.families_of(first)) if first else set()
    for family, position in positions.items():
        if family in covered or family in T.MODIFIER_FAMILIES:
            continue
        topic = T.topic_of({f for f in facets if T.QUESTION_FAMILIES.get(f) == family}, segment)
        if topic and topic not in [t for _, t in topics]:
            topics.append((position, topic))
            covered |= set(T.families_of(topic))
    return sorted(topics)


def _subject_of_clause(buildings: List[_Building], person: Optional[str], writer: bool) -> _Building:
    """The subject a clause belongs to (see the module docstring); may start a new one."""
    if not buildings:
        buildings.append(_Building(person or SELF))
        return buildings[-1]
    current = buildings[-1]
    if person is None and writer and current.person != SELF:
        # "Saya daftar pakai dokumen apa?" after the wife's story: back to the writer, if the writer spoke
        # of their own work before ("Bapak saya petani. Saya mau tanya..." stays with the father).
        mine = [b for b in buildings if b.person == SELF and b.evidence()]
        if mine:
            return mine[-1]
    if person is None or person == current.person:
        return current
    if not current.evidence():
        current.person = person  # "Saya mau tanya. Bapak saya petani...": one subject, the father
        return current
    known = [b for b in buildings if b.person == person]
    if known:
        buildings.remove(known[-1])
        buildings.append(known[-1])
        return known[-1]
    buildings.append(_Building(person))
    return buildings[-1]


def parts(text: str, lexicon: lx.Lexicon) -> Parts:
    readings = [read(clause, lexicon) for clause in clauses(text)]
    buildings: List[_Building] = []
    owners: List[_Building] = []
    for reading in readings:
        owner = _subject_of_clause(buildings, *_person(reading, lexicon))
        owner.readings.append(reading)
        owners.append(owner)
    subjects = [_subject(b) for b in buildings]
    asks: List[Ask] = []
    for reading, owner in zip(readings, owners):
        index = buildings.index(owner)
        for _, topic in _asked_topics(reading, subjects[index].segment):
            if subjects[index].age is not None and "eligible" in reading.facets and topic in (T.HOW_TO_REGISTER, T.ELIGIBILITY):
                topic = T.AGE  # "Bapak aku 59. Still eligible?": whether that age may register
            if not any(a.topic == topic and a.subject == index for a in asks):
                asks.append(Ask(topic, index, reading.facets))
    return Parts(tuple(subjects), tuple(asks))


def merged_topics(asks: Sequence[Ask]) -> List[str]:
    """The topics in order, without repeats (for a single-subject answer)."""
    seen: List[str] = []
    for ask in asks:
        if ask.topic not in seen:
            seen.append(ask.topic)
    return seen
