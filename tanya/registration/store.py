"""Pre-registrations stored through SQLAlchemy: personal data encrypted, found again by keyed hash only.

One row per (segment, registrant). The NIK, the phone and every other answer (the JSON payload) are
Fernet-encrypted; the registrant is recognised by a keyed hash of its identity answers
(tanya.segments) and a status check compares a keyed hash of the reference and the last
4 digits of the registered phone. The city stays in clear: it routes a pre-registration to a branch.

Failed status checks are counted by tanya.limits (in the database, so the limit holds across
instances) against the sender, never the reference: a sender that failed too often is locked, the right
answer included, while the reference's owner can still check from their own channel; too many failures
from everyone together pause every check for a short while.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Dict, List, Mapping, Optional

from sqlalchemy import Column, DateTime, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Session, declarative_base

from tanya.limits import guards
from tanya.registration import crypto
from tanya.segments import VERIFIER, verifier_digits
from tanya.segments import segment as policy

Base = declarative_base()

STATUS_SUBMITTED = "submitted"
# No 0/O or 1/I: references are read aloud and typed back.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENCE_RANDOM_LENGTH = 6
_REFERENCE_PARTS = re.compile(rf"([A-Z]{{2,8}})(\d{{4}})([A-Z0-9]{{{REFERENCE_RANDOM_LENGTH}}})")
_REFERENCE_SEPARATORS = re.compile(r"[\s\-_.\u2010-\u2015\u2212]+")
_MAX_REFERENCE_TRIES = 20
# Stored in their own encrypted columns (city in clear), so not repeated in the payload.
_OWN_COLUMNS = ("nik", "phone")
_NIK = re.compile(r"[0-9]{16}")


class PreRegistration(Base):
    __tablename__ = "reg_preregistration"
    __table_args__ = (UniqueConstraint("segment", "identity_hash", name="uq_reg_preregistration_segment_identity"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    reference = Column(String(32), nullable=False, unique=True)
    segment = Column(String(20), nullable=False, index=True)
    status = Column(String(20), nullable=False, default=STATUS_SUBMITTED)
    created_at = Column(DateTime(timezone=True), nullable=False)
    identity_hash = Column(String(64), nullable=False, index=True)
    nik_encrypted = Column(Text)
    phone_encrypted = Column(Text, nullable=False)
    status_hash = Column(String(64), nullable=False)
    city = Column(String(100), index=True)
    payload_encrypted = Column(Text, nullable=False)


@dataclass(frozen=True)
class SubmitResult:
    reference: str
    created: bool  # False: this registrant already pre-registered for the segment


@dataclass(frozen=True)
class StatusCheck:
    # "found" | "not_found" (wrong reference or digits: the same answer) | "locked" (this sender failed
    # too often) | "busy" (every check paused: too many failures from everyone)
    outcome: str
    status: Optional[str] = None


def normalise_reference(text: str) -> str:
    """'bpu 2026 7kq4m9', 'BPU–2026–7KQ4M9 ' -> 'BPU-2026-7KQ4M9'; anything else is only upper-cased."""
    compact = _REFERENCE_SEPARATORS.sub("", str(text or "")).upper()
    parts = _REFERENCE_PARTS.fullmatch(compact)
    return "-".join(parts.groups()) if parts else compact


def _new_reference(prefix: str, year: int) -> str:
    random_part = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_RANDOM_LENGTH))
    return f"{prefix}-{year}-{random_part}"


def _status_hash(reference: str, digits: str) -> str:
    return crypto.lookup_hash(f"status|{normalise_reference(reference)}|{digits}")


def identity_hash(segment: str, answers: Mapping[str, Any]) -> str:
    values = [str(answers.get(name) or "").strip() for name in policy(segment).identity]
    if not all(values):
        raise ValueError(f"a {segment} pre-registration needs {', '.join(policy(segment).identity)}")
    if policy(segment).identity == ("nik",):
        return crypto.lookup_hash(values[0])
    return crypto.lookup_hash("identity|" + "|".join(crypto.normalise_for_lookup(value) for value in values))


def _json_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in the payload")


def _existing_reference(session: Session, segment: str, identity: str) -> Optional[str]:
    return session.query(PreRegistration.reference).filter_by(segment=segment, identity_hash=identity).scalar()


def submit(session: Session, *, segment: str, answers: Mapping[str, Any], today: Optional[date] = None) -> SubmitResult:
    """Store a pre-registration once per (segment, identity); a repeat returns the first reference.

    `answers` uses the form's field names (nik, phone, birth_date, city, nib, ...), already validated:
    the NIK as 16 digits and the phone in E.164 where the segment asks them. Everything but the city
    is encrypted.
    """
    rules = policy(segment)
    answers = {key: value for key, value in answers.items() if value is not None}
    nik = answers.get("nik")
    if nik is not None and not _NIK.fullmatch(str(nik)):
        raise ValueError("answers['nik'] must be 16 digits (validate it with clean_nik first)")
    phone = str(answers.get(VERIFIER) or "")
    if len(verifier_digits(phone)) < 4:
        raise ValueError("a pre-registration needs the registrant's phone number")
    identity = identity_hash(segment, answers)
    existing = _existing_reference(session, segment, identity)
    if existing:
        return SubmitResult(existing, created=False)
    payload = {key: value for key, value in answers.items() if key not in _OWN_COLUMNS}
    city = " ".join(str(answers.get(rules.city) or "").split())[:100] or None if rules.city else None
    values = dict(
        segment=segment,
        status=STATUS_SUBMITTED,
        created_at=datetime.now(timezone.utc),
        identity_hash=identity,
        nik_encrypted=crypto.encrypt(str(nik)) if nik else None,
        phone_encrypted=crypto.encrypt(phone),
        city=city,
        payload_encrypted=crypto.encrypt(json.dumps(payload, default=_json_value, sort_keys=True)),
    )
    year = (today or date.today()).year
    for _ in range(_MAX_REFERENCE_TRIES):
        reference = _new_reference(rules.reference_prefix, year)
        row = {**values, "reference": reference, "status_hash": _status_hash(reference, verifier_digits(phone))}
        if _insert_unless_taken(session, row):
            return SubmitResult(reference, created=True)
        existing = _existing_reference(session, segment, identity)
        if existing:  # the same registrant, stored by a concurrent submission meanwhile
            return SubmitResult(existing, created=False)
        # Otherwise the random reference was already taken: draw again.
    raise RuntimeError("could not draw an unused reference")


def _insert_unless_taken(session: Session, values: Dict[str, Any]) -> bool:
    """Insert one row; False when a unique constraint (reference, or segment + identity) refuses it.

    INSERT ... ON CONFLICT DO NOTHING keeps a clash from aborting the caller's transaction, without
    a SAVEPOINT (which pysqlite turns into an early commit).
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # other databases: a clash raises IntegrityError instead
        session.add(PreRegistration(**values))
        session.flush()
        return True
    result = session.execute(insert(PreRegistration.__table__).values(**values).on_conflict_do_nothing())
    return result.rowcount == 1


def check_status(
    session: Session,
    *,
    reference: str,
    phone_digits: str,
    sender: str,
    rules: guards.StatusRules,
    now: Optional[datetime] = None,
) -> StatusCheck:
    """The status when the reference exists AND `phone_digits` are the last 4 digits of its phone.

    A wrong reference and wrong digits get the same answer, and count as one failure of `sender`.
    Refused ("locked" / "busy") before anything is compared while tanya.limits.guards says so.
    """
    now = now or datetime.now(timezone.utc)
    refusal = guards.status_refusal(session, sender, now)
    if refusal:
        return StatusCheck("locked" if refusal == guards.SENDER else "busy")
    normalised = normalise_reference(reference)
    row = session.query(PreRegistration).filter_by(reference=normalised).one_or_none()
    expected = _status_hash(normalised, phone_digits)  # computed either way: same work, same timing
    found = row is not None and hmac.compare_digest(row.status_hash, expected)
    if not found:
        guards.count_status_failure(session, sender, rules, now)
        return StatusCheck("not_found")
    return StatusCheck("found", row.status)


def export_rows(session: Session, segment: Optional[str] = None, city: Optional[str] = None) -> List[Dict[str, Any]]:
    """Every matching pre-registration, decrypted, oldest first (city matched case-insensitively)."""
    query = session.query(PreRegistration)
    if segment:
        query = query.filter(PreRegistration.segment == segment)
    if city and city.strip():
        query = query.filter(func.lower(PreRegistration.city) == " ".join(city.split()).lower())
    rows = []
    for row in query.order_by(PreRegistration.created_at, PreRegistration.id):
        payload = json.loads(crypto.decrypt(row.payload_encrypted))
        columns = {
            "reference": row.reference,
            "segment": row.segment,
            "status": row.status,
            "created_at": row.created_at.isoformat(),
            "city": row.city or "",
            "nik": crypto.decrypt(row.nik_encrypted) if row.nik_encrypted else "",
            "phone": crypto.decrypt(row.phone_encrypted) if row.phone_encrypted else "",
        }
        rows.append({**columns, **{key: value for key, value in payload.items() if key not in columns}})
    return rows
