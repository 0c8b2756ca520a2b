"""Fill the `language` slot on every user message (custom slot mapping in domain.yml)."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from tanya.language import SUPPORTED_LANGUAGES, detect_language

# The website widget's ID/EN toggle sends this metadata with its switch message.
SWITCH_METADATA_KEY = "switch_language"


class ActionDetectLanguage(Action):
    def name(self) -> Text:
        return "action_detect_language"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        previous = tracker.get_slot("language")
        requested = (tracker.latest_message.get("metadata") or {}).get(SWITCH_METADATA_KEY)
        if requested in SUPPORTED_LANGUAGES:
            detected = requested
        else:
            detected = detect_language(tracker.latest_message.get("text") or "", previous=previous)
        return [SlotSet("language", detected)] if detected != previous else []
