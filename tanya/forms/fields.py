"""The fields a pre-registration can ask, and what kind of answer each takes.

Which fields each segment asks, in which order, is in tanya.segments (the order follows what the branch
office needs to act on a pre-registration); the rules that decide whether an answer is acceptable (age
limit, documents per PMI stage, Perisai requirements) come from the knowledge module at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional

# Field kinds: how an answer is parsed and validated (see tanya.forms.engine).
NAME, NIK, DATE, GENDER, PHONE, EMAIL, TEXT, YES_NO, STAGE, NUMBER, NIB, NPWP, CODE = (
    "name",
    "nik",
    "date",
    "gender",
    "phone",
    "email",
    "text",
    "yes_no",
    "stage",
    "number",
    "nib",
    "npwp",
    "code",
)


@dataclass(frozen=True)
class Field:
    slot: str
    kind: str
    # Stored encrypted in the slot. Every kind whose answers can hold 10 or more digits must be: the
    # tracker store masks such digit runs in clear slot values (tanya.privacy.masking), which would
    # corrupt a stored NIB or NPWP before the form is submitted.
    sensitive: bool = False
    optional: bool = False
    requirement: Optional[int] = None  # a yes/no on requirement number N of the segment's requirement list


F = Field
FULL_NAME = F("reg_full_name", NAME)
NIK_FIELD = F("reg_nik", NIK, sensitive=True)
BIRTH_DATE = F("reg_birth_date", DATE)
GENDER_FIELD = F("reg_gender", GENDER)
PHONE_FIELD = F("reg_phone", PHONE, sensitive=True)
EMAIL_FIELD = F("reg_email", EMAIL, optional=True)
OCCUPATION = F("reg_occupation", TEXT)
CITY = F("reg_city", TEXT)
PMI_STAGE = F("reg_pmi_stage", STAGE)
DESTINATION = F("reg_destination_country", TEXT)
PASSPORT = F("reg_passport_number", CODE, sensitive=True)
EMPLOYMENT_AGREEMENT = F("reg_employment_agreement", YES_NO)
COMPANY_NAME = F("reg_company_name", TEXT)
NIB_FIELD = F("reg_nib", NIB, sensitive=True)
NPWP_FIELD = F("reg_npwp", NPWP, sensitive=True)
CONTACT_NAME = F("reg_contact_name", NAME)
WORKER_COUNT = F("reg_worker_count", NUMBER)
FOREIGN_WORKERS = F("reg_foreign_workers", YES_NO)
PROJECT_OWNER = F("reg_project_owner", TEXT)
PU_NUMBER = F("reg_pu_number", CODE, sensitive=True)
PROJECT_NAME = F("reg_project_name", TEXT)
PROJECT_CITY = F("reg_project_city", TEXT)
PERISAI_REQUIREMENTS = tuple(F(f"reg_perisai_req_{n}", YES_NO, requirement=n) for n in range(1, 7))
PERISAI_OFFICE = F("reg_perisai_office", TEXT)

ALL_FIELDS: Dict[str, Field] = {
    f.slot: f
    for f in (FULL_NAME, NIK_FIELD, BIRTH_DATE, GENDER_FIELD, PHONE_FIELD, EMAIL_FIELD, OCCUPATION, CITY, PMI_STAGE,
              DESTINATION, PASSPORT, EMPLOYMENT_AGREEMENT, COMPANY_NAME, NIB_FIELD, NPWP_FIELD, CONTACT_NAME, WORKER_COUNT,
              FOREIGN_WORKERS, PROJECT_OWNER, PU_NUMBER, PROJECT_NAME, PROJECT_CITY, *PERISAI_REQUIREMENTS, PERISAI_OFFICE)
}

# Control slots of the form (not answers).
SEGMENT_SLOT = "reg_segment"
CONFIRM_SLOT = "reg_confirm"
EDIT_FIELD_SLOT = "reg_edit_field"
PENDING_SLOT = "reg_pending"  # "cancel" | "stuck" | "mismatch" while asking about cancelling, being stuck, a NIK disagreement
FAILURES_SLOT = "reg_failures"
# "confirmed" | "cancelled" | "paused" | "paused_goodbye" | "handoff" | "blocked"; after submitting:
# "submitted" | "duplicate" (the deflection numbers read these)
OUTCOME_SLOT = "reg_outcome"
BLOCKED_SLOT = "reg_blocked"  # which requirement stopped the registration
MISMATCH_SLOT = "reg_mismatch"  # {"field", "other", "value"}: a NIK disagreement waiting for the user

CONTROL_SLOTS = (
    SEGMENT_SLOT, CONFIRM_SLOT, EDIT_FIELD_SLOT, PENDING_SLOT, FAILURES_SLOT, OUTCOME_SLOT, BLOCKED_SLOT, MISMATCH_SLOT
)
FORM_SLOTS = tuple(ALL_FIELDS) + CONTROL_SLOTS
