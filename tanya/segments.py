"""What each participant segment does differently: one typed entry per segment, the only place to look.

Facts (names, documents, channels, rules) live in data/knowledge; this table holds behaviour:
- the form: the fields a segment's pre-registration asks, in order (tanya.forms.fields defines them);
- the record: the reference prefix (BPU-2026-7KQ4M9), the answers that identify the same registrant twice,
  the answer that routes it to a branch office (kept in clear for the back office's export);
- the answers: topics that belong to the segment alone, topics it answers with another (a Perisai agent's
  "how" is the agent requirements), what its documents and channels answers add, its follow-up buttons;
- triage: what "employed by someone" and "works alone" resolve to, and where an age question without a
  segment goes (the page states an age limit for BPU only).
A new segment: an entry here, its facts in data/knowledge, its messages in data/messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Mapping, Optional, Tuple

from tanya.forms import fields as F
from tanya.understanding import topics as T

# Topics a segment's answer may add as a paragraph (tanya.answers.compose knows how to write each).
JAKARTA_BRANCHES, PREREQUISITE, KEY_RULES, AGENT_REQUIREMENTS = "jakarta_branches", "prerequisite", "key_rules", "agent_requirements"
DEFAULT_FOLLOW_UPS = (T.HOW_TO_REGISTER, T.DOCUMENTS, T.CHANNELS)


@dataclass(frozen=True)
class Segment:
    key: str
    form_fields: Tuple[F.Field, ...]
    reference_prefix: str
    identity: Tuple[str, ...]  # answer names (slots without "reg_") that identify the same registrant
    city: Optional[str] = None  # the answer (without "reg_") that routes the record to a branch
    own_topics: FrozenSet[str] = frozenset()  # topics only this segment has
    answers_with: Mapping[str, str] = field(default_factory=dict)  # topic asked -> topic answered
    adds: Mapping[str, Tuple[str, ...]] = field(default_factory=dict)  # topic -> extra paragraphs
    follow_ups: Tuple[str, ...] = DEFAULT_FOLLOW_UPS
    requirement_group: Optional[str] = None  # the requirement list of data/knowledge/requirements.yml
    age_questions_default: bool = False  # an age question naming no segment is about this one


PERISAI_AGENT_TOPICS = (T.HOW_TO_REGISTER, T.REQUIREMENTS, T.CHANNELS, T.ELIGIBILITY)

SEGMENTS: Dict[str, Segment] = {
    s.key: s
    for s in (
        Segment(
            "pu",
            (F.COMPANY_NAME, F.NIB_FIELD, F.NPWP_FIELD, F.CONTACT_NAME, F.PHONE_FIELD, F.EMAIL_FIELD, F.WORKER_COUNT, F.FOREIGN_WORKERS),
            "PU", ("nib",),
            own_topics=frozenset({T.FOREIGN_WORKER, T.WORKERS_DATA}),
            adds={T.DOCUMENTS: (KEY_RULES,)},
        ),
        Segment(
            "bpu",
            (F.FULL_NAME, F.NIK_FIELD, F.BIRTH_DATE, F.GENDER_FIELD, F.PHONE_FIELD, F.EMAIL_FIELD, F.OCCUPATION, F.CITY),
            "BPU", ("nik",), city="city",
            age_questions_default=True,
        ),
        Segment(
            "jakon",
            (F.PROJECT_OWNER, F.PU_NUMBER, F.PROJECT_NAME, F.PROJECT_CITY, F.PHONE_FIELD),
            "JAKON", ("pu_number", "project_name"), city="project_city",
            own_topics=frozenset({T.JAKON_BRANCHES}),
            adds={T.CHANNELS: (JAKARTA_BRANCHES, PREREQUISITE)},
        ),
        Segment(
            "pmi",
            # Passport and employment agreement are asked only at the stages whose documents include them.
            (F.FULL_NAME, F.NIK_FIELD, F.BIRTH_DATE, F.PHONE_FIELD, F.PMI_STAGE, F.DESTINATION, F.PASSPORT, F.EMPLOYMENT_AGREEMENT),
            "PMI", ("nik",),
        ),
        Segment(
            "perisai",
            F.PERISAI_REQUIREMENTS + (F.FULL_NAME, F.NIK_FIELD, F.PHONE_FIELD, F.PERISAI_OFFICE),
            "PERISAI", ("nik",),
            own_topics=frozenset({T.PERISAI_REQUIREMENTS, T.PERISAI_OFFICE}),
            answers_with={topic: T.PERISAI_REQUIREMENTS for topic in PERISAI_AGENT_TOPICS},
            adds={T.DEFINITION: (AGENT_REQUIREMENTS,)},
            follow_ups=(T.PERISAI_REQUIREMENTS, T.PERISAI_OFFICE),
            requirement_group="perisai_agent",
        ),
    )
}
KEYS: Tuple[str, ...] = tuple(SEGMENTS)  # in the order of the registration page
PERISAI_OFFICE_GROUP = "perisai_office"

# Triage: the answer to "are you paid wages by an employer?".
EMPLOYED_BY_SOMEONE = "pu"
WORKS_ALONE = "bpu"

# The answer whose last digits guard the status check, and how many of them. Every segment's form asks a
# mobile number, which the NIK (and so the date of birth it encodes) does not contain.
VERIFIER = "phone"
VERIFIER_DIGITS = 4


def segment(key: str) -> Segment:
    try:
        return SEGMENTS[key]
    except KeyError:
        raise ValueError(f"unknown segment {key!r}") from None


def owner_of_topic(topic: Optional[str]) -> Optional[str]:
    """The segment a topic belongs to alone (the Jakarta branches: Jakon), else None."""
    return next((s.key for s in SEGMENTS.values() if topic in s.own_topics), None)


def age_default() -> str:
    return next(s.key for s in SEGMENTS.values() if s.age_questions_default)


def verifier_digits(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[-VERIFIER_DIGITS:]
