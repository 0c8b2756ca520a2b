"""Read-only queries the actions use. Returns frozen dataclasses in page order, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Tuple

from sqlalchemy.orm import Session

from tanya.knowledge import models as m


@dataclass(frozen=True)
class Text:
    id: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.id


def _text(row, prefix: str) -> Text:
    return Text(getattr(row, f"{prefix}_id"), getattr(row, f"{prefix}_en"))


@dataclass(frozen=True)
class SegmentInfo:
    key: str
    name: Text
    short_name: Text
    summary: Text
    registrant: Text


@dataclass(frozen=True)
class ChannelInfo:
    key: str
    name: Text
    url: Optional[str]


@dataclass(frozen=True)
class ChannelGroup:
    key: str
    label: Text
    channels: Tuple[ChannelInfo, ...]


@dataclass(frozen=True)
class StageInfo:
    key: str
    name: Text


@dataclass(frozen=True)
class DocumentInfo:
    key: str
    name: Text


@dataclass(frozen=True)
class DocumentGroup:
    stage: Optional[StageInfo]
    documents: Tuple[DocumentInfo, ...]


@dataclass(frozen=True)
class EligibilityRule:
    key: str
    segment_key: str
    topic: str
    text: Text
    max_age: Optional[int]
    min_months: Optional[int]


@dataclass(frozen=True)
class NoteInfo:
    key: str
    text: Text


@dataclass(frozen=True)
class RequirementGroup:
    key: str
    title: Text
    intro: Optional[Text]
    requirements: Tuple[Text, ...]


@dataclass(frozen=True)
class BranchInfo:
    key: str
    name: str
    city: str


@dataclass(frozen=True)
class ContactInfo:
    key: str
    name: Text
    detail: Text
    url: Optional[str]


@dataclass(frozen=True)
class OccupationInfo:
    key: str
    name: Text
    segment_key: Optional[str]
    reason: Text


def _segment(row: m.Segment) -> SegmentInfo:
    return SegmentInfo(
        row.key, _text(row, "name"), _text(row, "short_name"), _text(row, "summary"), _text(row, "registrant")
    )


def list_segments(session: Session) -> List[SegmentInfo]:
    return [_segment(row) for row in session.query(m.Segment).order_by(m.Segment.position)]


def get_segment(session: Session, key: str) -> Optional[SegmentInfo]:
    row = session.get(m.Segment, key)
    return _segment(row) if row else None


def list_channel_groups(session: Session, segment_key: str) -> List[ChannelGroup]:
    groups = session.query(m.ChannelGroup).filter_by(segment_key=segment_key).order_by(m.ChannelGroup.position).all()
    result = []
    for group in groups:
        channels = session.query(m.Channel).filter_by(group_key=group.key).order_by(m.Channel.position)
        result.append(
            ChannelGroup(
                group.key, _text(group, "label"), tuple(ChannelInfo(c.key, _text(c, "name"), c.url) for c in channels)
            )
        )
    return result


def list_pmi_stages(session: Session) -> List[StageInfo]:
    return [StageInfo(row.key, _text(row, "name")) for row in session.query(m.PmiStage).order_by(m.PmiStage.position)]


def list_document_groups(session: Session, segment_key: str, stage_key: Optional[str] = None) -> List[DocumentGroup]:
    """One group per PMI stage (or only `stage_key`'s); other segments: one group without a stage, or none."""
    query = session.query(m.Document).filter_by(segment_key=segment_key)
    documents = query.order_by(m.Document.position).all()
    staged = [d for d in documents if d.stage_key]
    if not staged:
        unstaged = tuple(DocumentInfo(d.key, _text(d, "name")) for d in documents)
        return [DocumentGroup(None, unstaged)] if unstaged else []
    groups = []
    for stage in list_pmi_stages(session):
        if stage_key and stage.key != stage_key:
            continue
        items = tuple(DocumentInfo(d.key, _text(d, "name")) for d in staged if d.stage_key == stage.key)
        if items:
            groups.append(DocumentGroup(stage, items))
    return groups


def _rule(row: m.EligibilityRule) -> EligibilityRule:
    return EligibilityRule(row.key, row.segment_key, row.topic, _text(row, "text"), row.max_age, row.min_months)


def list_eligibility_rules(
    session: Session, segment_key: Optional[str] = None, topic: Optional[str] = None
) -> List[EligibilityRule]:
    query = session.query(m.EligibilityRule)
    if segment_key:
        query = query.filter_by(segment_key=segment_key)
    if topic:
        query = query.filter_by(topic=topic)
    return [_rule(row) for row in query.order_by(m.EligibilityRule.segment_key, m.EligibilityRule.position)]


def max_age(session: Session, segment_key: str) -> Optional[int]:
    """The age a participant of this segment must not have reached (BPU: 60), or None."""
    ages = [rule.max_age for rule in list_eligibility_rules(session, segment_key, topic="age") if rule.max_age]
    return min(ages) if ages else None


def list_notes(session: Session, segment_key: str) -> List[NoteInfo]:
    rows = session.query(m.Note).filter_by(segment_key=segment_key).order_by(m.Note.position)
    return [NoteInfo(row.key, _text(row, "text")) for row in rows]


def get_requirement_group(session: Session, key: str) -> Optional[RequirementGroup]:
    group = session.get(m.RequirementGroup, key)
    if group is None:
        return None
    items = session.query(m.Requirement).filter_by(group_key=key).order_by(m.Requirement.position)
    intro = _text(group, "intro") if group.intro_id else None
    return RequirementGroup(group.key, _text(group, "title"), intro, tuple(_text(row, "text") for row in items))


def list_branches(session: Session, segment_key: str = "jakon", city: str = "Jakarta") -> List[BranchInfo]:
    rows = session.query(m.Branch).filter_by(segment_key=segment_key, city=city).order_by(m.Branch.position)
    return [BranchInfo(row.key, row.name, row.city) for row in rows]


def list_contacts(session: Session) -> List[ContactInfo]:
    rows = session.query(m.Contact).order_by(m.Contact.position)
    return [ContactInfo(row.key, _text(row, "name"), _text(row, "detail"), row.url) for row in rows]


def _occupation(row: m.Occupation) -> OccupationInfo:
    return OccupationInfo(row.key, _text(row, "name"), row.segment_key, _text(row, "reason"))


def get_occupation(session: Session, key: str) -> Optional[OccupationInfo]:
    row = session.get(m.Occupation, key)
    return _occupation(row) if row else None


def list_occupations(session: Session) -> List[OccupationInfo]:
    return [_occupation(row) for row in session.query(m.Occupation).order_by(m.Occupation.position)]
