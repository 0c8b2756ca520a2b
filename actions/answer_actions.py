"""Answer registration questions and their follow-ups from the knowledge module."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import Answerer
from actions.base import SafeAction, latest_entities, latest_intent, user_language
from actions.topics import resolve_question
from actions.triage import segment_for, triage
from tanya.db import session_scope


def _context(tracker: Tracker) -> Dict[str, Any]:
    return {"segment": tracker.get_slot("segment"), "topic": tracker.get_slot("topic")}


class ActionAnswerQuestion(SafeAction):
    def name(self) -> Text:
        return "action_answer_question"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        entities = latest_entities(tracker)
        question = resolve_question(latest_intent(tracker), entities, _context(tracker))
        language = user_language(tracker)
        with session_scope() as session:
            if "segment" not in entities and ("occupation" in entities or "country" in entities):
                # "saya driver gojek, gimana caranya daftar?": the occupation tells the segment.
                segment = segment_for(session, entities.get("occupation"), entities.get("country"))
                if segment:
                    question = replace(question, segment=segment)
            return Answerer(dispatcher, session, language).answer(question)


class ActionAnswerFollowup(SafeAction):
    """A bare follow-up: an occupation or a country means triage, anything else re-asks the last topic."""

    def name(self) -> Text:
        return "action_answer_followup"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        entities = latest_entities(tracker)
        language = user_language(tracker)
        with session_scope() as session:
            if ("occupation" in entities or "country" in entities) and "segment" not in entities:
                return triage(dispatcher, session, language, entities.get("occupation"), entities.get("country"))
            question = resolve_question("inform", entities, _context(tracker))
            return Answerer(dispatcher, session, language).answer(question)
