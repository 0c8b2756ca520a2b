"""Shared plumbing for actions: the user's language, entities of the latest message, safe execution."""

from __future__ import annotations

import logging
from abc import ABCMeta, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from tanya import messages
from tanya.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

logger = logging.getLogger(__name__)


def user_language(tracker: Tracker) -> str:
    language = tracker.get_slot("language")
    return language if language in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def say(dispatcher: CollectingDispatcher, name: str, language: str, buttons=None, **values: str) -> None:
    """Send catalogue message `name` (data/messages) in `language`, filled with `values`."""
    # `catalogue_message` names the template (for tests and logs); Rasa drops unknown keys on output.
    dispatcher.utter_message(**messages.render(name, language, extra_buttons=buttons, **values), catalogue_message=name)


def latest_entities(tracker: Tracker) -> Dict[str, str]:
    """Entity name -> value for the latest user message (the last value wins)."""
    entities: Dict[str, str] = {}
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") and entity.get("value") is not None:
            entities[entity["entity"]] = str(entity["value"])
    return entities


def latest_intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


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

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = user_language(tracker)
        try:
            return self.act(dispatcher, tracker, domain)
        except SQLAlchemyError:
            logger.exception("Knowledge database unavailable in %s", self.name())
            dispatcher.messages.clear()
            say(dispatcher, "knowledge_unavailable", language)
            return []
        except Exception:  # noqa: BLE001 - the user must still get an answer
            logger.exception("Action %s failed", self.name())
            dispatcher.messages.clear()
            say(dispatcher, "error_generic", language)
            return []
