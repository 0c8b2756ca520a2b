"""Which question to answer this turn, given what the message says and what the conversation knows.

Pure: the action gives the latest intent and entities and the remembered slots (segment, topic, a
pending question); this returns a Plan. Rules, in order:
- a pending yes/no about the employment relationship is settled by yes (PU) or no (BPU);
- a pending segment choice is settled by a message that names or implies a segment;
- the topic comes from the message's facets, else its intent, else (a bare follow-up) the previous topic;
- the segment is the message's (named, or implied by the work described), else the topic's own, else the
  conversation's; when none is known the topic is answered for every segment in a line each, with buttons
  to go deeper (nobody is ever trapped by a question), and a segment named next answers it fully;
- a message with several questions, or about several people, is answered question by question for the
  person each is about (plan_parts, from tanya.understanding.parts).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional

from tanya import segments
from tanya.answers.compose import WRITER, Question
from tanya.forms import status_help
from tanya.understanding import topics as T

EMPLOYMENT = "employment"
SEGMENT_CHOICE = "segment"
# The segment a yes / no to "are you paid wages by an employer?" means.
EMPLOYMENT_ANSWER = {"affirm": segments.EMPLOYED_BY_SOMEONE, "deny": segments.WORKS_ALONE}
# A short message naming a new segment right after an answer is a follow-up: "and for PMI?".
FOLLOW_UP_WORDS = 6


@dataclass(frozen=True)
class Turn:
    intent: str
    entities: Mapping[str, List[Any]] = field(default_factory=dict)
    words: int = 0
    status_trouble: Optional[str] = None  # tanya.forms.status_help: "lost", "locked", "next"

    def first(self, name: str) -> Any:
        values = self.entities.get(name) or []
        return values[0] if values else None

    @property
    def facets(self) -> frozenset:
        return frozenset(self.entities.get("facet") or [])

    def parts(self) -> "tuple[list, list]":
        """(subjects, asks) of a message with several questions or about another person (tanya.understanding.parts)."""
        subjects = sorted((json.loads(v) for v in self.entities.get("subject") or []), key=lambda item: item.get("i", 0))
        asks = [json.loads(v) for v in self.entities.get("ask") or []]
        return subjects, asks


@dataclass(frozen=True)
class Context:
    segment: Optional[str] = None
    topic: Optional[str] = None
    pending: Optional[Mapping[str, Any]] = None


@dataclass
class Plan:
    action: str  # "answer" | "answer_many" | "ask_employment" | "ask_work" | "outside" | "utter" | "respond"
    question: Optional[Question] = None
    questions: List[Question] = field(default_factory=list)  # "answer_many", in the order asked
    pending: Optional[Dict[str, Any]] = None
    response: Optional[str] = None  # a catalogue message ("utter") or a domain response ("respond")


def _question(topic: str, segment: Optional[str], turn: Turn, basis: Optional[str], pending: Mapping[str, Any] = None,
              person: str = WRITER) -> Question:
    pending = pending or {}
    return Question(
        person=person,
        topic=topic,
        segment=segment,
        facets=turn.facets | frozenset(pending.get("facets") or []),
        stage=turn.first("pmi_stage") or pending.get("stage"),
        age=turn.first("age") if turn.first("age") is not None else pending.get("age"),
        occupation=turn.first("occupation") or pending.get("occupation"),
        segment_basis=basis,
        segment_also=turn.first("segment_also"),
    )


def _pending_record(kind: str, topic: str, turn: Turn, asked: int = 1) -> Dict[str, Any]:
    return {
        "kind": kind,
        "topic": topic,
        "facets": sorted(turn.facets),
        "stage": turn.first("pmi_stage"),
        "age": turn.first("age"),
        "occupation": turn.first("occupation"),
        "asked": asked,
    }


def plan_turn(turn: Turn, context: Context, occupation_segment: Optional[str] = "unknown") -> Plan:
    """`occupation_segment`: the knowledge's segment for the message's occupation (None: it does not
    decide; "unknown": no occupation in the message)."""
    pending = context.pending or {}
    segment = turn.first("segment")
    basis = turn.first("segment_basis") or ("alias" if segment else None)

    # 1. Answers to a pending question.
    if pending.get("kind") == EMPLOYMENT and turn.intent in EMPLOYMENT_ANSWER:
        chosen = EMPLOYMENT_ANSWER[turn.intent]
        return Plan("answer", _question(pending.get("topic") or T.SEGMENT_FIT, chosen, turn, "employment", pending))
    if turn.intent in ("affirm", "deny", "cancel_registration"):
        return Plan("utter", response="ask_what_else" if turn.intent == "affirm" else "anything_else_later")
    if pending.get("kind") == SEGMENT_CHOICE and segment and (turn.intent == "inform" or not turn.facets):
        return Plan("answer", _question(pending.get("topic") or T.HOW_TO_REGISTER, segment, turn, basis, pending))
    if context.topic == T.STATUS_TOPIC:
        if turn.status_trouble:
            # "trus harus gimana?" right after a status check that found nothing: the status flow's next step
            return Plan("utter", response=status_help.help_message(turn.status_trouble))
        context = Context(context.segment, None, context.pending)  # not a topic to follow up on
    if turn.intent == "ask_outside_topic":
        return Plan("outside", Question("outside", outside_topic=turn.first("outside_topic")))

    # 2. Several questions, or a question about another person: each asked topic for its person.
    subjects, asks = turn.parts()
    if len(subjects) == 1 and basis == "alias" and subjects[0].get("segment") not in (None, segment) \
            and subjects[0].get("basis") not in (None, "alias"):
        # "gaji dari perusahaan, should I register as BPU?": the named segment is an option, the work decides
        segment, basis = subjects[0]["segment"], subjects[0]["basis"]
    if asks and turn.intent not in ("inform", "request_registration"):
        many = plan_parts(turn, context, subjects, asks)
        if many is not None:
            return many
    person = subjects[0].get("person", WRITER) if len(subjects) == 1 else WRITER

    # 3. The topic.
    context_segment = segment or context.segment
    if turn.first("anchored") is False and not (context.segment or context.topic):
        # Only everyday question words ("how many calories...?") and nothing before: not for us.
        return Plan("respond", response="utter_out_of_scope")
    topic = T.topic_of(
        turn.facets, context_segment, has_segment_evidence=basis not in (None, "alias"), named=basis == "alias"
    )
    if turn.intent == "ask_segment_fit" and "which_segment" not in turn.facets and _is_follow_up(turn, context, segment):
        topic = context.topic
    if topic is None:
        topic = T.TOPIC_OF_INTENT.get(turn.intent)
    if topic is None or (turn.intent == "inform" and not turn.facets):
        if turn.intent == "inform" and context.topic and context.topic not in (T.SEGMENT_FIT, T.SEGMENTS) and segment:
            topic = context.topic
        elif turn.intent == "inform" and turn.first("pmi_stage"):
            topic = T.DOCUMENTS
        elif topic is None or turn.intent == "inform":
            topic = T.SEGMENT_FIT if basis not in (None, "alias") or turn.first("occupation") else T.HOW_TO_REGISTER

    # 4. The segment.
    own = segments.owner_of_topic(topic)
    if own:
        return Plan("answer", _question(topic, own, turn, basis, person=person))
    if topic == T.AGE and not segment and not context.segment:
        segment, basis = segments.age_default(), "topic"  # the page states an age limit for one segment only
    if segment:
        return Plan("answer", _question(topic, segment, turn, basis, person=person))
    if occupation_segment is None:
        return Plan("ask_employment", _question(topic, None, turn, None), pending=_pending_record(EMPLOYMENT, topic, turn))
    if topic == T.SEGMENT_FIT:
        if turn.first("work_described"):
            return Plan("ask_employment", _question(topic, None, turn, None), pending=_pending_record(EMPLOYMENT, topic, turn))
        return Plan("ask_work", _question(topic, None, turn, None))
    if topic in T.SEGMENT_TOPICS and context.segment:
        return Plan("answer", _question(topic, context.segment, turn, "context", person=person))
    if topic in T.SEGMENT_TOPICS:
        # The topic is clear, the segment is not: every segment in a line, with buttons to go deeper (the
        # composer's overview); a segment named next answers the topic for it.
        return Plan("answer", _question(topic, None, turn, None, person=person),
                    pending=_pending_record(SEGMENT_CHOICE, topic, turn))
    return Plan("answer", _question(topic, None, turn, basis, person=person))


def plan_parts(turn: Turn, context: Context, subjects: List[Dict[str, Any]], asks: List[Dict[str, Any]]) -> Optional[Plan]:
    """Every question of the message for its person; None when it is a single question (the caller's rules
    apply, with the person it is about)."""
    if len(asks) < 2 and len(subjects) < 2:
        return None
    questions = []
    for ask in asks:
        subject = subjects[ask.get("subject", 0)] if ask.get("subject", 0) < len(subjects) else {}
        topic = ask["topic"]
        segment, basis = subject.get("segment"), subject.get("basis")
        if not segment and len(subjects) == 1 and context.segment:
            segment, basis = context.segment, "context"
        if not segment and topic == T.AGE:
            segment, basis = segments.age_default(), "topic"
        segment = segments.owner_of_topic(topic) or segment
        questions.append(Question(
            topic=topic, segment=segment, facets=frozenset(ask.get("facets") or ()),
            stage=subject.get("stage") or turn.first("pmi_stage"), age=subject.get("age"),
            occupation=subject.get("occupation"), segment_basis=basis, person=subject.get("person") or WRITER,
        ))
    unknown = next((q for q in questions if q.segment is None and q.topic in T.SEGMENT_TOPICS), None)
    pending = _pending_record(SEGMENT_CHOICE, unknown.topic, turn) if unknown else None
    return Plan("answer_many", questions=questions, pending=pending)


def _is_follow_up(turn: Turn, context: Context, segment: Optional[str]) -> bool:
    return bool(
        segment
        and context.topic
        and context.topic not in (T.SEGMENT_FIT, T.SEGMENTS)
        and turn.words <= FOLLOW_UP_WORDS
    )
