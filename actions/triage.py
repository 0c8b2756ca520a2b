"""'Which segment fits me?': triage from the occupation (and a destination abroad) the user describes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.answers import segment_buttons
from actions.base import SafeAction, latest_entities, say, user_language
from actions.topics import HOW_TO_REGISTER
from tanya.db import session_scope
from tanya.knowledge import repository as kb

MIGRANT_SEGMENT = "pmi"


@dataclass(frozen=True)
class TriageDecision:
    segment_key: Optional[str]
    basis: str  # "abroad" | "occupation" | "unclear" | "unknown"


def decide_segment(
    occupation: Optional[kb.OccupationInfo], country: Optional[str], segment: Optional[str] = None
) -> TriageDecision:
    """Working abroad makes anyone a migrant worker; else a named segment ("saya TKI"), else the occupation."""
    if country:
        return TriageDecision(MIGRANT_SEGMENT, "abroad")
    if segment:
        return TriageDecision(segment, "segment")
    if occupation is None:
        return TriageDecision(None, "unknown")
    if occupation.segment_key is None:
        return TriageDecision(None, "unclear")
    return TriageDecision(occupation.segment_key, "occupation")


def segment_for(session: Session, occupation_key: Optional[str], country: Optional[str]) -> Optional[str]:
    """The segment an occupation (or work abroad) points to, when it is unambiguous."""
    occupation = kb.get_occupation(session, occupation_key) if occupation_key else None
    return decide_segment(occupation, country).segment_key


def triage(
    dispatcher: CollectingDispatcher,
    session: Session,
    language: str,
    occupation_key: Optional[str],
    country: Optional[str],
    segment_key: Optional[str] = None,
) -> List[Dict[str, Any]]:
    occupation = kb.get_occupation(session, occupation_key) if occupation_key else None
    decision = decide_segment(occupation, country, segment_key)
    if decision.segment_key is None:
        buttons = segment_buttons(kb.list_segments(session), language, intent="ask_how_to_register")
        if decision.basis == "unclear":
            say(
                dispatcher,
                "triage_unclear",
                language,
                buttons=buttons,
                occupation_name=occupation.name.get(language),
                reason=occupation.reason.get(language),
            )
        else:
            say(dispatcher, "ask_occupation", language, buttons=buttons)
        return [SlotSet("topic", HOW_TO_REGISTER)]

    segment = kb.get_segment(session, decision.segment_key)
    names = {"segment_name": segment.name.get(language), "segment_short": segment.short_name.get(language)}
    if decision.basis == "segment":
        say(dispatcher, "triage_segment", language, reason=segment.summary.get(language), **names)
    elif decision.basis == "abroad":
        say(dispatcher, "triage_abroad", language, country=country, reason=segment.summary.get(language), **names)
    else:
        say(
            dispatcher,
            "triage_result",
            language,
            occupation_name=occupation.name.get(language),
            reason=occupation.reason.get(language),
            **names,
        )
    say(dispatcher, "more_about_segment", language, **names)
    return [SlotSet("segment", segment.key), SlotSet("topic", HOW_TO_REGISTER)]


class ActionTriageSegment(SafeAction):
    def name(self) -> Text:
        return "action_triage_segment"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        entities = latest_entities(tracker)
        with session_scope() as session:
            return triage(
                dispatcher,
                session,
                user_language(tracker),
                entities.get("occupation"),
                entities.get("country"),
                entities.get("segment"),
            )
