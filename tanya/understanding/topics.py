"""What kind of answer a question asks for, from its facets: one rule, used by the NLU (to name the
intent) and by the answer action (which adds the conversation's context).
"""

from __future__ import annotations

from typing import AbstractSet, Optional

HOW_TO_REGISTER = "how_to_register"
DOCUMENTS = "documents"
REQUIREMENTS = "requirements"  # what to bring and meet: documents and eligibility together
CHANNELS = "channels"
AGE = "age"
FOREIGN_WORKER = "foreign_worker"
PREREQUISITE = "prerequisite"
WORKERS_DATA = "workers_data"
ELIGIBILITY = "eligibility"
JAKON_BRANCHES = "jakon_branches"
PERISAI_REQUIREMENTS = "perisai_requirements"
PERISAI_OFFICE = "perisai_office"
SEGMENTS = "segments"
DEFINITION = "definition"
SEGMENT_FIT = "segment_fit"
# Not answered by the composer: the conversation's last turn was a status check that failed.
STATUS_TOPIC = "status_check"
CONTACTS = "contacts"  # how to reach a person: the call center, the e-mail, a branch office

CHANNEL_FACETS = frozenset(
    {"channels", "online", "offline", "kind_bank", "kind_payment_point", "kind_association", "kind_app", "kind_oss",
     "kind_ptsp", "kind_portal", "kind_placement", "branch"}
)
PERISAI_FACETS = frozenset({"requirements", "eligible", "how", "documents", "device", "education", "bank_account", "prerequisite"})
# Topics whose answer depends on the participant segment (asked for when unknown).
SEGMENT_TOPICS = frozenset(
    {HOW_TO_REGISTER, DOCUMENTS, REQUIREMENTS, CHANNELS, ELIGIBILITY, DEFINITION, PREREQUISITE, AGE, WORKERS_DATA}
)
# The family of question each facet asks (one answer section per family); facets not listed only say
# something about a question of another family (a channel kind, "online", a Perisai requirement...).
QUESTION_FAMILIES = {
    "documents": DOCUMENTS, "doc_company": DOCUMENTS, "doc_contract": DOCUMENTS, "temporary_licence": DOCUMENTS,
    "requirements": REQUIREMENTS,
    "channels": CHANNELS, "online": CHANNELS, "offline": CHANNELS, "branch": CHANNELS, "kind_bank": CHANNELS,
    "kind_payment_point": CHANNELS, "kind_association": CHANNELS, "kind_app": CHANNELS, "kind_oss": CHANNELS,
    "kind_ptsp": CHANNELS, "kind_portal": CHANNELS, "kind_placement": CHANNELS,
    "age": AGE, "eligible": ELIGIBILITY, "foreign_worker": FOREIGN_WORKER, "workers_data": WORKERS_DATA,
    "prerequisite": PREREQUISITE, "jakarta": JAKON_BRANCHES, "perisai_office": PERISAI_OFFICE,
    "which_segment": SEGMENT_FIT, "segments_list": SEGMENTS, "definition": DEFINITION, "how": HOW_TO_REGISTER,
    "contact": CONTACTS, "who_registers": HOW_TO_REGISTER,
}
# Families that only shape the question of another family in the same clause ("can I...", "how...",
# "what is..."): never an answer section of their own next to one.
MODIFIER_FAMILIES = frozenset({ELIGIBILITY, HOW_TO_REGISTER, DEFINITION, SEGMENTS})
# What an answer of one topic already covers (the Perisai requirements include the documents...).
_COVERS = {
    HOW_TO_REGISTER: (HOW_TO_REGISTER, CHANNELS, DOCUMENTS),
    REQUIREMENTS: (REQUIREMENTS, DOCUMENTS, ELIGIBILITY, AGE),
    PERISAI_REQUIREMENTS: (PERISAI_REQUIREMENTS, REQUIREMENTS, DOCUMENTS, ELIGIBILITY, HOW_TO_REGISTER, CHANNELS),
    PERISAI_OFFICE: (PERISAI_OFFICE, REQUIREMENTS, DOCUMENTS, ELIGIBILITY),
    JAKON_BRANCHES: (JAKON_BRANCHES, CHANNELS),
    WORKERS_DATA: (WORKERS_DATA, HOW_TO_REGISTER),
    AGE: (AGE, ELIGIBILITY),
    SEGMENT_FIT: (SEGMENT_FIT, ELIGIBILITY),
}


def families_of(topic: Optional[str]) -> tuple:
    """The question families an answer of `topic` answers."""
    if topic is None:
        return ()
    return _COVERS.get(topic, (topic,))
# The NLU intent that names each topic (rules route them all to the same answer action).
INTENT_OF_TOPIC = {
    HOW_TO_REGISTER: "ask_how_to_register",
    DOCUMENTS: "ask_documents",
    REQUIREMENTS: "ask_documents",
    CHANNELS: "ask_channels",
    AGE: "ask_eligibility",
    FOREIGN_WORKER: "ask_eligibility",
    PREREQUISITE: "ask_eligibility",
    ELIGIBILITY: "ask_eligibility",
    WORKERS_DATA: "ask_how_to_register",
    JAKON_BRANCHES: "ask_jakon_branches",
    PERISAI_REQUIREMENTS: "ask_perisai_requirements",
    PERISAI_OFFICE: "ask_perisai_office_requirements",
    SEGMENTS: "ask_segments",
    DEFINITION: "ask_segments",
    SEGMENT_FIT: "ask_segment_fit",
    CONTACTS: "ask_contacts",
}
TOPIC_OF_INTENT = {
    "ask_how_to_register": HOW_TO_REGISTER,
    "ask_documents": DOCUMENTS,
    "ask_channels": CHANNELS,
    "ask_eligibility": ELIGIBILITY,
    "ask_jakon_branches": JAKON_BRANCHES,
    "ask_perisai_requirements": PERISAI_REQUIREMENTS,
    "ask_perisai_office_requirements": PERISAI_OFFICE,
    "ask_segments": SEGMENTS,
    "ask_segment_fit": SEGMENT_FIT,
    "ask_contacts": CONTACTS,
}


def topic_of(
    facets: AbstractSet[str], segment: Optional[str] = None, has_segment_evidence: bool = False, named: bool = False
) -> Optional[str]:
    """The answer a question with these facets asks for; None when the facets name none.

    `segment` is the segment the question concerns if known (named, implied or from context);
    `has_segment_evidence`: the message itself says something about the person's work;
    `named`: the message names the segment itself ("BPU", "penerima upah").
    """
    f = set(facets)
    if "contact" in f and not f & (set(QUESTION_FAMILIES) - {"contact", "how", "eligible", "definition", "channels"}):
        return CONTACTS  # "what is the e-mail address?", "where can I call?"
    if "perisai_office" in f:
        return PERISAI_OFFICE
    if segment == "perisai" and f & PERISAI_FACETS and "definition" not in f:
        return PERISAI_REQUIREMENTS
    if "jakarta" in f and (segment in (None, "jakon") or "branch" in f):
        return JAKON_BRANCHES
    if "foreign_worker" in f and segment in (None, "pu"):
        return FOREIGN_WORKER
    if "workers_data" in f and segment in (None, "pu") and not f & {"documents", "age"}:
        return WORKERS_DATA
    if "age" in f:
        return AGE
    if "prerequisite" in f and segment == "jakon" and not f & {"documents"}:
        return PREREQUISITE
    if "which_segment" in f:
        return SEGMENT_FIT
    if "segments_list" in f and not named:
        return SEGMENTS
    if "documents" in f:
        return DOCUMENTS
    if "requirements" in f:
        return REQUIREMENTS
    if f & CHANNEL_FACETS:
        return CHANNELS
    if "definition" in f and "how" not in f:
        return DEFINITION if segment else SEGMENTS
    if "eligible" in f:
        # "can a fisherman join?": yes, as a BPU participant, and this is how.
        return HOW_TO_REGISTER if segment else SEGMENT_FIT if has_segment_evidence else ELIGIBILITY
    if f & {"how", "who_registers"}:
        return HOW_TO_REGISTER
    return None
