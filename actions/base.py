"""Shared plumbing for actions: the user's language, the latest message, and safe execution."""

from __future__ import annotations

import logging
from abc import ABCMeta, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from tanya import messages
from tanya.answers.compose import Answer
from tanya.answers.dialogue import Turn
from tanya.forms import status_help
from tanya.knowledge import repository
from tanya.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

logger = logging.getLogger(__name__)


def user_language(tracker: Tracker) -> str:
    language = tracker.get_slot("language")
    return language if language in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def language_before_latest_message(tracker: Tracker) -> str:
    """The conversation's language before the latest message changed it (the slot's last value then)."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user" and not seen_user:
            seen_user = True
        elif seen_user and event.get("event") == "slot" and event.get("name") == "language":
            value = event.get("value")
            return value if value in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def say(dispatcher: CollectingDispatcher, name: str, language: str, /, buttons=None, **values: str) -> None:
    """Send catalogue message `name` (data/messages) in `language`, filled with `values`."""
    # `catalogue_message` names the template (for tests and logs); Rasa drops unknown keys on output.
    dispatcher.utter_message(**messages.render(name, language, extra_buttons=buttons, **values), catalogue_message=name)


def send(dispatcher: CollectingDispatcher, answer: Answer) -> None:
    """One answer, one message: its text with its buttons attached."""
    dispatcher.utter_message(text=answer.text, buttons=answer.buttons or None)


def changed_slots(tracker: Tracker, values: Dict[str, Any]) -> List[Dict[Text, Any]]:
    """SlotSet events for the values that differ from the slots' current ones: an unchanged slot
    written again on every turn only makes the stored conversation longer to read back."""
    return [SlotSet(name, value) for name, value in values.items() if tracker.get_slot(name) != value]


def latest_entities(tracker: Tracker) -> Dict[str, List[Any]]:
    """Entity name -> its values in the latest user message (in order, without repeats)."""
    entities: Dict[str, List[Any]] = {}
    for entity in tracker.latest_message.get("entities") or []:
        name, value = entity.get("entity"), entity.get("value")
        if name and value is not None and value not in entities.setdefault(name, []):
            entities[name].append(value)
    return entities


def latest_intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def latest_turn(tracker: Tracker) -> Turn:
    text = tracker.latest_message.get("text") or ""
    return Turn(latest_intent(tracker), latest_entities(tracker), len(text.split()), status_help.trouble_of(text))


def human_channels() -> Dict[str, str]:
    """The call center and the e-mail that messages name (data/knowledge/contacts.yml)."""
    knowledge = repository.current()
    found = {"call_center": knowledge.contact("phone"), "email": knowledge.contact("email")}
    return {name: contact.value if contact else "" for name, contact in found.items()}


class SafeAction(Action, metaclass=ABCMeta):
    """Never leaves the user without an answer: failures become a polite apology, logged for staff.

    Abstract, so the action server does not try to register it as an action of its own.
    """

    @abstractmethod
    def name(self) -> Text:
        raise NotImplementedError

    @abstractmethod
    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        raise NotImplementedError

    def on_failure(self, tracker: Tracker) -> List[Dict[Text, Any]]:
        """Events to return when the action failed (keep the conversation's state consistent)."""
        return []

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = user_language(tracker)
        try:
            return self.act(dispatcher, tracker, domain)
        except SQLAlchemyError:
            logger.exception("Knowledge database unavailable in %s", self.name())
            dispatcher.messages.clear()
            say(dispatcher, "knowledge_unavailable", language)
        except Exception:  # noqa: BLE001 - the user must still get an answer
            logger.exception("Action %s failed", self.name())
            dispatcher.messages.clear()
            say(dispatcher, "error_generic", language)
        return self.on_failure(tracker)
