"""One turn of the pre-registration form, as a pure function.

Given the form's slots and the user's message, decide: which slots change, which catalogue messages
to send, which slot to ask next (None when the form ends) and whether the message was a question to
answer before resuming. No I/O: knowledge-derived rules, encryption and "today" come in as arguments,
so every path is unit-testable. The action (actions/registration_actions.py) does the I/O.
This module is the turn's state machine only: how an answer of each field kind is read is in
tanya/forms/kinds.py, what counts as a command in tanya/forms/commands.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from tanya import segments
from tanya.forms import fields as F
from tanya.forms.commands import is_cancel, looks_like_question, mentions_any
from tanya.forms.inputs import Asked, Rules, UserTurn, Vault
from tanya.forms.kinds import KINDS
from tanya.registration import validators as V

MAX_FAILURES = 2  # the second failed answer explains what is expected and offers a way out (a person)
QUESTION_INTENT_PREFIX = "ask_"
# Intents that interrupt a form whatever the answer looks like (answered, then the form re-asks).
ALWAYS_INTERRUPT = frozenset({"switch_language", "bot_challenge"})
INTERRUPTION_CONFIDENCE = 0.6
# Acts that are never an answer to a field: asking for a person or saying goodbye pauses the form,
# thanks gets a "you're welcome" and the question again, a restart request asks to cancel first.
ACT_CONFIDENCE = 0.9
PAUSING_ACTS = {"request_human": "handoff", "goodbye": "paused_goodbye"}
CANCELLING_INTENTS = frozenset({"cancel_registration", "request_restart"})
# The NIK encodes the date of birth and the gender: when they disagree, the user says which is wrong.
MISMATCH_ERRORS = {"nik_dob_mismatch": "birth_date", "nik_gender_mismatch": "gender"}


@dataclass(frozen=True)
class Say:
    """A catalogue message (data/messages) with its values; `buttons` names a button set."""

    name: str
    values: Mapping[str, Any] = field(default_factory=dict)
    buttons: Optional[str] = None


@dataclass
class TurnResult:
    slots: Dict[str, Any] = field(default_factory=dict)
    say: List[Say] = field(default_factory=list)
    requested: Optional[str] = None
    interruption: Optional[str] = None  # intent to answer before the form resumes


# --------------------------------------------------------------------------------------------
# Planning: which fields are still missing


def plan(segment: str, slots: Mapping[str, Any], rules: Rules) -> Tuple[F.Field, ...]:
    """The fields this registration needs, given what is known so far (PMI depends on the stage)."""
    wanted = []
    stage = slots.get(F.PMI_STAGE.slot)
    for f in segments.segment(segment).form_fields:
        if f in (F.PASSPORT, F.EMPLOYMENT_AGREEMENT) and (not stage or f.slot not in rules.stage_fields.get(stage, ())):
            continue
        wanted.append(f)
    return tuple(wanted)


def next_missing(segment: str, slots: Mapping[str, Any], rules: Rules) -> Optional[F.Field]:
    return next((f for f in plan(segment, slots, rules) if slots.get(f.slot) is None), None)


def cleared_form() -> Dict[str, Any]:
    return {slot: None for slot in F.FORM_SLOTS}


# --------------------------------------------------------------------------------------------
# Validating one answer


def validate_answer(
    f: F.Field, turn: UserTurn, slots: Mapping[str, Any], segment: str, rules: Rules, vault: Vault, today: date
) -> V.Validation:
    """Read `turn` as the answer to `f` with its kind's parser (tanya/forms/kinds.py); the NIK, the date
    of birth and the gender are cross-checked there."""
    return KINDS[f.kind].parse(turn.text or "", Asked(turn, slots, segment, rules, vault, today))


# --------------------------------------------------------------------------------------------
# The turn


def _is_interruption(turn: UserTurn, requested: Optional[F.Field], answer_ok: bool) -> bool:
    """A question asked while the form waits for an answer (answered first, then the form resumes)."""
    if turn.intent in ALWAYS_INTERRUPT and turn.confidence >= INTERRUPTION_CONFIDENCE:
        return True
    if not turn.intent.startswith(QUESTION_INTENT_PREFIX) or turn.confidence < INTERRUPTION_CONFIDENCE:
        return False
    if looks_like_question(turn.text):
        return True
    # A confident question intent that is no valid choice ("dokumen PMI" when asked yes/no).
    return not answer_ok and requested is not None and KINDS[requested.kind].choice


def _ask(f_slot: str, result: TurnResult, slots: Mapping[str, Any]) -> TurnResult:
    result.requested = f_slot
    result.say.append(Say(f"ask_{f_slot}", buttons=f_slot))
    return result


def _ask_next_or_confirm(segment: str, slots: Dict[str, Any], rules: Rules, result: TurnResult) -> TurnResult:
    missing = next_missing(segment, slots, rules)
    if missing:
        return _ask(missing.slot, result, slots)
    result.requested = F.CONFIRM_SLOT
    result.say.append(Say("registration_summary", buttons=F.CONFIRM_SLOT))
    return result


def _blocked_by(f: F.Field, value: Any) -> Optional[str]:
    """A 'no' that ends the registration: an unmet Perisai requirement, or Jakon without PU registration."""
    if f in F.PERISAI_REQUIREMENTS and value is False:
        return f.slot
    return None


def handle_turn(
    slots: Mapping[str, Any], turn: UserTurn, rules: Rules, vault: Vault, today: date, requested: Optional[str]
) -> TurnResult:
    """Everything the form does with one user message."""
    state: Dict[str, Any] = dict(slots)
    result = TurnResult()
    failures = int(state.get(F.FAILURES_SLOT) or 0)

    def update(**changes: Any) -> None:
        state.update(changes)
        result.slots.update(changes)

    # 1. Which segment? (form just activated, or the segment question is pending)
    segment = state.get(F.SEGMENT_SLOT)
    if not segment:
        chosen = turn.entities.get("segment") or (None if requested == F.SEGMENT_SLOT else state.get("segment"))
        if chosen not in segments.SEGMENTS:
            if is_cancel(turn.text) or turn.intent == "cancel_registration":
                update(**{**cleared_form(), F.OUTCOME_SLOT: "cancelled"})
                return result
            return _ask(F.SEGMENT_SLOT, result, state)
        update(**{F.SEGMENT_SLOT: chosen, F.FAILURES_SLOT: 0})
        if requested is None or requested == F.SEGMENT_SLOT:
            result.say.append(Say("registration_intro", {"segment": chosen}))
            return _ask_next_or_confirm(chosen, state, rules, result)
        segment = chosen

    # 2. A pending "are you sure you want to cancel?" or "stuck after three tries" question.
    pending = state.get(F.PENDING_SLOT)
    if pending == "cancel":
        answer = _yes_no(turn)
        if answer is True:
            update(**{**cleared_form(), F.OUTCOME_SLOT: "cancelled"})
            return result
        if answer is False:
            update(**{F.PENDING_SLOT: None})
            result.say.append(Say("registration_resumed"))
            return _resume(segment, state, rules, result)
        return _ask_pending("cancel", result)
    if pending == "stuck":
        if turn.intent == "request_human":
            update(**{F.PENDING_SLOT: None, F.FAILURES_SLOT: 0, F.OUTCOME_SLOT: "handoff"})
            return result
        if turn.intent == "deny" or is_cancel(turn.text):
            update(**{F.PENDING_SLOT: None, F.FAILURES_SLOT: 0, F.OUTCOME_SLOT: "paused"})
            return result
        if _yes_no(turn) is True:
            update(**{F.PENDING_SLOT: None, F.FAILURES_SLOT: 0})
            return _resume(segment, state, rules, result)
        return _ask_pending("stuck", result)

    if pending == "mismatch":
        if is_cancel(turn.text) or turn.intent == "cancel_registration":
            update(**{F.PENDING_SLOT: "cancel"})
            return _ask_pending("cancel", result)
        return _mismatch_turn(turn, segment, state, rules, vault, today, update, result)

    # 3. Cancelling works at any point; asking for a person or saying goodbye pauses; thanks is no answer.
    if is_cancel(turn.text) or (turn.intent in CANCELLING_INTENTS and turn.confidence >= INTERRUPTION_CONFIDENCE):
        update(**{F.PENDING_SLOT: "cancel"})
        return _ask_pending("cancel", result)
    if turn.intent in PAUSING_ACTS and turn.confidence >= ACT_CONFIDENCE:
        update(**{F.OUTCOME_SLOT: PAUSING_ACTS[turn.intent], F.FAILURES_SLOT: 0})
        return result
    if turn.intent == "thank" and turn.confidence >= ACT_CONFIDENCE and requested:
        result.say.append(Say("registration_thanks"))
        if requested in (F.CONFIRM_SLOT, F.EDIT_FIELD_SLOT):
            return _confirmation_turn(requested, UserTurn(""), segment, state, rules, update, result)
        return _ask(requested, result, state)

    # 4. The confirmation summary and editing one field.
    if requested in (F.CONFIRM_SLOT, F.EDIT_FIELD_SLOT):
        return _confirmation_turn(requested, turn, segment, state, rules, update, result)

    # 5. An answer to the requested field, or a question asked in between.
    current = F.ALL_FIELDS.get(requested or "")
    if current is None:
        return _resume(segment, state, rules, result)
    if current == F.PU_NUMBER and _yes_no(turn) is False:
        # The page makes PU registration a condition for Jakon: no number, no Jakon registration.
        update(**{F.OUTCOME_SLOT: "blocked", F.BLOCKED_SLOT: current.slot})
        return result
    checked = validate_answer(current, turn, state, segment, rules, vault, today)
    if _is_interruption(turn, current, checked.error is None and not turn.text.startswith("/")):
        result.interruption = turn.intent
        return _ask(current.slot, result, state)
    if checked.error in MISMATCH_ERRORS:
        return _ask_mismatch(current, checked, vault, update, result)
    if checked.error:
        failures += 1
        result.say.append(Say(f"invalid_{checked.error}"))
        if failures >= MAX_FAILURES:
            update(**{F.FAILURES_SLOT: failures, F.PENDING_SLOT: "stuck"})
            return _ask_pending("stuck", result)
        update(**{F.FAILURES_SLOT: failures})
        return _ask(current.slot, result, state)

    value = checked.value
    if current.sensitive and value is not None:
        value = vault.encrypt(value)
    update(**{current.slot: value, F.FAILURES_SLOT: 0})
    blocked = _blocked_by(current, checked.value)
    if blocked:
        update(**{F.OUTCOME_SLOT: "blocked", F.BLOCKED_SLOT: blocked})
        return result
    return _ask_next_or_confirm(segment, state, rules, result)


def _confirmation_turn(
    requested: str,
    turn: UserTurn,
    segment: str,
    state: Dict[str, Any],
    rules: Rules,
    update: Callable[..., None],
    result: TurnResult,
) -> TurnResult:
    asked = [f.slot for f in plan(segment, state, rules)]
    chosen = turn.entities.get("form_field")
    wants_change = _yes_no(turn) is not True and _asks_to_change(turn, rules.edit_words)
    if chosen not in asked and wants_change:
        chosen = _wrong_field(turn, asked, rules.field_words)  # "ganti nomor hp", "change the email"
    if chosen in asked:
        return _start_edit(chosen, state, update, result)
    if requested == F.CONFIRM_SLOT:
        if wants_change or _yes_no(turn) is False:
            result.requested = F.EDIT_FIELD_SLOT
            result.say.append(Say("ask_reg_edit_field", buttons=F.EDIT_FIELD_SLOT))
            return result
        if _yes_no(turn) is True:
            update(**{F.OUTCOME_SLOT: "confirmed", F.CONFIRM_SLOT: True})
            return result
    if _is_interruption(turn, None, False):
        result.interruption = turn.intent
    result.requested = requested
    if requested == F.CONFIRM_SLOT:
        result.say.append(Say("registration_summary", buttons=F.CONFIRM_SLOT))
    else:
        result.say.append(Say("ask_reg_edit_field", buttons=F.EDIT_FIELD_SLOT))
    return result


def _yes_no(turn: UserTurn) -> Optional[bool]:
    if turn.intent in ("affirm", "deny") and (turn.text.startswith("/") or turn.confidence >= 0.8):
        return turn.intent == "affirm"
    checked = V.clean_yes_no(turn.text)
    return None if checked.error else checked.value


def _ask_pending(kind: str, result: TurnResult) -> TurnResult:
    result.requested = F.PENDING_SLOT
    result.say.append(Say(f"ask_registration_{kind}", buttons=f"pending_{kind}"))
    return result


def _resume(segment: str, state: Dict[str, Any], rules: Rules, result: TurnResult) -> TurnResult:
    return _ask_next_or_confirm(segment, state, rules, result)


def _start_edit(slot: str, state: Dict[str, Any], update: Callable[..., None], result: TurnResult) -> TurnResult:
    changes = {slot: None, F.CONFIRM_SLOT: None}
    if slot == F.PMI_STAGE.slot:  # a new stage may need other documents
        changes.update({F.PASSPORT.slot: None, F.EMPLOYMENT_AGREEMENT.slot: None})
    update(**changes)
    return _ask(slot, result, state)


def _mismatch_partner(field_slot: str, error: str) -> str:
    """The other field of a NIK disagreement: the date of birth or gender for the NIK, else the NIK."""
    if field_slot == F.NIK_FIELD.slot:
        return F.BIRTH_DATE.slot if MISMATCH_ERRORS[error] == "birth_date" else F.GENDER_FIELD.slot
    return F.NIK_FIELD.slot


def _ask_mismatch(current: F.Field, checked: V.Validation, vault: Vault, update, result: TurnResult) -> TurnResult:
    value = vault.encrypt(checked.value) if current.sensitive else checked.value
    other = _mismatch_partner(current.slot, checked.error)
    update(**{F.PENDING_SLOT: "mismatch", F.MISMATCH_SLOT: {"field": current.slot, "other": other, "value": value}})
    return _ask_mismatch_question(current.slot, other, result)


def _ask_mismatch_question(field_slot: str, other: str, result: TurnResult) -> TurnResult:
    kind = "gender" if F.GENDER_FIELD.slot in (field_slot, other) else "birth_date"
    result.requested = F.PENDING_SLOT
    result.say.append(Say(f"ask_registration_mismatch_{kind}"))
    return result


def _asks_to_change(turn: UserTurn, edit_words: Tuple[str, ...]) -> bool:
    return turn.intent == "edit_registration" or mentions_any(turn.text, edit_words)


def _wrong_field(turn: UserTurn, candidates, field_words: Mapping[str, Tuple[str, ...]]) -> Optional[str]:
    chosen = turn.entities.get("form_field")
    if chosen in candidates:
        return chosen
    named = [slot for slot in candidates if mentions_any(turn.text, field_words.get(slot, ()))]
    return named[0] if len(named) == 1 else None


def _mismatch_turn(turn, segment, state, rules, vault, today, update, result) -> TurnResult:
    """The user says which of the NIK and its partner is wrong (that one is asked again), or simply types
    a corrected value for either: a value consistent with the other field is taken at once."""
    record = state.get(F.MISMATCH_SLOT) or {}
    answered, other = record.get("field"), record.get("other")
    if not answered or not other:
        update(**{F.PENDING_SLOT: None, F.MISMATCH_SLOT: None})
        return _resume(segment, state, rules, result)
    corrected = _corrected_value(turn, answered, other, record.get("value"), segment, state, rules, vault, today)
    if corrected:
        update(**{**corrected, F.PENDING_SLOT: None, F.MISMATCH_SLOT: None, F.FAILURES_SLOT: 0})
        return _ask_next_or_confirm(segment, state, rules, result)
    wrong = _wrong_field(turn, (answered, other), rules.field_words)
    if wrong is None:
        failures = int(state.get(F.FAILURES_SLOT) or 0) + 1
        if failures >= MAX_FAILURES:  # never a loop: the same way out as any stuck field
            update(**{F.FAILURES_SLOT: failures, F.PENDING_SLOT: "stuck", F.MISMATCH_SLOT: None, answered: None})
            return _ask_pending("stuck", result)
        update(**{F.FAILURES_SLOT: failures})
        return _ask_mismatch_question(answered, other, result)
    changes = {F.PENDING_SLOT: None, F.MISMATCH_SLOT: None, F.FAILURES_SLOT: 0, wrong: None}
    if wrong == other:
        changes[answered] = record.get("value")  # the answer just given was right: keep it
    update(**changes)
    return _ask(wrong, result, state)


def _corrected_value(turn, answered, other, answered_value, segment, state, rules, vault, today) -> Dict[str, Any]:
    """Slot changes when `turn` is a valid new value for one of the two disagreeing fields, else {}."""
    if turn.text.startswith("/"):
        return {}
    # A new value for the field just answered, checked against the stored partner.
    checked = validate_answer(F.ALL_FIELDS[answered], turn, state, segment, rules, vault, today)
    if checked.error is None and checked.value is not None:
        return {answered: _stored(F.ALL_FIELDS[answered], checked.value, vault)}
    # A new value for the stored partner, checked against the answer just given.
    with_answer = {**state, answered: answered_value}
    checked = validate_answer(F.ALL_FIELDS[other], turn, with_answer, segment, rules, vault, today)
    if checked.error is None and checked.value is not None:
        return {answered: answered_value, other: _stored(F.ALL_FIELDS[other], checked.value, vault)}
    return {}


def _stored(f: F.Field, value: Any, vault: Vault) -> Any:
    return vault.encrypt(value) if f.sensitive else value
