"""Answer registration questions from the knowledge module (tanya.answers does the thinking)."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import SafeAction, changed_slots, human_channels, latest_turn, say, send, user_language
from tanya import messages
from tanya.answers.compose import Composer
from tanya.answers.dialogue import Context, plan_turn
from tanya.knowledge import repository

RATING_BUTTONS = (("👍", "up"), ("👎", "down"))


def rating_buttons() -> List[Dict[str, str]]:
    return [{"title": title, "payload": f'/rate_answer{{"rating":"{value}"}}'} for title, value in RATING_BUTTONS]


class ActionAnswerQuestion(SafeAction):
    """Every question about registration, a bare follow-up, or the answer to a pending question."""

    def name(self) -> Text:
        return "action_answer_question"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        knowledge = repository.current()
        turn = latest_turn(tracker)
        occupation = knowledge.occupation(turn.first("occupation"))
        context = Context(tracker.get_slot("segment"), tracker.get_slot("topic"), tracker.get_slot("pending"))
        plan = plan_turn(turn, context, occupation.segment if occupation else "unknown")
        if plan.action == "utter":
            say(dispatcher, plan.response, user_language(tracker), **human_channels())
            return changed_slots(tracker, {"pending": None})
        if plan.action == "respond":
            dispatcher.utter_message(response=plan.response)
            return changed_slots(tracker, {"pending": None})
        composer = Composer(knowledge, user_language(tracker))
        if plan.action == "answer_many":
            answer = composer.compose_many(plan.questions)
        elif plan.action == "ask_employment":
            answer = composer.ask_employment(plan.question)
        elif plan.action == "ask_work":
            answer = composer.ask_work(plan.question)
        elif plan.action == "outside":
            answer = composer.outside_topic(plan.question.outside_topic)
        else:
            answer = composer.compose(plan.question)
        answered = plan.action in ("answer", "answer_many") and answer.segment is not None or plan.action == "outside"
        if answered:
            answer.buttons = list(answer.buttons) + rating_buttons()
        send(dispatcher, answer)
        context_slots = {"pending": plan.pending, "topic": answer.topic}
        if answer.segment:
            context_slots["segment"] = answer.segment
        events = changed_slots(tracker, context_slots)
        if answered:  # every answer counts in the deflection numbers, a repeated one too
            events.append(SlotSet("answer_key", answer.key))
        return events


class ActionRateAnswer(SafeAction):
    """👍/👎 after an answer: stored as the `rating` slot (the deflection numbers count it)."""

    def name(self) -> Text:
        return "action_rate_answer"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        rating = next(
            (e.get("value") for e in tracker.latest_message.get("entities") or [] if e.get("entity") == "rating"), None
        )
        if rating not in ("up", "down"):
            rating = None
        language = user_language(tracker)
        dispatcher.utter_message(**messages.render("rating_thanks_" + (rating or "up"), language))
        return [SlotSet("rating", rating)]
