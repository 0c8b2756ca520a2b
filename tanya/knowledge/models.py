"""SQLAlchemy models of the knowledge base. Table names start with kb_ so they never meet Rasa's tables."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Segment(Base):
    __tablename__ = "kb_segment"
    key = Column(String(40), primary_key=True)
    position = Column(Integer, nullable=False)
    name_id = Column(Text, nullable=False)
    name_en = Column(Text, nullable=False)
    short_name_id = Column(Text, nullable=False)
    short_name_en = Column(Text, nullable=False)
    summary_id = Column(Text, nullable=False)
    summary_en = Column(Text, nullable=False)
    registrant_id = Column(Text, nullable=False)
    registrant_en = Column(Text, nullable=False)


class ChannelGroup(Base):
    __tablename__ = "kb_channel_group"
    key = Column(String(60), primary_key=True)
    segment_key = Column(String(40), ForeignKey("kb_segment.key"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    label_id = Column(Text, nullable=False)
    label_en = Column(Text, nullable=False)


class Channel(Base):
    __tablename__ = "kb_channel"
    key = Column(String(60), primary_key=True)
    group_key = Column(String(60), ForeignKey("kb_channel_group.key"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    name_id = Column(Text, nullable=False)
    name_en = Column(Text, nullable=False)
    url = Column(Text)


class PmiStage(Base):
    __tablename__ = "kb_pmi_stage"
    key = Column(String(40), primary_key=True)
    position = Column(Integer, nullable=False)
    name_id = Column(Text, nullable=False)
    name_en = Column(Text, nullable=False)


class Document(Base):
    __tablename__ = "kb_document"
    key = Column(String(60), primary_key=True)
    segment_key = Column(String(40), ForeignKey("kb_segment.key"), nullable=False, index=True)
    stage_key = Column(String(40), ForeignKey("kb_pmi_stage.key"))
    position = Column(Integer, nullable=False)
    name_id = Column(Text, nullable=False)
    name_en = Column(Text, nullable=False)


class EligibilityRule(Base):
    __tablename__ = "kb_eligibility_rule"
    key = Column(String(60), primary_key=True)
    segment_key = Column(String(40), ForeignKey("kb_segment.key"), nullable=False, index=True)
    topic = Column(String(40), nullable=False)
    position = Column(Integer, nullable=False)
    max_age = Column(Integer)
    min_months = Column(Integer)
    text_id = Column(Text, nullable=False)
    text_en = Column(Text, nullable=False)


class Note(Base):
    __tablename__ = "kb_note"
    key = Column(String(60), primary_key=True)
    segment_key = Column(String(40), ForeignKey("kb_segment.key"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    text_id = Column(Text, nullable=False)
    text_en = Column(Text, nullable=False)


class RequirementGroup(Base):
    __tablename__ = "kb_requirement_group"
    key = Column(String(60), primary_key=True)
    title_id = Column(Text, nullable=False)
    title_en = Column(Text, nullable=False)
    intro_id = Column(Text)
    intro_en = Column(Text)


class Requirement(Base):
    __tablename__ = "kb_requirement"
    __table_args__ = (UniqueConstraint("group_key", "position"),)
    id = Column(Integer, primary_key=True, autoincrement=True)
    group_key = Column(String(60), ForeignKey("kb_requirement_group.key"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    text_id = Column(Text, nullable=False)
    text_en = Column(Text, nullable=False)


class Branch(Base):
    __tablename__ = "kb_branch"
    key = Column(String(60), primary_key=True)
    segment_key = Column(String(40), ForeignKey("kb_segment.key"), nullable=False, index=True)
    city = Column(String(80), nullable=False)
    position = Column(Integer, nullable=False)
    name = Column(Text, nullable=False)


class Contact(Base):
    __tablename__ = "kb_contact"
    key = Column(String(60), primary_key=True)
    position = Column(Integer, nullable=False)
    name_id = Column(Text, nullable=False)
    name_en = Column(Text, nullable=False)
    detail_id = Column(Text, nullable=False)
    detail_en = Column(Text, nullable=False)
    url = Column(Text)


class Occupation(Base):
    __tablename__ = "kb_occupation"
    key = Column(String(60), primary_key=True)
    segment_key = Column(String(40), ForeignKey("kb_segment.key"))
    position = Column(Integer, nullable=False)
    name_id = Column(Text, nullable=False)
    name_en = Column(Text, nullable=False)
    reason_id = Column(Text, nullable=False)
    reason_en = Column(Text, nullable=False)


# Children before parents, for deleting; parents before children, for inserting.
LOAD_ORDER = (
    Segment,
    PmiStage,
    ChannelGroup,
    Channel,
    Document,
    EligibilityRule,
    Note,
    RequirementGroup,
    Requirement,
    Branch,
    Contact,
    Occupation,
)
