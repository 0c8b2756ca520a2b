"""Agents' messages waiting for a channel that cannot push them (REST: the answer of the user's next POST).

Texts are encrypted at rest (an agent may write personal data) and deleted as they are handed over;
a row is delivered only by the call whose DELETE removed it, so two concurrent requests never both
show the same message.
"""

from __future__ import annotations

from typing import List

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tanya.handoff.sessions import OutboxRow, now
from tanya.registration import crypto


def put(session: Session, channel: str, sender_id: str, text: str) -> None:
    session.add(OutboxRow(channel=channel, sender_id=sender_id, text_encrypted=crypto.encrypt(text), created_at=now()))


def take(session: Session, channel: str, sender_id: str) -> List[str]:
    """The waiting texts for (channel, sender), oldest first, removed from the outbox."""
    rows = session.execute(
        select(OutboxRow).where(OutboxRow.channel == channel, OutboxRow.sender_id == sender_id).order_by(OutboxRow.id)
    ).scalars().all()
    texts = []
    for row in rows:
        if session.execute(delete(OutboxRow).where(OutboxRow.id == row.id)).rowcount == 1:
            texts.append(crypto.decrypt(row.text_encrypted))
    return texts
