"""Pre-registrations stored through SQLAlchemy: personal data encrypted, NIK found by keyed hash only.

A submission is idempotent per (segment, person or company): the same NIK (or, for companies and
projects, the same identifying numbers) and segment returns the existing reference.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Dict, List, Optional

from sqlalchemy import Column, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base

from tanya.registration import crypto

Base = declarative_base()

STATUS_SUBMITTED = "submitted"
REFERENCE_PREFIX = {"bpu": "BPU", "pu": "PU", "jakon": "JAKON", "pmi": "PMI", "perisai": "PERISAI"}
# No 0/O or 1/I: references are read over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENCE_RANDOM_LENGTH = 6


class PreRegistration(Base):
    __tablename__ = "reg_preregistration"
    __table_args__ = (UniqueConstraint("segment", "identity_hash"),)
    id = Column(Integer, primary_key=True, autoincrement=True)
    reference = Column(String(32), unique=True, nullable=False, index=True)
    segment = Column(String(20), nullable=False)
    status = Column(String(20), nullable=False, default=STATUS_SUBMITTED)
    created_at = Column(DateTime(timezone=True), nullable=False)
    identity_hash = Column(String(64), nullable=False, index=True)  # keyed hash of NIK or company numbers
    nik_encrypted = Column(Text)
    phone_encrypted = Column(Text)
    verifier_hash = Column(String(64), nullable=False)  # keyed hash of the secret asked by "cek status"
    city = Column(String(100))
    payload_encrypted = Column(Text, nullable=False)


@dataclass(frozen=True)
class SubmitResult:
    reference: str
    created: bool


def create_tables(engine: Engine) -> None:
    Base.metadata.create_all(engine)


def _new_reference(segment: str, today: date) -> str:
    random_part = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_RANDOM_LENGTH))
    return f"{REFERENCE_PREFIX[segment]}-{today.year}-{random_part}"


def normalise_reference(text: str) -> str:
    return "".join(str(text).split()).upper()


def _verifier(reference: str, secret: str) -> str:
    return crypto.lookup_hash(f"{normalise_reference(reference)}|{secret}")


def submit(
    session: Session,
    segment: str,
    fields: Dict[str, Any],
    identity: str,
    verifier: str,
    nik: Optional[str] = None,
    phone: Optional[str] = None,
    city: Optional[str] = None,
    today: Optional[date] = None,
) -> SubmitResult:
    """Store a pre-registration; `identity` de-duplicates, `verifier` (e.g. the ISO date of birth) guards status."""
    identity_hash = crypto.lookup_hash(f"{segment}|{identity}")
    existing = session.query(PreRegistration).filter_by(segment=segment, identity_hash=identity_hash).one_or_none()
    if existing:
        return SubmitResult(existing.reference, created=False)
    today = today or date.today()
    reference = _new_reference(segment, today)
    while session.query(PreRegistration.id).filter_by(reference=reference).first():
        reference = _new_reference(segment, today)
    session.add(
        PreRegistration(
            reference=reference,
            segment=segment,
            status=STATUS_SUBMITTED,
            created_at=datetime.now(timezone.utc),
            identity_hash=identity_hash,
            nik_encrypted=crypto.encrypt(nik) if nik else None,
            phone_encrypted=crypto.encrypt(phone) if phone else None,
            verifier_hash=_verifier(reference, verifier),
            city=city,
            payload_encrypted=crypto.encrypt(json.dumps(fields, default=str, sort_keys=True)),
        )
    )
    session.flush()
    return SubmitResult(reference, created=True)


def check_status(session: Session, reference: str, verifier: str) -> Optional[str]:
    """The status, only if reference AND verifier match; None otherwise (never says which was wrong)."""
    row = session.query(PreRegistration).filter_by(reference=normalise_reference(reference)).one_or_none()
    expected = _verifier(reference, verifier)
    if row is None or not secrets.compare_digest(row.verifier_hash, expected):
        return None
    return row.status


def export_rows(session: Session, segment: Optional[str] = None, city: Optional[str] = None) -> List[Dict[str, Any]]:
    query = session.query(PreRegistration)
    if segment:
        query = query.filter_by(segment=segment)
    rows = []
    for row in query.order_by(PreRegistration.created_at):
        if city and (row.city or "").lower() != city.lower():
            continue
        payload = json.loads(crypto.decrypt(row.payload_encrypted))
        rows.append(
            {
                "reference": row.reference,
                "segment": row.segment,
                "status": row.status,
                "created_at": row.created_at.isoformat(),
                "city": row.city or "",
                "nik": crypto.decrypt(row.nik_encrypted) if row.nik_encrypted else "",
                "phone": crypto.decrypt(row.phone_encrypted) if row.phone_encrypted else "",
                **{key: value for key, value in payload.items() if key not in ("nik", "phone")},
            }
        )
    return rows
