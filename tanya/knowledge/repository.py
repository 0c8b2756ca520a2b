"""The knowledge the actions read: loaded from the database once per process, kept in memory, and
reloaded when the content's version changes (the loader stores one with every load).

`current()` costs one tiny query at most every few seconds; every question an action asks is then
answered from memory with the typed records of tanya.knowledge.schema, in page order.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from tanya.db import database_url, session_scope
from tanya.knowledge import models as m
from tanya.knowledge import schema as s

# How long a process trusts its copy before asking the database for the content's version again.
VERSION_CHECK_SECONDS = 5.0


class KnowledgeMissing(RuntimeError):
    """The database holds no knowledge: run the loader (the set-up does)."""


@dataclass(frozen=True)
class DocumentGroup:
    stage: Optional[s.PmiStage]
    documents: Tuple[s.Document, ...]


class Knowledge:
    """One consistent copy of the knowledge base, with the look-ups the answers need."""

    def __init__(self, content: s.Content, version: str) -> None:
        self.content = content
        self.version = version
        self._segments = {segment.key: segment for segment in content.segments}

    # -- segments ---------------------------------------------------------------------------------
    def segments(self) -> List[s.Segment]:
        return list(self.content.segments)

    def segment(self, key: Optional[str]) -> Optional[s.Segment]:
        return self._segments.get(key or "")

    # -- channels and documents -------------------------------------------------------------------
    def channel_groups(self, segment: str) -> List[s.ChannelGroup]:
        return [group for group in self.content.channel_groups if group.segment == segment]

    def stages(self) -> List[s.PmiStage]:
        return list(self.content.pmi_stages)

    def stage(self, key: Optional[str]) -> Optional[s.PmiStage]:
        return next((stage for stage in self.content.pmi_stages if stage.key == key), None)

    def document_groups(self, segment: str, stage: Optional[str] = None) -> List[DocumentGroup]:
        """One group per PMI stage (or only `stage`'s); other segments: one group without a stage, or none."""
        documents = [document for document in self.content.documents if document.segment == segment]
        staged = [document for document in documents if document.stage]
        if not staged:
            return [DocumentGroup(None, tuple(documents))] if documents else []
        return [
            DocumentGroup(item, tuple(d for d in staged if d.stage == item.key))
            for item in self.content.pmi_stages
            if (stage is None or item.key == stage) and any(d.stage == item.key for d in staged)
        ]

    def fields_asked_at_stage(self, stage: str) -> frozenset:
        """Pre-registration fields that a PMI stage's documents ask for (documents' `asks`)."""
        return frozenset(d.asks for d in self.content.documents if d.stage == stage and d.asks)

    # -- rules, notes, requirements ---------------------------------------------------------------
    def rules(self, segment: Optional[str] = None, topic: Optional[str] = None) -> List[s.EligibilityRule]:
        return [
            rule
            for rule in self.content.eligibility_rules
            if (segment is None or rule.segment == segment) and (topic is None or rule.topic == topic)
        ]

    def max_age(self, segment: str) -> Optional[int]:
        ages = [rule.max_age for rule in self.rules(segment, "age") if rule.max_age]
        return min(ages) if ages else None

    def notes(self, segment: str, topic: Optional[str] = None) -> List[s.Note]:
        return [n for n in self.content.notes if n.segment == segment and (topic is None or n.topic == topic)]

    def requirement_group(self, key: str) -> Optional[s.RequirementGroup]:
        return next((group for group in self.content.requirement_groups if group.key == key), None)

    def branches(self, segment: str, city: str) -> List[s.Branch]:
        return [b for b in self.content.branches if b.segment == segment and b.city.lower() == city.lower()]

    # -- people and words -------------------------------------------------------------------------
    def contacts(self) -> List[s.Contact]:
        return list(self.content.contacts)

    def contact(self, kind: str) -> Optional[s.Contact]:
        return next((contact for contact in self.content.contacts if contact.kind == kind), None)

    @property
    def service(self) -> s.ServiceInfo:
        return self.content.service

    def occupation(self, key: Optional[str]) -> Optional[s.Occupation]:
        return next((o for o in self.content.occupations if o.key == key), None)

    def country(self, key: Optional[str]) -> Optional[s.Country]:
        return next((c for c in self.content.countries if c.key == key), None)

    def outside_topic(self, key: Optional[str]) -> Optional[s.OutsideTopic]:
        return next((t for t in self.content.outside_topics if t.key == key), None)

    def person_label(self, key: Optional[str]) -> Optional[s.Text]:
        """How an answer names a person a message is about ("ayah Anda", "your father")."""
        cue = next((c for c in self.content.cues if c.kind == "person" and c.key == key), None)
        return cue.label if cue else None


def read_knowledge(session: Session) -> Knowledge:
    """Build a Knowledge from the database rows (raises KnowledgeMissing when nothing was loaded)."""
    version = session.execute(select(m.meta.c.version).where(m.meta.c.name == "content")).scalar()
    if version is None:
        raise KnowledgeMissing("the knowledge base is empty: run python -m tanya.knowledge.loader")
    sections: Dict[str, object] = {}
    for section, table in m.TABLES.items():
        rows = session.execute(select(table.c.data).order_by(table.c.position)).scalars().all()
        sections[section] = rows[0] if section == "service" and rows else rows
    if not sections.get("service"):
        sections.pop("service", None)
    return Knowledge(s.Content.parse_obj(sections), version)


_lock = threading.Lock()
_cache: Dict[str, Tuple[Knowledge, float]] = {}


def current(url: Optional[str] = None) -> Knowledge:
    """The knowledge of the configured database, from memory; re-read when its version changed."""
    url = url or database_url()
    now = time.monotonic()
    with _lock:
        cached = _cache.get(url)
        if cached and now - cached[1] < VERSION_CHECK_SECONDS:
            return cached[0]
    with session_scope(url) as session:
        version = session.execute(select(m.meta.c.version).where(m.meta.c.name == "content")).scalar()
        if cached and version == cached[0].version:
            knowledge = cached[0]
        else:
            knowledge = read_knowledge(session)
    with _lock:
        _cache[url] = (knowledge, now)
    return knowledge


def forget() -> None:
    """Drop every cached copy (tests that reload content in-process)."""
    with _lock:
        _cache.clear()
