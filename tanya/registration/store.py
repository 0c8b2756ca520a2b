"""Pre-registrations stored through SQLAlchemy: personal data encrypted, found again by keyed hash only.

One row per (segment, person or company). The NIK, the phone and every other answer (the JSON
payload) are Fernet-encrypted; the NIK is only ever compared through its keyed hash (nik_hash), and
"cek status" compares a keyed hash of the reference and the date of birth (birth_date_hash). The city
stays in clear: it routes a pre-registration to a branch office.

Identity, for idempotency: the NIK when the form collects one (BPU, PMI, Perisai), otherwise the
caller's `dedupe_key`, e.g. the company's NIB (PU) or PU number + project (Jakon).
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Dict, List, Mapping, Optional, Union

from sqlalchemy import Column, DateTime, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base

from tanya.registration import crypto
from tanya.registration.validators import nik_birth_info

Base = declarative_base()

STATUS_SUBMITTED = "submitted"
REFERENCE_PREFIX = {"bpu": "BPU", "pu": "PU", "jakon": "JAKON", "pmi": "PMI", "perisai": "PERISAI"}
# No 0/O or 1/I: references are read aloud and typed back.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENCE_RANDOM_LENGTH = 6
_REFERENCE_PARTS = re.compile(rf"([A-Z]{{2,8}})(\d{{4}})([A-Z0-9]{{{REFERENCE_RANDOM_LENGTH}}})")
_REFERENCE_SEPARATORS = re.compile(r"[\s\-_.\u2010-\u2015\u2212]+")
_MAX_REFERENCE_TRIES = 20
# Stored in their own encrypted columns (city in clear), so not repeated in the payload.
_OWN_COLUMNS = ("nik", "phone", "city")
_NIK = re.compile(r"[0-9]{16}")


class PreRegistration(Base):
    __tablename__ = "reg_preregistration"
    __table_args__ = (UniqueConstraint("segment", "nik_hash", name="uq_reg_preregistration_segment_nik_hash"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    reference = Column(String(32), nullable=False, unique=True)
    segment = Column(String(20), nullable=False, index=True)
    status = Column(String(20), nullable=False, default=STATUS_SUBMITTED)
    created_at = Column(DateTime(timezone=True), nullable=False)
    # Keyed hash of the NIK, or of the caller's dedupe_key where the form has no NIK (companies).
    nik_hash = Column(String(64), nullable=False, index=True)
    nik_encrypted = Column(Text)
    phone_encrypted = Column(Text)
    # Keyed hash of reference + ISO date of birth (companies: of reference + the caller's status_secret).
    birth_date_hash = Column(String(64), nullable=False)
    city = Column(String(100), index=True)
    payload_encrypted = Column(Text, nullable=False)


@dataclass(frozen=True)
class SubmitResult:
    reference: str
    created: bool  # False: this person/company already pre-registered for the segment


def create_tables(engine: Engine) -> None:
    """Create the reg_ tables if missing (idempotent)."""
    Base.metadata.create_all(engine)


def normalise_reference(text: str) -> str:
    """'bpu 2026 7kq4m9', 'BPU–2026–7KQ4M9 ' -> 'BPU-2026-7KQ4M9'; anything else is only upper-cased."""
    compact = _REFERENCE_SEPARATORS.sub("", str(text or "")).upper()
    parts = _REFERENCE_PARTS.fullmatch(compact)
    return "-".join(parts.groups()) if parts else compact


def _new_reference(segment: str, year: int) -> str:
    random_part = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_RANDOM_LENGTH))
    return f"{REFERENCE_PREFIX[segment]}-{year}-{random_part}"


def _status_secret(value: Union[date, str]) -> str:
    """A date of birth as ISO text; another secret (a company's phone) as given."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return text


def _birth_date_hash(reference: str, secret: Union[date, str]) -> str:
    return crypto.lookup_hash(f"{normalise_reference(reference)}|{_status_secret(secret)}")


def _identity_hash(nik: Optional[str], dedupe_key: Optional[str]) -> str:
    if nik:
        return crypto.lookup_hash(nik)
    if dedupe_key and str(dedupe_key).strip():
        # Own namespace: never equal to a NIK's hash.
        return crypto.lookup_hash(f"dedupe|{crypto.normalise_for_lookup(dedupe_key)}")
    raise ValueError("a pre-registration needs fields['nik'] or a dedupe_key")


def _json_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in the payload")


def _existing_reference(session: Session, segment: str, nik_hash: str) -> Optional[str]:
    return session.query(PreRegistration.reference).filter_by(segment=segment, nik_hash=nik_hash).scalar()


def submit(
    session: Session,
    segment: str,
    fields: Mapping[str, Any],
    dedupe_key: Optional[str] = None,
    *,
    status_secret: Optional[Union[date, str]] = None,
    city: Optional[str] = None,
    today: Optional[date] = None,
    identity: Optional[str] = None,
    verifier: Optional[Union[date, str]] = None,
    nik: Optional[str] = None,
    phone: Optional[str] = None,
) -> SubmitResult:
    """Store a pre-registration once per (segment, identity); a repeat returns the first reference.

    fields: every answer. "nik" (16 digits), "phone" (E.164) and "date_of_birth" (date or ISO text)
        where the segment collects them; "city" routes to a branch. All are encrypted except the city.
    dedupe_key: what identifies a registrant when fields has no NIK (PU: the NIB; Jakon: PU number +
        project); ignored when there is a NIK.
    status_secret: what "cek status" asks for when fields has no date of birth (companies: the phone).
        Default: fields["date_of_birth"], else the birth date inside the NIK.
    city: the branch-routing city when it is not fields["city"] (e.g. a project's city).
    today: the date whose year goes in the reference (default: today).
    identity, verifier, nik, phone: the older keyword names (tanya.forms.submission) for dedupe_key,
        status_secret, fields["nik"] and fields["phone"].
    """
    if segment not in REFERENCE_PREFIX:
        raise ValueError(f"unknown segment {segment!r}")
    answers = dict(fields)
    answers.update({key: value for key, value in (("nik", nik), ("phone", phone)) if value})
    nik_value = answers.get("nik") or None
    if nik_value is not None and not _NIK.fullmatch(str(nik_value)):
        raise ValueError("fields['nik'] must be 16 digits (validate it with clean_nik first)")
    today = today or date.today()
    secret = status_secret or verifier or answers.get("date_of_birth")
    if not secret and nik_value:
        secret = nik_birth_info(nik_value, today)[0]  # Perisai: the form does not ask the date again
    if not secret:
        raise ValueError("a pre-registration needs a date_of_birth (or NIK) or a status_secret")
    nik_hash = _identity_hash(nik_value, dedupe_key or identity)
    existing = _existing_reference(session, segment, nik_hash)
    if existing:
        return SubmitResult(existing, created=False)

    payload = {key: value for key, value in answers.items() if key not in _OWN_COLUMNS}
    phone_value = answers.get("phone") or None
    city_value = " ".join(str(city or answers.get("city") or "").split())[:100] or None  # column width
    values = dict(
        segment=segment,
        status=STATUS_SUBMITTED,
        created_at=datetime.now(timezone.utc),
        nik_hash=nik_hash,
        nik_encrypted=crypto.encrypt(nik_value) if nik_value else None,
        phone_encrypted=crypto.encrypt(str(phone_value)) if phone_value else None,
        city=city_value,
        payload_encrypted=crypto.encrypt(json.dumps(payload, default=_json_value, sort_keys=True)),
    )
    for _ in range(_MAX_REFERENCE_TRIES):
        reference = _new_reference(segment, today.year)
        if _insert_unless_taken(
            session, {**values, "reference": reference, "birth_date_hash": _birth_date_hash(reference, secret)}
        ):
            return SubmitResult(reference, created=True)
        existing = _existing_reference(session, segment, nik_hash)
        if existing:  # the same registrant, stored by a concurrent submission meanwhile
            return SubmitResult(existing, created=False)
        # Otherwise the random reference was already taken: draw again.
    raise RuntimeError("could not draw an unused reference")


def _insert_unless_taken(session: Session, values: Dict[str, Any]) -> bool:
    """Insert one row; False when a unique constraint (reference, or segment + nik_hash) refuses it.

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


def check_status(session: Session, reference: str, date_of_birth: Union[date, str]) -> Optional[str]:
    """The status when the reference exists AND the date of birth (companies: their status secret)
    matches; None otherwise, the same answer whichever was wrong."""
    normalised = normalise_reference(reference)
    row = session.query(PreRegistration).filter_by(reference=normalised).one_or_none()
    expected = _birth_date_hash(normalised, date_of_birth)  # computed either way: same work, same timing
    if row is None or not hmac.compare_digest(row.birth_date_hash, expected):
        return None
    return row.status


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
