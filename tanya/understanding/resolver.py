"""Decide a message's intent from its reading (the knowledge cues) and DIET's ranking.

The cues decide when they are clear, because they come from the knowledge data and generalise to
wordings DIET never saw; DIET decides what the cues cannot (and a low-confidence guess becomes
nlu_fallback, which asks the user). The order of the rules is the order of precedence:
an outside topic over a registration answer ("berapa iuran BPU?" is about contributions), a request
for a person over a question ("prefer a staff member, how?"), a question over a greeting or thanks
around it ("thanks! and the documents?"), a wish to register now over the segment it names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from tanya.understanding import topics as T
from tanya.understanding.parts import SELF, Parts
from tanya.understanding.reading import GENERIC_FACETS, QUESTION_FACETS, Reading, has_words

FALLBACK = "nlu_fallback"
QUESTION_INTENTS = frozenset(T.INTENT_OF_TOPIC.values()) | {"inform"}
# Intents DIET may decide alone, when no cue says anything (form commands need the form's context).
DIET_ALONE = frozenset({"greet", "goodbye", "thank", "bot_challenge", "out_of_scope", "switch_language", "request_human"})
# Facets that only say by which route someone wants to register; they do not turn a request into a question.
ROUTE_FACETS = (T.CHANNEL_FACETS - {"channels"}) | {"eligible"}
# Two "here / now / form" cues (register_here weighs 1 each in cues.yml): "langsung isi formnya di sini".
HERE_TWICE = 2
# DIET's guess is taken for these without cue evidence only above this confidence.
DIET_CONFIDENT = 0.7
DIET_QUESTION_CONFIDENT = 0.85
DIET_OUT_OF_SCOPE = 0.4
# Emoji that stand for an act when a message has no words.
EMOJI_ACTS = (("🙏👍👌❤♥😊🙂☺💯", "thank"), ("👋", "greet"))
REFERENCE = re.compile(r"\b[A-Za-z]{2,8}\s*-\s*\d{4}\s*-\s*[A-Za-z0-9]{4,10}\b")
# Facets that make a message a registration question even when it also names an outside topic.
REGISTRATION_FACETS = T.CHANNEL_FACETS | {"documents", "requirements", "age", "foreign_worker", "workers_data", "perisai_office"}
# Words that show the user is talking about their own work ("saya penjaga villa", "I work as").
WORK_WORDS = frozenset({"saya", "aku", "i", "my", "kerja", "work", "job", "pekerjaan", "profesi", "sebagai", "jadi"})
# A cue-less message up to this many words may still be an act DIET knows ("sip", "mantap").
SHORT_MESSAGE = 4


@dataclass(frozen=True)
class Decision:
    intent: str
    confidence: float
    entities: Tuple[Dict[str, object], ...] = field(default_factory=tuple)
    reason: str = ""


def _entity(name: str, value: object) -> Dict[str, object]:
    return {"entity": name, "value": value}


def entities_of(reading: Reading) -> List[Dict[str, object]]:
    """What the message says, as Rasa entities for the actions (values are knowledge keys)."""
    found: List[Dict[str, object]] = []
    best = reading.best_segment()
    if best:
        found.append(_entity("segment", best))
        basis = "alias" if best in reading.explicit_segments else (reading.segment_bases.get(best) or ("cue",))[0]
        found.append(_entity("segment_basis", basis))
    second = reading.second_segment()
    if second and second != best:
        found.append(_entity("segment_also", second))
    found += [_entity("facet", facet) for facet in sorted(reading.facets)]
    if reading.occupations:
        found.append(_entity("occupation", _occupation_of(reading, best)))
    if reading.countries:
        found.append(_entity("country", reading.countries[0].key))
        found.append(_entity("country_relation", reading.countries[0].relation))
    if reading.stages or reading.weak_stages:
        found.append(_entity("pmi_stage", (reading.stages or reading.weak_stages)[0]))
    if reading.age is not None:
        found.append(_entity("age", reading.age))
    if reading.outside_topics:
        found.append(_entity("outside_topic", reading.outside_topics[0]))
    if set(reading.tokens) & WORK_WORDS:
        found.append(_entity("work_described", True))
    if not reading.anchored:
        found.append(_entity("anchored", False))
    return found


def parts_entities(parts: Parts) -> List[Dict[str, object]]:
    """The parts of a message as entities for the actions ("subject" and "ask", JSON values), when it asks
    several questions or is about someone other than the writer; none otherwise."""
    about_other = any(subject.person != SELF for subject in parts.subjects)
    if not parts.asks or not (parts.several or about_other):
        return []
    subjects = [
        _entity("subject", json.dumps({
            "i": index, "person": subject.person, "segment": subject.segment, "basis": subject.basis,
            "occupation": subject.occupation, "stage": subject.stage, "age": subject.age,
        }, sort_keys=True))
        for index, subject in enumerate(parts.subjects)
    ]
    asks = [
        _entity("ask", json.dumps({"n": n, "topic": ask.topic, "subject": ask.subject, "facets": sorted(ask.facets)}, sort_keys=True))
        for n, ask in enumerate(parts.asks)
    ]
    return subjects + asks


def _occupation_of(reading: Reading, segment: Optional[str]) -> str:
    """The occupation that explains the segment ("pengemudi gocar": ride-hailing, not just "driver")."""
    segments = reading.occupation_segments
    return next((o for o in reading.occupations if segments.get(o) == segment), reading.occupations[0])


def _emoji_act(text: str) -> Optional[str]:
    for symbols, act in EMOJI_ACTS:
        if any(symbol in text for symbol in symbols):
            return act
    return None


# Evidence about the person's work (as opposed to a segment's name, a stage or a facet).
WORK_BASES = frozenset({"employer_side", "employee", "self_employed", "alone_weak", "abroad", "construction", "perisai_helper", "occupation"})
FOLLOW_UP_LENGTH = 5


def describes_work(reading: Reading) -> bool:
    return bool(reading.occupations) or any(
        basis in WORK_BASES for bases in reading.segment_bases.values() for basis in bases
    )


def question_intent(reading: Reading) -> str:
    if len(reading.explicit_segments) >= 2 and reading.facets & {"definition", "segments_list"}:
        return T.INTENT_OF_TOPIC[T.SEGMENTS]  # "how are PU and BPU different?"
    segment = reading.best_segment()
    work = describes_work(reading) and not reading.explicit_segments
    if "segments_list" in reading.facets and work and segment:
        return T.INTENT_OF_TOPIC[T.SEGMENT_FIT]  # "a fisherman with my own boat: which participant type am I?"
    topic = T.topic_of(reading.facets, segment, has_segment_evidence=work, named=bool(reading.explicit_segments))
    if topic is None:
        first_person = bool(set(reading.tokens) & WORK_WORDS)
        if reading.stages or reading.weak_stages:
            topic = T.DOCUMENTS  # only PMI documents depend on a stage ("and after I come back?")
        elif (len(reading.tokens) <= FOLLOW_UP_LENGTH or reading.act("follow_up")) and not first_person and not reading.anchors & {"register"}:
            return "inform"  # "kalau untuk PMI?", "for self-employed?": the previous question, another segment
        elif segment and (reading.anchors & {"register"} or reading.facets & {"workers_data", "how", "prerequisite"}):
            topic = T.HOW_TO_REGISTER  # "our foundation wants to be registered": how, not which segment
        elif work:
            topic = T.SEGMENT_FIT
        else:
            topic = T.HOW_TO_REGISTER
    return T.INTENT_OF_TOPIC[topic]


def _polite(reading: Reading, decide) -> Decision:
    for act, intent in (("bye", "goodbye"), ("thanks", "thank"), ("greet", "greet")):
        if reading.act(act):
            return decide(intent, act)
    raise ValueError("no polite act")


def _requests_registration(reading: Reading, asks_for_information: bool) -> bool:
    """The person asks to be registered by this assistant now."""
    wants, helps, here = reading.act("register_now"), reading.act("register_help"), reading.act("register_here")
    if "who_registers" in reading.facets:
        return False  # "will my employer register me or do I do it myself?"
    channel_question = bool(reading.facets & T.CHANNEL_FACETS) and (asks_for_information or reading.question)
    if helps and not asks_for_information:
        return True  # "bisa dibantu daftar lewat PT penyalur?": a request, even with a channel in it
    if wants and not asks_for_information and not channel_question and not reading.facets - ROUTE_FACETS:
        return True  # "mau daftar BPU" (but "mau daftar, bisa lewat Cermati gak?" asks about the channels)
    if len(reading.words) == 1 and reading.anchors == {"register"}:
        return True  # "DAFTAR": the one registration word of someone who wants to start
    if not here or not (wants or helps or reading.anchors & {"register", "bpjs"}):
        return False
    if channel_question:
        return False  # "is there a branch here where I can register?" asks about the channels
    if here >= HERE_TWICE:
        # "langsung isi formnya di sini aja", "daftarin aku sekarang, form-nya isi di sini kan?": a request,
        # even beside a question about what the form needs
        return True
    if asks_for_information:
        return False  # "I want to register now, which documents apply to returnees?"
    return bool(wants or helps) or not reading.facets - ROUTE_FACETS


def _is_human_request(reading: Reading) -> bool:
    strong, request, weak = reading.act("human"), reading.act("human_request"), reading.act("human_weak")
    return strong >= 3 or (request >= 2 and (weak or strong or not reading.asks_something))


def resolve(
    reading: Reading, text: str, ranking: Sequence[Tuple[str, float]], switches_language: bool = False
) -> Decision:
    """The intent of `text` (read as `reading`), given DIET's intent ranking (best first);
    `switches_language`: the message asks for the other language (tanya.language)."""
    top, confidence = ranking[0] if ranking else (FALLBACK, 0.0)

    def decide(intent: str, why: str, with_entities: bool = True, certainty: float = 1.0) -> Decision:
        return Decision(intent, certainty, tuple(entities_of(reading)) if with_entities else (), why)

    if not has_words(text):
        act = _emoji_act(text)
        return decide(act, "emoji") if act else Decision(FALLBACK, 0.0, (), "no words")
    registering = reading.anchors & {"register"} or reading.act("register_now") or "perisai_office" in reading.facets
    asks_registration = bool((reading.facets & QUESTION_FACETS) - GENERIC_FACETS - {"contact"})
    if reading.outside_topics and (not registering or reading.outside_about_registration or not asks_registration):
        # "where do I check my JHT balance?": about claims, even with a channel word in it;
        # "berapa biaya pendaftarannya?": about registration, but not on the page; "ganti no hp yang terdaftar":
        # a registration word, but no registration question.
        return decide("ask_outside_topic", "outside topic")
    if reading.act("bot_challenge") and reading.act("human") < 3 and not reading.asks_something:
        return decide("bot_challenge", "asks if it is a bot")
    if _is_human_request(reading):
        return decide("request_human", "asks for a person")
    if REFERENCE.search(text or "") or reading.act("status_check") and (reading.act("status_named") or not asks_registration):
        # "once our registration is approved, what do we submit about our employees?" asks the workers' data
        return decide("check_status", "status or reference")
    if switches_language and not asks_registration and not reading.segment_scores:
        # "Sorry, can we continue in English?": the language is the whole request ("can we" is no eligibility)
        return decide("switch_language", "asks for the other language")
    if reading.act("cancel") and not reading.asks_something:
        return decide("cancel_registration", "wants to stop")
    asks_for_information = reading.wh or reading.act("asks_existence")
    if _requests_registration(reading, bool(asks_for_information)):
        return decide("request_registration", "wants to register now")
    # "apply for a driving licence", "daftar BPJS Kesehatan": another service's registration is not ours.
    if "outside" in reading.anchors and not (reading.anchors & {"bpjs"} or reading.explicit_segments):
        return decide("out_of_scope", "outside subject", with_entities=False)
    polite = reading.act("thanks") or reading.act("bye") or reading.act("greet")
    if polite and not reading.question and not (reading.segment_scores or reading.occupations or reading.stages):
        # "thanks for the explanation", "good evening": politeness around words, not a question.
        return _polite(reading, decide)
    if reading.act("greet") and not reading.facets - GENERIC_FACETS and not reading.segment_scores:
        return decide("greet", "greeting with a general question")  # "halo, boleh tanya soal BPJS?"
    if reading.asks_something or (reading.informative and reading.question):
        return decide(question_intent(reading), "question cues")
    if reading.anchors & {"register"} and reading.best_segment():
        return decide("ask_how_to_register", "registration for a segment")
    if reading.informative and (reading.segment_scores or reading.occupations or reading.countries or reading.stages
                                or reading.weak_stages):  # "and after I come back?": a PMI follow-up's stage
        return decide("inform", "segment, work or stage given")
    if switches_language:
        return decide("switch_language", "asks for the other language")
    if polite:
        return _polite(reading, decide)
    if len(reading.tokens) <= SHORT_MESSAGE:
        if reading.act("affirm") and not reading.act("deny"):
            return decide("affirm", "yes")
        if reading.act("deny"):
            return decide("deny", "no")
    if reading.anchors & {"register"}:
        return decide("ask_how_to_register", "registration word")
    if top in DIET_ALONE and confidence >= DIET_CONFIDENT:
        return Decision(top, confidence, tuple(entities_of(reading)), "DIET")
    if top in QUESTION_INTENTS and confidence >= DIET_QUESTION_CONFIDENT and reading.anchors:
        return Decision(top, confidence, tuple(entities_of(reading)), "DIET question")
    if top == "out_of_scope" and confidence >= DIET_OUT_OF_SCOPE:
        return Decision("out_of_scope", confidence, (), "DIET out of scope")
    if len(reading.tokens) > SHORT_MESSAGE and not reading.anchors:
        return Decision("out_of_scope", max(confidence, 0.5), (), "nothing about registration")
    return Decision(FALLBACK, confidence, (), "unsure")
