"""Answer a resolved question from the knowledge module, through YAML responses.

Each function reads facts in one short session, utters responses by name with the facts
rendered in the user's language, and returns the slot events that keep the conversation's context.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions import rendering
from actions.base import say
from actions.topics import (
    CHANNELS,
    DOCUMENTS,
    ELIGIBILITY,
    HOW_TO_REGISTER,
    JAKON_BRANCHES,
    PERISAI_OFFICE_REQUIREMENTS,
    PERISAI_REQUIREMENTS,
    SEGMENTS,
    Question,
)
from tanya.knowledge import repository as kb

PERISAI_AGENT_GROUP = "perisai_agent"
PERISAI_OFFICE_GROUP = "perisai_office"
FOREIGN_WORKER_TOPIC = "foreign_worker"


def segment_buttons(segments, language: str, intent: str = "inform") -> List[Dict[str, str]]:
    """One button per segment; the payload sets the segment entity for the given intent."""
    return [
        {
            "title": f"{segment.short_name.get(language)}: {segment.name.get(language)}",
            "payload": f'/{intent}{{"segment":"{segment.key}"}}',
        }
        for segment in segments
    ]


class Answerer:
    def __init__(
        self, dispatcher: CollectingDispatcher, session: Session, language: str, offer_more: bool = True
    ) -> None:
        self.dispatcher = dispatcher
        self.session = session
        self.language = language
        # Inside the pre-registration form the form's own question follows, not "anything else?".
        self.offer_more = offer_more

    def say(self, name: str, buttons=None, **values: str) -> None:
        say(self.dispatcher, name, self.language, buttons=buttons, **values)

    # -- entry point -------------------------------------------------------------------------
    def answer(self, question: Question) -> List[Dict[str, Any]]:
        question = self._segment_from_eligibility_topic(question)
        segment = kb.get_segment(self.session, question.segment) if question.segment else None
        if question.needs_segment or (question.segment and segment is None):
            return self.ask_segment(question.topic)  # none given, or one the NLU could not map to a segment
        handlers = {
            HOW_TO_REGISTER: self.how_to_register,
            DOCUMENTS: self.documents,
            CHANNELS: self.channels,
            ELIGIBILITY: self.eligibility,
            PERISAI_REQUIREMENTS: self.perisai_requirements,
            PERISAI_OFFICE_REQUIREMENTS: self.perisai_office_requirements,
            JAKON_BRANCHES: self.jakon_branches,
        }
        if question.topic == SEGMENTS:
            return self.segments()
        handlers[question.topic](segment, question)
        if self.offer_more:
            self.say("more_about_segment", **self._names(segment))
        return [SlotSet("topic", question.topic), SlotSet("segment", segment.key)]

    def _segment_from_eligibility_topic(self, question: Question) -> Question:
        """'Is there an age limit?' with no segment in context: the page has it for one segment only."""
        if question.segment or question.topic != ELIGIBILITY or not question.eligibility_topic:
            return question
        segments = {
            rule.segment_key for rule in kb.list_eligibility_rules(self.session, topic=question.eligibility_topic)
        }
        if len(segments) == 1:
            return Question(question.topic, segments.pop(), question.pmi_stage, question.eligibility_topic)
        return question

    def _names(self, segment) -> Dict[str, str]:
        return {
            "segment_name": segment.name.get(self.language),
            "segment_short": segment.short_name.get(self.language),
        }

    # -- asking back ----------------------------------------------------------------------------
    def ask_segment(self, topic: str) -> List[Dict[str, Any]]:
        buttons = segment_buttons(kb.list_segments(self.session), self.language)
        self.say("ask_segment", buttons=buttons)
        return [SlotSet("topic", topic)]

    # -- topics -----------------------------------------------------------------------------------
    def how_to_register(self, segment, question: Question) -> None:
        self.say(
            "segment_overview",
            summary=segment.summary.get(self.language),
            registrant=segment.registrant.get(self.language),
            **self._names(segment),
        )
        if segment.key == "perisai":
            self._requirements(PERISAI_AGENT_GROUP)
        self.channels(segment, question)
        self.documents(segment, question, say_when_none=False)
        if segment.key != "perisai":
            self._eligibility_rules(segment, question.eligibility_topic, say_when_none=False)
        self._notes(segment)

    def channels(self, segment, question: Question) -> None:
        groups = kb.list_channel_groups(self.session, segment.key)
        self.say(
            "channels",
            channels=rendering.channel_groups_text(groups, self.language),
            **self._names(segment),
        )
        if segment.key == "jakon":
            self._jakarta_branches(segment)

    def documents(self, segment, question: Question, say_when_none: bool = True) -> None:
        groups = kb.list_document_groups(self.session, segment.key, stage_key=question.pmi_stage)
        if not groups and question.pmi_stage:
            groups = kb.list_document_groups(self.session, segment.key)  # a stage we don't know: show all stages
        if groups:
            self.say(
                "documents",
                documents=rendering.document_groups_text(groups, self.language),
                **self._names(segment),
            )
            # PU's passport rule for foreign workers is a document requirement too.
            foreign = kb.list_eligibility_rules(self.session, segment.key, topic=FOREIGN_WORKER_TOPIC)
            if foreign and question.topic == DOCUMENTS:
                self._utter_rules(segment, foreign)
        elif say_when_none:
            self.say("no_documents_listed", **self._names(segment))

    def eligibility(self, segment, question: Question) -> None:
        self._eligibility_rules(segment, question.eligibility_topic, say_when_none=True)

    def perisai_requirements(self, segment, question: Question) -> None:
        self._requirements(PERISAI_AGENT_GROUP)
        self._notes(segment)

    def perisai_office_requirements(self, segment, question: Question) -> None:
        self._requirements(PERISAI_OFFICE_GROUP)
        self._notes(segment)

    def jakon_branches(self, segment, question: Question) -> None:
        self._jakarta_branches(segment)
        self._eligibility_rules(segment, None, say_when_none=False)

    def segments(self) -> List[Dict[str, Any]]:
        segments = kb.list_segments(self.session)
        self.say(
            "segment_list",
            segments=rendering.segments_text(segments, self.language),
            buttons=segment_buttons(segments, self.language, intent="ask_how_to_register"),
        )
        return [SlotSet("topic", HOW_TO_REGISTER)]

    # -- building blocks -----------------------------------------------------------------------
    def _eligibility_rules(self, segment, eligibility_topic: Optional[str], say_when_none: bool) -> None:
        rules = kb.list_eligibility_rules(self.session, segment.key)
        if eligibility_topic:
            matching = [rule for rule in rules if rule.topic == eligibility_topic]
            if not matching and say_when_none:
                self.say("eligibility_topic_not_stated", **self._names(segment))
                self._rules_elsewhere(eligibility_topic, exclude=segment.key)
                return
            rules = matching or rules
        if rules:
            self._utter_rules(segment, rules)
        elif say_when_none:
            self.say("no_eligibility_rules", **self._names(segment))

    def _rules_elsewhere(self, eligibility_topic: str, exclude: str) -> None:
        """Where the asked rule does exist (e.g. the age limit is BPU's), say so."""
        for key in sorted(
            {rule.segment_key for rule in kb.list_eligibility_rules(self.session, topic=eligibility_topic)} - {exclude}
        ):
            other = kb.get_segment(self.session, key)
            self._utter_rules(other, kb.list_eligibility_rules(self.session, key, topic=eligibility_topic))

    def _utter_rules(self, segment, rules) -> None:
        self.say(
            "eligibility",
            rules=rendering.texts_list((rule.text for rule in rules), self.language),
            **self._names(segment),
        )

    def _requirements(self, group_key: str) -> None:
        group = kb.get_requirement_group(self.session, group_key)
        if group.intro:
            self.say("knowledge_text", text=group.intro.get(self.language))
        self.say(
            "requirements",
            title=group.title.get(self.language),
            requirements=rendering.numbered_list(text.get(self.language) for text in group.requirements),
        )

    def _notes(self, segment) -> None:
        notes = kb.list_notes(self.session, segment.key)
        if notes:
            self.say(
                "segment_notes",
                notes=rendering.texts_list((note.text for note in notes), self.language),
            )

    def _jakarta_branches(self, segment) -> None:
        branches = kb.list_branches(self.session, segment.key)
        if branches:
            self.say("jakarta_branches", branches=rendering.branches_text(branches), **self._names(segment))
