"""The in-chat pre-registration: the form's turn-by-turn validation and what happens after it.

Thin adapters: the turn logic is tanya.forms.engine (pure), storage is tanya.registration.store,
texts are data/messages/registration.yml. Slots never hold a NIK or phone number in clear.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import rendering
from actions.answers import Answerer, segment_buttons
from actions.base import latest_entities, latest_intent, say, user_language
from actions.registration_rendering import edit_buttons, summary_text
from actions.topics import resolve_question
from tanya import messages
from tanya.db import session_scope
from tanya.forms import fields as F
from tanya.forms import status
from tanya.forms.engine import Say, TurnResult, UserTurn, Vault, handle_turn
from tanya.forms.knowledge_rules import load_rules
from tanya.forms.submission import submit_from_form
from tanya.knowledge import repository as kb
from tanya.registration import crypto, store

logger = logging.getLogger(__name__)

PERISAI_AGENT_GROUP = "perisai_agent"
# Unmet Perisai requirement -> what the user can do about it (requirement 3: register as BPU first).
PERISAI_REMEDY = {"reg_perisai_req_3": "remedy_perisai_bpu"}
DEFAULT_REMEDY = "remedy_visit_branch"
JAKON_PREREQUISITE_TOPIC = "prerequisite"


def vault() -> Vault:
    return Vault(encrypt=crypto.encrypt, decrypt=crypto.decrypt)


def user_turn(tracker: Tracker) -> UserTurn:
    message = tracker.latest_message or {}
    return UserTurn(
        text=message.get("text") or "",
        intent=latest_intent(tracker),
        confidence=float((message.get("intent") or {}).get("confidence") or 0.0),
        entities=latest_entities(tracker),
    )


def form_slots(tracker: Tracker) -> Dict[str, Any]:
    slots = {name: tracker.get_slot(name) for name in F.FORM_SLOTS}
    slots["segment"] = tracker.get_slot("segment")  # the conversation's context segment
    return slots


class ValidateRegistrationForm(Action):
    """Runs every turn of registration_form: validates the answer and asks the next question itself."""

    def name(self) -> Text:
        return "validate_registration_form"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = user_language(tracker)
        requested = tracker.get_slot("requested_slot")
        try:
            with session_scope() as session:
                rules = load_rules(session)
                slots = form_slots(tracker)
                result = handle_turn(slots, user_turn(tracker), rules, vault(), date.today(), requested)
                events = self._interrupt(dispatcher, tracker, session, language, result)
                slots.update(result.slots)
                for item in result.say:
                    self._say(dispatcher, session, language, item, slots, rules)
        except Exception:  # noqa: BLE001 - keep the form alive and the user informed
            logger.exception("Pre-registration turn failed")
            dispatcher.messages.clear()
            say(dispatcher, "error_generic", language)
            return [
                SlotSet(F.FAILURES_SLOT, tracker.get_slot(F.FAILURES_SLOT) or 0),
                SlotSet("requested_slot", requested),
            ]
        # At least one non-`requested_slot` SlotSet keeps Rasa from rejecting the form turn.
        events += [SlotSet(key, value) for key, value in result.slots.items()]
        events.append(SlotSet(F.FAILURES_SLOT, slots.get(F.FAILURES_SLOT) or 0))
        events.append(SlotSet("requested_slot", result.requested))
        return events

    @staticmethod
    def _interrupt(dispatcher, tracker, session, language: str, result: TurnResult) -> List[Dict[str, Any]]:
        """Answer a question asked in the middle of the form; the form then re-asks its question."""
        intent = result.interruption
        if not intent:
            return []
        if intent == "request_human":
            say(dispatcher, "handoff", language, contacts=rendering.contacts_text(kb.list_contacts(session), language))
            return []
        if intent == "switch_language":
            dispatcher.utter_message(response="utter_language_switched")
            return []
        if intent == "bot_challenge":
            dispatcher.utter_message(response="utter_iamabot")
            return []
        context = {"segment": tracker.get_slot("segment"), "topic": tracker.get_slot("topic")}
        question = resolve_question(intent, latest_entities(tracker), context)
        return Answerer(dispatcher, session, language, offer_more=False).answer(question)

    @staticmethod
    def _say(dispatcher, session, language: str, item: Say, slots: Dict[str, Any], rules) -> None:
        segment_key = slots.get(F.SEGMENT_SLOT) or item.values.get("segment")
        values: Dict[str, Any] = dict(item.values)
        buttons = None
        if segment_key:
            segment = kb.get_segment(session, segment_key)
            values.update(segment_name=segment.name.get(language), max_age=rules.max_age.get(segment_key) or "")
        if item.name.startswith("ask_reg_perisai_req_"):
            number = int(item.name.rsplit("_", 1)[1])
            group = kb.get_requirement_group(session, PERISAI_AGENT_GROUP)
            values["requirement"] = group.requirements[number - 1].get(language)
        if item.name == "registration_summary":
            stage_names = {s.key: s.name.get(language) for s in kb.list_pmi_stages(session)}
            values["summary"] = summary_text(segment_key, slots, rules, language, crypto.decrypt, stage_names)
        if item.buttons == F.SEGMENT_SLOT:
            buttons = segment_buttons(kb.list_segments(session), language, intent="request_registration")
        if item.buttons == F.EDIT_FIELD_SLOT:
            buttons = edit_buttons(segment_key, slots, rules, language)
        say(dispatcher, item.name, language, buttons=buttons, **values)


class ActionFinishRegistration(Action):
    """After the form: store a confirmed pre-registration, or explain a cancel, pause or unmet requirement."""

    def name(self) -> Text:
        return "action_finish_registration"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = user_language(tracker)
        slots = form_slots(tracker)
        outcome = slots.get(F.OUTCOME_SLOT)
        clear = [SlotSet(slot, None) for slot in F.FORM_SLOTS]
        try:
            with session_scope() as session:
                if outcome == "confirmed":
                    return clear + self._submit(dispatcher, session, language, slots)
                if outcome == "paused":
                    say(dispatcher, "registration_paused", language)
                    return [SlotSet(F.OUTCOME_SLOT, None), SlotSet(F.PENDING_SLOT, None), SlotSet(F.FAILURES_SLOT, 0)]
                if outcome == "blocked":
                    self._explain_block(dispatcher, session, language, slots.get(F.BLOCKED_SLOT))
                    return clear
                say(dispatcher, "registration_cancelled", language)
                return clear
        except Exception:  # noqa: BLE001 - never a silent non-answer
            logger.exception("Finishing the pre-registration failed")
            dispatcher.messages.clear()
            say(dispatcher, "error_generic", language)
            return [SlotSet(F.OUTCOME_SLOT, None), SlotSet(F.CONFIRM_SLOT, None)]

    @staticmethod
    def _submit(dispatcher, session, language: str, slots: Dict[str, Any]) -> List[Dict[str, Any]]:
        segment_key = slots[F.SEGMENT_SLOT]
        fields = {}
        for f in F.FIELDS_BY_SEGMENT[segment_key]:
            value = slots.get(f.slot)
            fields[f.slot[len("reg_") :]] = crypto.decrypt(value) if f.sensitive and value else value
        submitted = submit_from_form(session, segment_key, fields)
        segment = kb.get_segment(session, segment_key)
        name = "registration_submitted" if submitted.created else "registration_duplicate"
        say(dispatcher, name, language, reference=submitted.reference, segment_name=segment.name.get(language))
        stage = slots.get(F.PMI_STAGE.slot)
        groups = kb.list_document_groups(session, segment_key, stage_key=stage)
        if groups:
            say(
                dispatcher,
                "registration_next_documents",
                language,
                documents=rendering.document_groups_text(groups, language),
            )
        channels = kb.list_channel_groups(session, segment_key)
        say(
            dispatcher,
            "registration_next_channels",
            language,
            channels=rendering.channel_groups_text(channels, language),
        )
        return [SlotSet(F.REFERENCE_SLOT, submitted.reference)]

    @staticmethod
    def _explain_block(dispatcher, session, language: str, blocked: str) -> None:
        if blocked == F.PU_NUMBER.slot:
            rule = kb.list_eligibility_rules(session, "jakon", topic=JAKON_PREREQUISITE_TOPIC)[0]
            say(dispatcher, "registration_blocked_jakon", language, rule=rule.text.get(language))
            return
        number = int(blocked.rsplit("_", 1)[1])
        requirement = kb.get_requirement_group(session, PERISAI_AGENT_GROUP).requirements[number - 1]
        remedy = PERISAI_REMEDY.get(blocked, DEFAULT_REMEDY)
        rendered_remedy = messages.render(remedy, language)
        say(
            dispatcher,
            "registration_blocked_requirement",
            language,
            buttons=rendered_remedy.get("buttons"),
            requirement=requirement.get(language),
            remedy=rendered_remedy["text"],
        )


class ValidateStatusForm(Action):
    def name(self) -> Text:
        return "validate_status_form"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = user_language(tracker)
        slots = {name: tracker.get_slot(name) for name in status.STATUS_SLOTS}
        text = (tracker.latest_message or {}).get("text") or ""
        result = status.handle_status_turn(slots, text, tracker.get_slot("requested_slot"), date.today())
        for name in result.say:
            say(dispatcher, name, language)
        slots.update(result.slots)
        return [SlotSet(key, value) for key, value in slots.items()] + [SlotSet("requested_slot", result.requested)]


class ActionShowStatus(Action):
    """Show the status only when reference AND date of birth match; otherwise reveal nothing."""

    def name(self) -> Text:
        return "action_show_status"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = user_language(tracker)
        reference = tracker.get_slot(status.REFERENCE_SLOT)
        secret = tracker.get_slot(status.SECRET_SLOT)
        clear = [SlotSet(slot, None) for slot in status.STATUS_SLOTS]
        if not reference or not secret:
            return clear  # cancelled
        try:
            with session_scope() as session:
                found = store.check_status(session, reference, secret)
        except Exception:  # noqa: BLE001
            logger.exception("Status check failed")
            say(dispatcher, "error_generic", language)
            return clear
        if found is None:
            say(dispatcher, "status_not_found", language)
        else:
            say(
                dispatcher,
                "status_result",
                language,
                reference=reference,
                status=messages.text(f"status_{found}", language),
            )
        return clear
