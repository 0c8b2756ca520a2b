"""Decide what the user is asking about: the topic, and the segment it concerns.

Pure logic over the latest intent, the entities of the latest message and the remembered slots,
so follow-ups like "kalau untuk PMI?" or "is there an age limit?" keep the conversation's context.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional

HOW_TO_REGISTER = "how_to_register"
DOCUMENTS = "documents"
CHANNELS = "channels"
ELIGIBILITY = "eligibility"
PERISAI_REQUIREMENTS = "perisai_requirements"
PERISAI_OFFICE_REQUIREMENTS = "perisai_office_requirements"
JAKON_BRANCHES = "jakon_branches"
SEGMENTS = "segments"

TOPIC_BY_INTENT = {
    "ask_how_to_register": HOW_TO_REGISTER,
    "ask_documents": DOCUMENTS,
    "ask_channels": CHANNELS,
    "ask_eligibility": ELIGIBILITY,
    "ask_perisai_requirements": PERISAI_REQUIREMENTS,
    "ask_perisai_office_requirements": PERISAI_OFFICE_REQUIREMENTS,
    "ask_jakon_branches": JAKON_BRANCHES,
    "ask_segments": SEGMENTS,
}

# Topics whose answer depends on the participant segment.
SEGMENT_TOPICS = frozenset({HOW_TO_REGISTER, DOCUMENTS, CHANNELS, ELIGIBILITY})

# Topics that belong to one segment: answering them moves the conversation's context there.
SEGMENT_OF_TOPIC = {
    PERISAI_REQUIREMENTS: "perisai",
    PERISAI_OFFICE_REQUIREMENTS: "perisai",
    JAKON_BRANCHES: "jakon",
}


@dataclass(frozen=True)
class Question:
    topic: str
    segment: Optional[str] = None
    pmi_stage: Optional[str] = None
    eligibility_topic: Optional[str] = None

    @property
    def needs_segment(self) -> bool:
        return self.topic in SEGMENT_TOPICS and not self.segment


def resolve_question(
    intent: Optional[str],
    entities: Mapping[str, str],
    slots: Mapping[str, Optional[str]],
) -> Question:
    """Topic and segment for this turn.

    `entities` holds the latest message's entities (entity name -> value); `slots` the remembered
    context (segment, topic). An entity always beats remembered context.
    """
    stage = entities.get("pmi_stage")
    eligibility_topic = entities.get("eligibility_topic")
    segment = entities.get("segment") or slots.get("segment")

    topic = TOPIC_BY_INTENT.get(intent or "")
    if topic is None:
        # A bare follow-up ("kalau untuk PMI?", "yang sebelum berangkat"): same question, new details.
        topic = slots.get("topic") or HOW_TO_REGISTER
        if stage:
            topic = DOCUMENTS
        if eligibility_topic:
            topic = ELIGIBILITY
    if stage and not entities.get("segment"):
        segment = "pmi"  # only PMI registration has stages
    if topic == ELIGIBILITY and segment == "perisai":
        topic = PERISAI_REQUIREMENTS  # Perisai's eligibility is its list of requirements
    if topic in SEGMENT_OF_TOPIC:
        segment = SEGMENT_OF_TOPIC[topic]
    if topic == SEGMENTS and entities.get("segment"):
        topic = HOW_TO_REGISTER  # "apa itu BPU?" asks about one segment, not the list
    return Question(topic=topic, segment=segment, pmi_stage=stage, eligibility_topic=eligibility_topic)
