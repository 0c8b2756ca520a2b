"""Every alias and cue of the knowledge data, compiled into phrases of canonical tokens.

Built once per process from data/knowledge (tanya.knowledge.schema) and data/language/slang.yml.
A phrase may carry several labels ("kantor" is a channel word and an offline word).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Mapping, Optional, Set, Tuple

import yaml

from tanya.knowledge.schema import Content, read_content
from tanya.settings import PROJECT_ROOT
from tanya.understanding.normalise import Canonicaliser, Vocabulary, expand_slang, raw_tokens

DEFAULT_CONTENT_DIR = PROJECT_ROOT / "data" / "knowledge"
DEFAULT_SLANG_PATH = PROJECT_ROOT / "data" / "language" / "slang.yml"
DEFAULT_MARKERS_PATH = PROJECT_ROOT / "data" / "language" / "markers.yml"

# Label kinds.
SEGMENT_ALIAS = "segment_alias"
SEGMENT_CUE = "segment_cue"
FACET = "facet"
ACT = "act"
ANCHOR = "anchor"
RELATION = "relation"
OCCUPATION = "occupation"
COUNTRY = "country"
DEMONYM = "demonym"
STAGE = "stage"
WEAK_STAGE = "weak_stage"  # an everyday word for a PMI stage: a stage only beside other PMI evidence
OUTSIDE_TOPIC = "outside_topic"
PERSON = "person"
STAFF = "staff"  # words for people someone employs ("karyawan", "workers"), read with the words around them

Label = Tuple[str, str]  # (kind, key)
Phrase = Tuple[str, ...]


@dataclass(frozen=True)
class CueInfo:
    kind: str
    segment: Optional[str]
    weight: int


@dataclass(frozen=True)
class AgeCues:
    """What makes a number an age (data/language/markers.yml), as canonical tokens."""

    before: FrozenSet[str] = frozenset()  # in the three words before: "umur 58"
    self_before: FrozenSet[Phrase] = frozenset()  # right before: "I'm 65", "I am 65"
    units_after: FrozenSet[str] = frozenset()  # right after, unless a duration word is before: "58 tahun"
    words_after: FrozenSet[str] = frozenset()  # in the two words after: "65 years old"
    duration: FrozenSet[str] = frozenset()  # "kontrak 2 tahun" is not an age


AGE_MARKER_KEYS = ("age_words_before", "age_self_before", "age_units_after", "age_words_after", "duration_words")
# Marker words (data/language/markers.yml) the reading uses around cues: WordMarkers field -> markers.yml key.
WORD_MARKER_FIELDS = {
    "negations": "negation_words", "person_objects": "person_object_words", "fillers": "negation_fillers",
    "counts": "count_words", "people_units": "people_units", "owners_after": "owner_words_after",
    "owners_before": "owner_words_before", "statuses": "status_words", "lookups": "lookup_words",
    "status_attributes": "status_attribute_words", "worker_endings": "worker_endings",
    "worker_beginnings": "worker_beginnings", "not_workers": "not_worker_words", "data_words": "data_words",
}


@dataclass(frozen=True)
class WordMarkers:
    negations: FrozenSet[str] = frozenset()  # "nggak ada bos", "no employees": the cue is denied
    person_objects: FrozenSet[str] = frozenset()  # "dari tetangga": the person is not the subject
    fillers: FrozenSet[str] = frozenset()  # "don't have ANY employees": between a negation and its cue
    counts: FrozenSet[str] = frozenset()  # "lima karyawan", "a few workers": someone employs them
    people_units: FrozenSet[str] = frozenset()  # "karyawan lima orang": the count after the staff word
    owners_after: FrozenSet[str] = frozenset()  # "karyawan saya", "anak buah aye"
    owners_before: FrozenSet[str] = frozenset()  # "punya pegawai", "our staff"
    statuses: FrozenSet[str] = frozenset()  # "status": with a lookup or registration word, a status check
    lookups: FrozenSet[str] = frozenset()  # "cek", "see", "track": looking something up
    worker_endings: FrozenSet[str] = frozenset()  # "carpenters": a counted word shaped like a worker's
    worker_beginnings: FrozenSet[str] = frozenset()  # "penjahit", "pengrajin"
    not_workers: FrozenSet[str] = frozenset()  # "customers", "pelanggan": counted people nobody employs
    data_words: FrozenSet[str] = frozenset()  # "info", "data": beside workers, the workers' data
    status_attributes: FrozenSet[str] = frozenset()  # "legal status", "status kerja": a status describing someone


@dataclass(frozen=True)
class Lexicon:
    phrases: Mapping[Phrase, FrozenSet[Label]]
    by_first_token: Mapping[str, Tuple[Phrase, ...]]  # longest first
    cues: Mapping[str, CueInfo]
    occupation_segments: Mapping[str, Optional[str]]
    slang: Mapping[str, str]
    canonicaliser: Canonicaliser
    question_words: FrozenSet[str]
    wh_words: FrozenSet[str] = frozenset()  # words that ask for information, not a yes/no request
    registration_outside_topics: FrozenSet[str] = frozenset()  # outside topics about registration itself
    age: AgeCues = AgeCues()
    markers: WordMarkers = WordMarkers()

    def tokens(self, text: str) -> List[str]:
        return self.canonicaliser.tokens(text, self.slang)


def _lemma_tables() -> Dict[str, str]:
    """spaCy's Indonesian and English lookup lemmas (spacy-lookups-data), Indonesian first."""
    import spacy_lookups_data

    folder = Path(spacy_lookups_data.__file__).parent / "data"
    lemmas: Dict[str, str] = {}
    for language in ("en", "id"):  # Indonesian last: it wins where both tables have a form
        with gzip.open(folder / f"{language}_lemma_lookup.json.gz", "rt", encoding="utf-8") as handle:
            lemmas.update(json.load(handle))
    return lemmas


def _labelled_terms(content: Content) -> List[Tuple[str, Label]]:
    terms: List[Tuple[str, Label]] = []
    for segment in content.segments:
        terms += [(term, (SEGMENT_ALIAS, segment.key)) for term in segment.aliases.all()]
    for cue in content.cues:
        kind = {"segment": SEGMENT_CUE}.get(cue.kind, cue.kind)
        terms += [(term, (kind, cue.key)) for term in cue.terms.all()]
    for occupation in content.occupations:
        terms += [(term, (OCCUPATION, occupation.key)) for term in occupation.aliases.all()]
    for country in content.countries:
        terms += [(term, (COUNTRY, country.key)) for term in country.aliases.all() + [country.name.id, country.name.en]]
        terms += [(term, (DEMONYM, country.key)) for term in country.demonyms.all()]
    for stage in content.pmi_stages:
        terms += [(term, (STAGE, stage.key)) for term in stage.aliases.all()]
        terms += [(term, (WEAK_STAGE, stage.key)) for term in stage.weak_aliases.all()]
    for topic in content.outside_topics:
        terms += [(term, (OUTSIDE_TOPIC, topic.key)) for term in topic.cues.all()]
    return terms


def build_lexicon(
    content: Content,
    slang: Mapping[str, str],
    lemmas: Mapping[str, str],
    keep: Iterable[str] = (),
    question_words: Iterable[str] = (),
    wh_words: Iterable[str] = (),
    age_markers: Optional[Mapping[str, Iterable[str]]] = None,
    word_markers: Optional[Mapping[str, Iterable[str]]] = None,
) -> Lexicon:
    terms = _labelled_terms(content)
    words: Set[str] = set()
    for term, _ in terms:
        words.update(expand_slang(raw_tokens(term), slang))
    canonicaliser = Canonicaliser(Vocabulary.build(words, lemmas, keep))
    phrases: Dict[Phrase, Set[Label]] = {}
    for term, label in terms:
        phrase = tuple(canonicaliser.tokens(term, slang))
        if phrase:
            phrases.setdefault(phrase, set()).add(label)
    index: Dict[str, List[Phrase]] = {}
    for phrase in phrases:
        index.setdefault(phrase[0], []).append(phrase)
    return Lexicon(
        phrases={phrase: frozenset(labels) for phrase, labels in phrases.items()},
        by_first_token={first: tuple(sorted(group, key=len, reverse=True)) for first, group in index.items()},
        cues={cue.key: CueInfo(cue.kind, cue.segment, cue.weight) for cue in content.cues},
        occupation_segments={occupation.key: occupation.segment for occupation in content.occupations},
        slang=dict(slang),
        canonicaliser=canonicaliser,
        question_words=_canonical_words(question_words, canonicaliser, slang),
        wh_words=_canonical_words(wh_words, canonicaliser, slang),
        registration_outside_topics=frozenset(t.key for t in content.outside_topics if t.about_registration),
        age=_age_cues(age_markers or {}, canonicaliser, slang),
        markers=WordMarkers(
            **{
                name: _canonical_words((word_markers or {}).get(key) or (), canonicaliser, slang)
                for name, key in WORD_MARKER_FIELDS.items()
            }
        ),
    )


def _age_cues(markers: Mapping[str, Iterable[str]], canonicaliser: Canonicaliser, slang: Mapping[str, str]) -> AgeCues:
    def words(key: str) -> FrozenSet[str]:
        return _canonical_words(markers.get(key) or (), canonicaliser, slang)

    return AgeCues(
        before=words("age_words_before"),
        self_before=frozenset(tuple(canonicaliser.tokens(term, slang)) for term in markers.get("age_self_before") or ()),
        units_after=words("age_units_after"),
        words_after=words("age_words_after"),
        duration=words("duration_words"),
    )


def _canonical_words(words: Iterable[str], canonicaliser: Canonicaliser, slang: Mapping[str, str]) -> FrozenSet[str]:
    return frozenset(token for word in words for token in canonicaliser.tokens(word, slang))


def read_slang(path: Path = DEFAULT_SLANG_PATH) -> Tuple[Dict[str, str], FrozenSet[str]]:
    """(chat spelling -> plain word, words never reduced to their root) from data/language/slang.yml."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    slang = {str(key).lower(): str(value).lower() for key, value in (raw.get("slang") or {}).items()}
    return slang, frozenset(str(word).lower() for word in raw.get("keep_forms") or [])


def read_marker_words(key: str, path: Path = DEFAULT_MARKERS_PATH) -> List[str]:
    """One word list of data/language/markers.yml (question_words, wh_words, the age markers)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [str(word).lower() for word in (raw.get("language_markers") or {}).get(key) or []]


@lru_cache(maxsize=2)
def load_lexicon(content_dir: Path = DEFAULT_CONTENT_DIR, slang_path: Path = DEFAULT_SLANG_PATH) -> Lexicon:
    """The lexicon of the knowledge data (built once per process: about a second)."""
    slang, keep = read_slang(slang_path)
    return build_lexicon(
        read_content(content_dir), slang, _lemma_tables(), keep, read_marker_words("question_words"), read_marker_words("wh_words"),
        {key: read_marker_words(key) for key in AGE_MARKER_KEYS},
        {key: read_marker_words(key) for key in WORD_MARKER_FIELDS.values()},
    )
