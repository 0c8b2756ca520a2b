"""Hand-off to people, clarification when the assistant is unsure, and a confirmed restart."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, Restarted
from rasa_sdk.executor import CollectingDispatcher

from actions.base import SafeAction, say, user_language
from tanya import messages
from tanya.answers.compose import Composer
from tanya.handoff import bridge, context_note
from tanya.knowledge import repository
from tanya.registration import crypto
from tanya.settings import get_settings

# Intents worth offering as a clarification button (each has a label_<intent> message).
LABEL_PREFIX = "label_"
MAX_SUGGESTIONS = 3
DEFAULT_SUGGESTIONS = ("ask_how_to_register", "ask_segments", "ask_segment_fit")
HUMAN_INTENT = "request_human"
CLARIFY = "action_clarify"
# Over a handoff limit (tanya.limits): the call center and e-mail, with why.
REFUSAL_MESSAGE = {bridge.Outcome.LIMITED_SENDER: "handoff_limited_sender", bridge.Outcome.LIMITED_BUSY: "handoff_limited_busy"}
SKIPPED_ACTIONS = frozenset({"action_listen", "action_extract_slots", "action_session_start"})


def clarification_intents(intent_ranking: List[Dict[str, Any]], offerable: set) -> List[str]:
    """The most likely offerable intents, best first; a generic set when none is offerable."""
    picked = []
    for candidate in intent_ranking or []:
        name = candidate.get("name")
        if name in offerable and name != HUMAN_INTENT and name not in picked:
            picked.append(name)
        if len(picked) == MAX_SUGGESTIONS:
            break
    return picked or [name for name in DEFAULT_SUGGESTIONS if name in offerable]


def previous_bot_action(events: List[Dict[str, Any]]) -> str:
    """The last action the assistant ran before the latest user message ("" if none)."""
    seen_user = False
    for event in reversed(events):
        if event.get("event") == "user":
            if seen_user:
                continue
            seen_user = True
            continue
        if seen_user and event.get("event") == "action" and event.get("name") not in SKIPPED_ACTIONS:
            return event.get("name") or ""
    return ""


def handoff_reason(tracker: Tracker, reason: Optional[str]) -> str:
    """Why a person is brought in, for the agent's note: given, else asked for, else the form was stuck."""
    if reason:
        return reason
    return "asked" if (tracker.latest_message.get("intent") or {}).get("name") == HUMAN_INTENT else "form_stuck"


def handoff_note(tracker: Tracker, language: str, reason: str) -> str:
    """The agent's context note; sealed form answers are opened for this conversation only, then masked."""
    note = context_note.NoteInput(
        events=list(tracker.events),
        slots=dict(tracker.slots),
        channel=tracker.get_latest_input_channel() or "",
        language=language,
        reason=reason,
        reveal=lambda token: crypto.unseal(token, tracker.sender_id),
    )
    return context_note.render(note, get_settings().chatwoot_note_language)


def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker, reason: Optional[str] = None) -> List[Dict[Text, Any]]:
    """Bring in a person: the one place that does it (asked for, failed twice, form stuck).

    With the agent desk configured and reachable, a desk conversation opens with the context and the
    Rasa conversation pauses (tanya.handoff); otherwise the user gets the call center and e-mail, and
    the conversation stays with the assistant.
    """
    language = user_language(tracker)
    composer = Composer(repository.current(), language)
    if not bridge.configured():
        say(dispatcher, "handoff", language, contacts=composer.contacts_text())
        return []
    request = bridge.HandoffRequest(
        channel=tracker.get_latest_input_channel() or "",
        sender_id=tracker.sender_id,
        language=language,
        note=handoff_note(tracker, language, handoff_reason(tracker, reason)),
    )
    outcome = bridge.open_handoff(request)
    if outcome is bridge.Outcome.OPENED:
        say(dispatcher, "handoff_opened", language, contacts=composer.contacts_text())  # the call center first
        return [ConversationPaused()]
    say(dispatcher, REFUSAL_MESSAGE.get(outcome, "handoff_unavailable"), language, contacts=composer.contacts_text())
    return []


class ActionHandoff(SafeAction):
    def name(self) -> Text:
        return "action_handoff"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return hand_off(dispatcher, tracker)


class ActionClarify(SafeAction):
    """Low confidence: offer the likeliest topics as buttons; a second failure in a row hands off."""

    def name(self) -> Text:
        return CLARIFY

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = user_language(tracker)
        if previous_bot_action(tracker.events) == CLARIFY:
            return hand_off(dispatcher, tracker, "not_understood")  # the second failure in a row: a person takes over
        offerable = {name[len(LABEL_PREFIX) :] for name in messages.load_catalogue() if name.startswith(LABEL_PREFIX)}
        intents = clarification_intents(tracker.latest_message.get("intent_ranking") or [], offerable)
        buttons = [
            {"title": messages.text(LABEL_PREFIX + intent, language), "payload": f"/{intent}"}
            for intent in intents + [HUMAN_INTENT]
        ]
        say(dispatcher, "clarify", language, buttons=buttons)
        return []


class ActionRestartConfirmed(SafeAction):
    """Restart only after the user confirmed it (typed "/restart" asks first: tanya.channels.inbound)."""

    def name(self) -> Text:
        return "action_restart_confirmed"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        say(dispatcher, "restarted", user_language(tracker))
        return [Restarted()]
