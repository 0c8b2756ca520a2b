"""Which Rasa conversation (channel, sender) is with which Chatwoot conversation, and in what state.

A row is written by the action server when a handoff opens (state "active") and closed by the Rasa
process when the agent resolves the desk conversation ("resolved"). Both processes share the knowledge
database (tanya.db), so the mapping survives restarts and holds across instances. The state changes
are single conditional UPDATEs, so two workers (or a retried webhook) never act twice on one change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, String, Text, select, update
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()

ACTIVE, RESOLVED = "active", "resolved"



class HandoffRow(Base):
    __tablename__ = "handoff_session"
    __table_args__ = (
        Index("ix_handoff_session_sender", "channel", "sender_id", "state"),
        Index("ix_handoff_session_conversation", "conversation_id", "state"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    channel = Column(String(40), nullable=False)
    sender_id = Column(String(200), nullable=False)
    conversation_id = Column(Integer, nullable=False)
    contact_id = Column(String(40), nullable=False)
    source_id = Column(String(80), nullable=False, index=True)
    language = Column(String(5), nullable=False)
    state = Column(String(10), nullable=False, default=ACTIVE)
    user_notified = Column(Boolean, nullable=False, default=False)  # the "passed to the agent" notice was sent
    created_at = Column(DateTime(timezone=True), nullable=False)
    resolved_at = Column(DateTime(timezone=True))


class OutboxRow(Base):
    """An agent's message for a channel that cannot push (REST), encrypted until it is delivered."""

    __tablename__ = "handoff_outbox"
    __table_args__ = (Index("ix_handoff_outbox_sender", "channel", "sender_id"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    channel = Column(String(40), nullable=False)
    sender_id = Column(String(200), nullable=False)
    text_encrypted = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False)


@dataclass(frozen=True)
class Handoff:
    id: int
    channel: str
    sender_id: str
    conversation_id: int
    source_id: str
    language: str
    user_notified: bool

    @classmethod
    def of(cls, row: HandoffRow) -> "Handoff":
        return cls(row.id, row.channel, row.sender_id, row.conversation_id, row.source_id, row.language, bool(row.user_notified))


def now() -> datetime:
    return datetime.now(timezone.utc)


def active_for(session: Session, channel: str, sender_id: str) -> Optional[Handoff]:
    row = session.execute(
        select(HandoffRow)
        .where(HandoffRow.channel == channel, HandoffRow.sender_id == sender_id, HandoffRow.state == ACTIVE)
        .order_by(HandoffRow.id.desc())
    ).scalars().first()
    return Handoff.of(row) if row else None


def active_by_conversation(session: Session, conversation_id: Optional[int], source_id: Optional[str] = None) -> Optional[Handoff]:
    """The active handoff of a desk conversation, by its id or else by the contact inbox's source id."""
    for condition in (
        HandoffRow.conversation_id == conversation_id if conversation_id is not None else None,
        HandoffRow.source_id == source_id if source_id else None,
    ):
        if condition is None:
            continue
        row = session.execute(
            select(HandoffRow).where(condition, HandoffRow.state == ACTIVE).order_by(HandoffRow.id.desc())
        ).scalars().first()
        if row:
            return Handoff.of(row)
    return None


def record_opened(
    session: Session, channel: str, sender_id: str, conversation_id: int, contact_id: str, source_id: str, language: str
) -> Handoff:
    row = HandoffRow(
        channel=channel,
        sender_id=sender_id,
        conversation_id=conversation_id,
        contact_id=str(contact_id),
        source_id=source_id,
        language=language,
        state=ACTIVE,
        user_notified=False,
        created_at=now(),
    )
    session.add(row)
    session.flush()
    return Handoff.of(row)


def claim_first_notice(session: Session, handoff_id: int) -> bool:
    """True exactly once per handoff: the caller sends the "passed to the agent" notice."""
    result = session.execute(
        update(HandoffRow)
        .where(HandoffRow.id == handoff_id, HandoffRow.user_notified.is_(False))
        .values(user_notified=True)
    )
    return result.rowcount == 1


def resolve(session: Session, handoff_id: int) -> bool:
    """True when this call closed the handoff (False: it was closed already)."""
    result = session.execute(
        update(HandoffRow)
        .where(HandoffRow.id == handoff_id, HandoffRow.state == ACTIVE)
        .values(state=RESOLVED, resolved_at=now())
    )
    return result.rowcount == 1
