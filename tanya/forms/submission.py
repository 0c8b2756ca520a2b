"""Turn a confirmed form into a stored pre-registration (identity for de-duplication, status verifier)."""

from __future__ import annotations

from datetime import date
from typing import Any, Dict, Optional

from sqlalchemy.orm import Session

from tanya.registration import store
from tanya.registration.validators import nik_birth_info

# What identifies the same registrant twice, per segment.
IDENTITY_FIELDS = {
    "bpu": ("nik",),
    "pmi": ("nik",),
    "perisai": ("nik",),
    "pu": ("nib",),
    "jakon": ("pu_number", "project_name"),
}
# Company registrations have no date of birth: "cek status" asks for the registered phone instead.
PHONE_VERIFIED_SEGMENTS = frozenset({"pu", "jakon"})
CITY_FIELDS = ("city", "project_city")


def status_verifier(segment: str, fields: Dict[str, Any], today: Optional[date] = None) -> str:
    if segment in PHONE_VERIFIED_SEGMENTS:
        return fields["phone"]
    if fields.get("birth_date"):
        return fields["birth_date"]
    born, _ = nik_birth_info(fields["nik"], today or date.today())  # Perisai: the date inside the NIK
    return born.isoformat()


def submit_from_form(session: Session, segment: str, fields: Dict[str, Any]) -> store.SubmitResult:
    """`fields`: the form's answers keyed without the reg_ prefix, NIK and phone already decrypted."""
    store.create_tables(session.get_bind())
    identity = "|".join(str(fields.get(name, "")).upper() for name in IDENTITY_FIELDS[segment])
    stored = {key: value for key, value in fields.items() if value is not None and not key.startswith("perisai_req")}
    return store.submit(
        session,
        segment,
        stored,
        identity=identity,
        verifier=status_verifier(segment, fields),
        nik=fields.get("nik"),
        phone=fields.get("phone"),
        city=next((fields[name] for name in CITY_FIELDS if fields.get(name)), None),
    )
