"""What a form answer is read with: the user's turn, the knowledge's rules, the conversation's vault, and
the one check several field kinds share (the NIK agrees with the date of birth and the gender).

Plain values and functions, no I/O: the engine (tanya/forms/engine.py), the field kinds
(tanya/forms/kinds.py) and the submission re-check (tanya/forms/submission.py) all use them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Mapping, Optional, Tuple

from tanya.forms import fields as F
from tanya.registration import validators as V


@dataclass(frozen=True)
class Rules:
    """What the knowledge module says, as far as the form needs it."""

    max_age: Mapping[str, Optional[int]]  # segment -> age that must not be reached (BPU: 60)
    stage_fields: Mapping[str, frozenset]  # PMI stage -> stage-dependent slots it needs (passport, agreement)
    stage_names: Mapping[str, str]  # plain-words stage name (id and en) -> stage key
    field_words: Mapping[str, Tuple[str, ...]] = field(default_factory=dict)  # slot -> words naming it
    edit_words: Tuple[str, ...] = ()  # words that ask to change an answer ("ganti", "wrong")


@dataclass(frozen=True)
class UserTurn:
    text: str
    intent: str = ""
    confidence: float = 1.0
    entities: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Vault:
    """Encryption of sensitive answers for this conversation; decrypt gives None for a value the form
    did not store in this conversation (it is then treated as missing)."""

    encrypt: Callable[[str], str]
    decrypt: Callable[[str], Optional[str]]


@dataclass(frozen=True)
class Asked:
    """Everything a field kind may read besides the text: the turn (intent, entities), the answers so far
    (sensitive ones sealed), the segment, the knowledge's rules, the vault and today."""

    turn: UserTurn
    slots: Mapping[str, Any]
    segment: str
    rules: Rules
    vault: Vault
    today: date

    def clear(self, slot: str) -> Optional[str]:
        """A sensitive answer given earlier in this conversation, decrypted (None when missing)."""
        token = self.slots.get(slot)
        return self.vault.decrypt(token) if token else None


@dataclass(frozen=True)
class Answers:
    """What the submission re-check reads: every answer of the form in clear, the segment, rules, today."""

    answers: Mapping[str, Any]
    segment: str
    rules: Rules
    today: date


def birth_date(iso: Any) -> Optional[date]:
    """A stored date of birth (ISO text) as a date, None when there is none or it is not a date."""
    try:
        return date.fromisoformat(iso) if isinstance(iso, str) else None
    except ValueError:
        return None


def consistent(nik: Optional[str], birth_iso: Optional[str], gender: Optional[str], ok: V.Validation) -> V.Validation:
    """`ok` unless the NIK disagrees with the date of birth or the gender (either may be unknown).

    On a disagreement the answer keeps its value: the user may say the other field is the wrong one.
    """
    if not nik or not birth_iso and not gender:
        return ok
    check = V.check_nik_consistency(nik, birth_date(birth_iso), gender)
    return V.Validation(ok.value, check.error) if check.error else ok


def nik_agrees(nik: str, answers: Mapping[str, Any]) -> bool:
    """The re-check's form of `consistent`: the NIK agrees with the stored date of birth and gender."""
    born = answers.get(F.BIRTH_DATE.slot)
    gender = answers.get(F.GENDER_FIELD.slot)
    return V.check_nik_consistency(nik, birth_date(born), gender).error is None
