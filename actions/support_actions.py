"""Hand-off to people and clarification when the assistant is unsure."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import rendering
from actions.base import SafeAction, say, user_language
from tanya import messages
from tanya.db import session_scope
from tanya.knowledge import repository as kb

# Intents worth offering as a clarification button (each has a label_<intent> message).
LABEL_PREFIX = "label_"
MAX_SUGGESTIONS = 3
DEFAULT_SUGGESTIONS = ("ask_how_to_register", "ask_segments", "ask_segment_fit")
HUMAN_INTENT = "request_human"


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


class ActionHandoff(SafeAction):
    def name(self) -> Text:
        return "action_handoff"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = user_language(tracker)
        with session_scope() as session:
            contacts = kb.list_contacts(session)
        say(dispatcher, "handoff", language, contacts=rendering.contacts_text(contacts, language))
        return []


class ActionClarify(SafeAction):
    """Low confidence: offer the likeliest topics as buttons instead of guessing."""

    def name(self) -> Text:
        return "action_clarify"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = user_language(tracker)
        offerable = {name[len(LABEL_PREFIX) :] for name in messages.load_catalogue() if name.startswith(LABEL_PREFIX)}
        intents = clarification_intents(tracker.latest_message.get("intent_ranking") or [], offerable)
        buttons = [
            {"title": messages.text(LABEL_PREFIX + intent, language), "payload": f"/{intent}"}
            for intent in intents + [HUMAN_INTENT]
        ]
        say(dispatcher, "clarify", language, buttons=buttons)
        return []
