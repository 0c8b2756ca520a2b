"""The in-chat pre-registration: the form's turn-by-turn validation and what happens after it.

Thin adapters: the turn logic is tanya.forms.engine (pure), the re-check and storage are
tanya.forms.submission and tanya.registration.store, texts are data/messages/registration.yml.
Sensitive answers are sealed for this conversation (tanya.registration.crypto.seal): a ciphertext
copied from elsewhere is never decrypted here, and every answer is checked again before storing.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import (
    SafeAction,
    human_channels,
    language_before_latest_message,
    latest_entities,
    latest_intent,
    latest_turn,
    say,
    send,
    user_language,
)
from actions.registration_rendering import edit_buttons, summary_text
from actions.support_actions import hand_off
from tanya import messages, segments
from tanya.answers.compose import Composer
from tanya.answers.dialogue import Context, plan_turn
from tanya.db import session_scope
from tanya.forms import fields as F
from tanya.forms import status
from tanya.forms.engine import Say, TurnResult, handle_turn
from tanya.forms.inputs import UserTurn, Vault
from tanya.forms.knowledge_rules import load_rules
from tanya.forms.submission import submit_form
from tanya.knowledge import repository
from tanya.language import explicit_switch
from tanya.limits import guards
from tanya.registration import crypto, store
from tanya.settings import get_settings
from tanya.understanding.topics import STATUS_TOPIC

logger = logging.getLogger(__name__)

DEFAULT_REMEDY = "remedy_visit_branch"
JAKON_PREREQUISITE_TOPIC = "prerequisite"
# Form outcomes that only pause it (the answers are kept; "lanjut daftar" resumes).
PAUSE_MESSAGES = {
    "paused": "registration_paused",
    "paused_goodbye": "registration_paused_goodbye",
    "handoff": "registration_paused_handoff",
}


def conversation_vault(tracker: Tracker) -> Vault:
    return Vault(
        encrypt=lambda value: crypto.seal(value, tracker.sender_id),
        decrypt=lambda token: crypto.unseal(token, tracker.sender_id),
    )


def user_turn(tracker: Tracker) -> UserTurn:
    message = tracker.latest_message or {}
    entities = {name: values[0] for name, values in latest_entities(tracker).items() if values}
    return UserTurn(
        text=message.get("text") or "",
        intent=latest_intent(tracker),
        confidence=float((message.get("intent") or {}).get("confidence") or 0.0),
        entities=entities,
    )


def form_slots(tracker: Tracker) -> Dict[str, Any]:
    slots = {name: tracker.get_slot(name) for name in F.FORM_SLOTS}
    slots["segment"] = tracker.get_slot("segment")  # the conversation's context segment
    return slots


def untrusted_slots(slots: Dict[str, Any], vault: Vault) -> List[str]:
    """Sensitive slots whose value this conversation did not seal: they are dropped and asked again."""
    return [
        f.slot
        for f in F.ALL_FIELDS.values()
        if f.sensitive and slots.get(f.slot) is not None and vault.decrypt(slots[f.slot]) is None
    ]


def form_language(tracker: Tracker, turn: UserTurn, result: TurnResult):
    """An answer to a field ("Rizky Ramadhan", "Balikpapan") does not change the conversation's language;
    a question, an explicit request or the widget's toggle does (and so does the message starting the form)."""
    current = user_language(tracker)
    requested_switch = (tracker.latest_message.get("metadata") or {}).get("switch_language")
    answering = tracker.get_slot("requested_slot") in F.ALL_FIELDS
    if not answering or result.interruption or requested_switch or explicit_switch(turn.text):
        return current, []
    previous = language_before_latest_message(tracker)
    return previous, ([SlotSet("language", previous)] if previous != current else [])


class ValidateRegistrationForm(SafeAction):
    """Runs every turn of registration_form: validates the answer and asks the next question itself."""

    def name(self) -> Text:
        return "validate_registration_form"

    def on_failure(self, tracker: Tracker) -> List[Dict[Text, Any]]:
        # Keep the form alive on the same question.
        return [
            SlotSet(F.FAILURES_SLOT, tracker.get_slot(F.FAILURES_SLOT) or 0),
            SlotSet("requested_slot", tracker.get_slot("requested_slot")),
        ]

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        requested = tracker.get_slot("requested_slot")
        knowledge = repository.current()
        rules = load_rules(knowledge)
        vault = conversation_vault(tracker)
        slots = form_slots(tracker)
        events: List[Dict[str, Any]] = []
        for slot in untrusted_slots(slots, vault):
            slots[slot] = None
            events.append(SlotSet(slot, None))
        if requested is None:
            slots[F.OUTCOME_SLOT] = None  # a new form: forget how the last one ended
            events.append(SlotSet(F.OUTCOME_SLOT, None))
        turn = user_turn(tracker)
        result = handle_turn(slots, turn, rules, vault, date.today(), requested)
        language, language_events = form_language(tracker, turn, result)
        events += language_events
        composer = Composer(knowledge, language)
        events += self._interrupt(dispatcher, tracker, composer, result)
        slots.update(result.slots)
        for item in result.say:
            self._say(dispatcher, knowledge, composer, language, item, slots, rules, vault)
        # At least one non-`requested_slot` SlotSet keeps Rasa from rejecting the form turn.
        events += [SlotSet(key, value) for key, value in result.slots.items()]
        if result.slots.get(F.SEGMENT_SLOT):
            events.append(SlotSet("segment", result.slots[F.SEGMENT_SLOT]))  # the conversation's context too
        events.append(SlotSet(F.FAILURES_SLOT, slots.get(F.FAILURES_SLOT) or 0))
        events.append(SlotSet("requested_slot", result.requested))
        return events

    @staticmethod
    def _interrupt(dispatcher, tracker, composer: Composer, result: TurnResult) -> List[Dict[str, Any]]:
        """Answer a question asked in the middle of the form; the form then re-asks its question."""
        intent = result.interruption
        if not intent:
            return []
        if intent == "switch_language":
            dispatcher.utter_message(response="utter_language_switched")
            return []
        if intent == "bot_challenge":
            dispatcher.utter_message(response="utter_iamabot")
            return []
        segment = tracker.get_slot("segment") or tracker.get_slot(F.SEGMENT_SLOT)
        plan = plan_turn(latest_turn(tracker), Context(segment, tracker.get_slot("topic"), None))
        if plan.action == "outside":
            answer = composer.outside_topic(plan.question.outside_topic)
        elif plan.action == "answer_many":
            answer = composer.compose_many(plan.questions)  # "could I do it on a website? what's the address?"
        elif plan.action == "answer":
            answer = composer.compose(plan.question)
        else:
            return []  # not a question the form can answer in between: it simply asks again
        answer.buttons = []  # the form's own question (and its buttons) follows
        send(dispatcher, answer)
        return [SlotSet("topic", answer.topic)]

    @staticmethod
    def _say(dispatcher, knowledge, composer, language: str, item: Say, slots: Dict[str, Any], rules, vault) -> None:
        segment_key = slots.get(F.SEGMENT_SLOT) or item.values.get("segment")
        values: Dict[str, Any] = dict(item.values)
        buttons = None
        if segment_key:
            segment = knowledge.segment(segment_key)
            values.update(segment_name=segment.name.get(language), max_age=rules.max_age.get(segment_key) or "")
        asked = F.ALL_FIELDS.get(item.name[len("ask_"):]) if item.name.startswith("ask_") else None
        if asked is not None and asked.requirement and segment_key:
            group = knowledge.requirement_group(segments.segment(segment_key).requirement_group)
            values["requirement"] = group.requirements[asked.requirement - 1].text.get(language)
        if item.name == "registration_summary":
            stage_names = {s.key: s.name.get(language) for s in knowledge.stages()}
            values["summary"] = summary_text(segment_key, slots, rules, language, vault.decrypt, stage_names)
        if item.buttons == F.SEGMENT_SLOT:
            buttons = composer.segment_buttons("request_registration")
        if item.buttons == F.EDIT_FIELD_SLOT:
            buttons = edit_buttons(segment_key, slots, rules, language)
        say(dispatcher, item.name, language, buttons=buttons, **values)


class ActionFinishRegistration(SafeAction):
    """After the form: store a confirmed pre-registration, or explain a cancel, pause or unmet requirement."""

    def name(self) -> Text:
        return "action_finish_registration"

    def on_failure(self, tracker: Tracker) -> List[Dict[Text, Any]]:
        return [SlotSet(F.OUTCOME_SLOT, None), SlotSet(F.CONFIRM_SLOT, None)]

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = user_language(tracker)
        slots = form_slots(tracker)
        outcome = slots.get(F.OUTCOME_SLOT)
        clear = [SlotSet(slot, None) for slot in F.FORM_SLOTS]
        knowledge = repository.current()
        if outcome == "confirmed":
            return self._submit(dispatcher, tracker, knowledge, language, slots, clear)
        if outcome in PAUSE_MESSAGES:
            say(dispatcher, PAUSE_MESSAGES[outcome], language)
            kept = [SlotSet(F.OUTCOME_SLOT, outcome), SlotSet(F.PENDING_SLOT, None), SlotSet(F.FAILURES_SLOT, 0)]
            return kept + (hand_off(dispatcher, tracker) if outcome == "handoff" else [])
        if outcome == "blocked":
            self._explain_block(dispatcher, knowledge, language, slots.get(F.SEGMENT_SLOT), slots.get(F.BLOCKED_SLOT))
            return clear
        say(dispatcher, "registration_cancelled", language)
        return clear + [SlotSet(F.OUTCOME_SLOT, "cancelled")]

    @staticmethod
    def _submit(dispatcher, tracker, knowledge, language: str, slots: Dict[str, Any], clear) -> List[Dict[str, Any]]:
        segment_key = slots[F.SEGMENT_SLOT]
        rules = load_rules(knowledge)
        with session_scope() as session:
            submission = submit_form(session, segment_key, slots, rules, conversation_vault(tracker), date.today())
        if submission.problems:
            logger.warning("Pre-registration not stored: %d answers failed the check", len(submission.problems))
            labels = ", ".join(messages.text(f"field_{slot}", language) for slot in submission.problems if slot in F.ALL_FIELDS)
            say(dispatcher, "registration_check_failed", language, fields=labels or "-")
            return [SlotSet(slot, None) for slot in submission.problems] + [
                SlotSet(F.OUTCOME_SLOT, "paused"),
                SlotSet(F.CONFIRM_SLOT, None),
            ]
        segment = knowledge.segment(segment_key)
        composer = Composer(knowledge, language)
        name = "registration_submitted" if submission.result.created else "registration_duplicate"
        call_center = knowledge.contact("phone")
        stage = slots.get(F.PMI_STAGE.slot)
        documents = composer._document_names(segment_key, stage)
        channels = [composer._short(c) for g in knowledge.channel_groups(segment_key) for c in g.channels]
        text = "\n\n".join(
            part
            for part in (
                messages.text(
                    name, language, reference=submission.result.reference, segment_name=segment.name.get(language),
                    call_center=call_center.value if call_center else "",
                ),
                messages.text("registration_next_documents", language, documents="\n".join("• " + d for d in documents))
                if documents
                else "",
                messages.text("registration_next_channels", language, channels="\n".join("• " + c for c in channels)),
            )
            if part
        )
        dispatcher.utter_message(text=text)
        outcome = "submitted" if submission.result.created else "duplicate"
        return clear + [SlotSet(F.OUTCOME_SLOT, outcome)]

    @staticmethod
    def _explain_block(dispatcher, knowledge, language: str, segment_key: str, blocked: str) -> None:
        if blocked == F.PU_NUMBER.slot:
            rule = knowledge.rules("jakon", JAKON_PREREQUISITE_TOPIC)[0]
            say(dispatcher, "registration_blocked_jakon", language, rule=rule.text.get(language))
            return
        number = F.ALL_FIELDS[blocked].requirement
        requirement = knowledge.requirement_group(segments.segment(segment_key).requirement_group).requirements[number - 1]
        rendered_remedy = messages.render(requirement.remedy or DEFAULT_REMEDY, language)
        say(
            dispatcher,
            "registration_blocked_requirement",
            language,
            buttons=rendered_remedy.get("buttons"),
            requirement=requirement.text.get(language),
            remedy=rendered_remedy["text"],
        )


class ValidateStatusForm(Action):
    def name(self) -> Text:
        return "validate_status_form"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = user_language(tracker)
        slots = {name: tracker.get_slot(name) for name in status.STATUS_SLOTS}
        text = (tracker.latest_message or {}).get("text") or ""
        result = status.handle_status_turn(slots, text, tracker.get_slot("requested_slot"))
        for name in result.say:
            say(dispatcher, name, language, **human_channels())
        slots.update(result.slots)
        events = [SlotSet(key, value) for key, value in slots.items()] + [SlotSet("requested_slot", result.requested)]
        if any(name.startswith(status.HELP_PREFIX) for name in result.say):
            events.append(SlotSet("topic", STATUS_TOPIC))  # "ada cara lain?" next: still the status flow
        return events



class ActionShowStatus(SafeAction):
    """Show the status only when the reference AND the phone's last digits match; otherwise reveal nothing."""

    def name(self) -> Text:
        return "action_show_status"

    def on_failure(self, tracker: Tracker) -> List[Dict[Text, Any]]:
        return [SlotSet(slot, None) for slot in status.STATUS_SLOTS]

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = user_language(tracker)
        reference = tracker.get_slot(status.REFERENCE_SLOT)
        digits = tracker.get_slot(status.SECRET_SLOT)
        clear = [SlotSet(slot, None) for slot in status.STATUS_SLOTS]
        if not reference or not digits:
            return clear  # cancelled
        settings = get_settings()
        with session_scope() as session:
            check = store.check_status(
                session,
                reference=reference,
                phone_digits=str(digits),
                sender=tracker.sender_id,
                rules=guards.StatusRules.from_settings(settings),
            )
        if check.outcome == "found":
            say(dispatcher, "status_result", language, reference=reference, status=messages.text(f"status_{check.status}", language))
            return clear
        name = f"status_{check.outcome}" if check.outcome in ("locked", "busy") else "status_not_found"
        say(dispatcher, name, language, minutes=str(settings.status_pause_minutes),
            window=str(settings.status_window_minutes), **human_channels())
        # "trus harus gimana?" right after: the status flow's next step (tanya.answers.dialogue)
        return clear + [SlotSet("topic", STATUS_TOPIC)]
