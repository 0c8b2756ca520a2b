"""Counted events and locks of the limits, in the assistant's database (tables limit_event, limit_lock).

In the database, not in a process's memory, so one limit holds across every action server. Keys are
pseudonymous (tanya.limits.guards hashes every identity with TANYA_SECRET_KEY): the tables hold no
sender id, number or reference. On PostgreSQL a transaction that counts and then records takes an
advisory lock on its key first, so two instances cannot both take the last free place; SQLite has a
single writer anyway. Old rows are pruned as new ones are written, so the tables stay small without a job.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import Column, DateTime, Index, Integer, String, func, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()

KEY_LENGTH = 100


class LimitEvent(Base):
    __tablename__ = "limit_event"
    __table_args__ = (Index("ix_limit_event_key_at", "key", "at"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    key = Column(String(KEY_LENGTH), nullable=False)
    at = Column(DateTime(timezone=True), nullable=False)


class LimitLock(Base):
    __tablename__ = "limit_lock"

    key = Column(String(KEY_LENGTH), primary_key=True)
    until = Column(DateTime(timezone=True), nullable=False, index=True)


def serialise(session: Session, key: str) -> None:
    """Make concurrent transactions on `key` take turns (PostgreSQL; until this transaction ends)."""
    if session.get_bind().dialect.name == "postgresql":
        number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
        session.execute(select(func.pg_advisory_xact_lock(number)))


def count_since(session: Session, key: str, since: datetime) -> int:
    return session.query(func.count(LimitEvent.id)).filter(LimitEvent.key == key, LimitEvent.at >= since).scalar()


def record(session: Session, key: str, at: datetime, forget_before: datetime) -> None:
    """Count one event of `key` at `at`; its events older than `forget_before` no longer count anywhere."""
    session.query(LimitEvent).filter(LimitEvent.key == key, LimitEvent.at < forget_before).delete(synchronize_session=False)
    session.add(LimitEvent(key=key, at=at))
    session.flush()


def locked(session: Session, key: str, now: datetime) -> bool:
    # Compared in SQL: SQLite hands a stored time back without its time zone.
    return session.query(LimitLock.key).filter(LimitLock.key == key, LimitLock.until > now).first() is not None


def lock(session: Session, key: str, until: datetime, now: datetime) -> None:
    """Lock `key` until `until` (a later lock replaces it); expired locks of any key are dropped."""
    session.query(LimitLock).filter(LimitLock.until <= now).delete(synchronize_session=False)
    session.merge(LimitLock(key=key, until=until))
    session.flush()


def forget_before(session: Session, before: datetime) -> int:
    """Delete the events and locks that ended before `before`; returns how many rows went."""
    events = session.query(LimitEvent).filter(LimitEvent.at < before).delete(synchronize_session=False)
    locks = session.query(LimitLock).filter(LimitLock.until < before).delete(synchronize_session=False)
    return events + locks
