"""A prepared month of conversations, built from Rasa's own event classes, and the numbers it must give.

The events have the shapes the running assistant stores (checked against a real Rasa 3.6 server's
tracker database: the language slot right after the user message, the form's ActiveLoop and
requested_slot events, `reg_outcome`, the rating slot, the session start with copied slots). The
senders cover every case the deflection numbers distinguish: contained sessions (and a next session,
into which Rasa copies the slots), an explicit handoff with a paused conversation, a second
clarification in a row, a stuck form handed off, an abandoned form, a bot question left unanswered, a
paused form, a completed registration, a form still in progress, ratings, fallbacks with a language
switch and near-duplicate questions, an engaged session before the period and a sender who never wrote.
`write_tracker_database` stores them with Rasa's SQLTrackerStore, so the reader is tested on the real
storage format. The EXPECTED_* numbers below were counted by hand from these conversations.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Dict, List, Optional
from zoneinfo import ZoneInfo

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    ConversationPaused,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.slots import AnySlot
from rasa.shared.core.trackers import DialogueStateTracker

JAKARTA = ZoneInfo("Asia/Jakarta")
SINCE, UNTIL = "2026-11-30", "2026-12-02"
# The report's time: 30 minutes after the last conversation began (still open), a day or more after the others.
AS_OF = "2026-12-02T12:00:00+07:00"
NOW = datetime.fromisoformat(AS_OF).timestamp()
SLOT_NAMES = (
    "language", "answer_key", "rating", "pending", "topic", "segment",
    "reg_segment", "reg_outcome", "requested_slot", "reg_full_name",
)
NIK_QUESTION = "my card number 3273 0155 0101 0001 is blocked"
MASKED_NIK_QUESTION = "my card number **** **** **** 0001 is blocked"
PHONE_QUESTION = "tolong telepon saya di 0812-3456-7890"
RATE_UP, RATE_DOWN = '/rate_answer{"rating":"up"}', '/rate_answer{"rating":"down"}'


def local(moment: str) -> float:
    """Timestamp of a local (Asia/Jakarta) date and time, e.g. "2026-11-30 10:00"."""
    return datetime.fromisoformat(moment).replace(tzinfo=JAKARTA).timestamp()


class Conversation:
    """Events of one sender, one second apart, as Rasa logs them."""

    def __init__(self, sender_id: str, channel: str) -> None:
        self.sender_id, self.channel = sender_id, channel
        self.events: List[Event] = []
        self.clock = 0.0

    def _add(self, *events: Event) -> "Conversation":
        for event in events:
            event.timestamp = self.clock
            self.clock += 1
            self.events.append(event)
        return self

    def session_start(self, moment: str, carried: Optional[Dict[str, object]] = None) -> "Conversation":
        """Rasa's session start: carry_over_slots_to_new_session copies every slot set so far."""
        self.clock = local(moment)
        copies = [SlotSet(name, value) for name, value in (carried or {}).items()]
        return self._add(ActionExecuted("action_session_start"), SessionStarted(), *copies, ActionExecuted("action_listen"))

    def user(self, text: str, language: Optional[str] = None, intent: str = "inform") -> "Conversation":
        """A message, and the `language` slot the NLU's language entity fills from it."""
        self._add(UserUttered(text, {"name": intent, "confidence": 1.0}, input_channel=self.channel))
        return self._add(SlotSet("language", language)) if language else self

    def paused_user(self, text: str) -> "Conversation":
        """A message while the conversation is paused: stored, and nothing runs."""
        return self._add(UserUttered(text, {"name": "inform", "confidence": 1.0}, input_channel=self.channel))

    def bot(self, *events) -> "Conversation":
        """The bot's response: action names (str) and events, then action_listen."""
        return self._add(*(ActionExecuted(item) if isinstance(item, str) else item for item in events), ActionExecuted("action_listen"))

    def form_start(self, segment: str, first_field: str) -> "Conversation":
        return self.bot(
            "registration_form", ActiveLoop("registration_form"), SlotSet("reg_outcome", None),
            SlotSet("reg_segment", segment), SlotSet("requested_slot", first_field),
        )

    def form_asks(self, requested: Optional[str]) -> "Conversation":
        return self.bot("registration_form", SlotSet("requested_slot", requested))

    def form_ends(self, outcome: str, final_outcome: Optional[str] = None) -> "Conversation":
        """The form deactivates with `outcome`; action_finish_registration then records the final one."""
        return self.bot(
            "registration_form", SlotSet("reg_outcome", outcome), SlotSet("requested_slot", None), ActiveLoop(None),
            "action_finish_registration", SlotSet("reg_segment", None), SlotSet("reg_outcome", final_outcome or outcome),
        )


def conversations() -> List[Conversation]:
    contained = (
        Conversation("contained-1", "rest")
        .session_start("2026-11-30 10:00")
        .user("apa syarat daftar BPU?", "id", intent="ask_documents")
        .bot("action_answer_question", SlotSet("pending", None), SlotSet("topic", "requirements"), SlotSet("answer_key", "requirements:bpu"))
        .user(RATE_UP, intent="rate_answer")
        .bot("action_rate_answer", SlotSet("rating", "up"))
        # Next day: a new session, with the slots copied in (not new answers or ratings).
        .session_start("2026-12-01 09:00", {"language": "id", "answer_key": "requirements:bpu", "rating": "up"})
        .user("terima kasih", "id", intent="thank")
        .bot("utter_you_are_welcome")
    )
    handoff = (
        Conversation("handoff-1", "socketio")
        .session_start("2026-11-30 14:00")
        .user(NIK_QUESTION, "en", intent="nlu_fallback")
        .bot("action_clarify")
        .user("I want to talk to a person", "en", intent="request_human")
        .bot("action_handoff", ConversationPaused())
        .paused_user("hello, is anyone there?")  # for the agent: not a turn of the assistant
    )
    fallbacks = (
        # 06:00 in Jakarta is still the previous day in UTC: the day must be the local one.
        Conversation("fallback-1", "telegram")
        .session_start("2026-12-01 06:00")
        .user("berapa harga emas hari ini?", "id", intent="out_of_scope")
        .bot("utter_out_of_scope")
        .user("Berapa  harga emas hari ini", "id", intent="out_of_scope")
        .bot("utter_out_of_scope")
        .user("how do I claim my JHT?", "en", intent="ask_outside_topic")
        .bot("action_answer_question", SlotSet("topic", "outside"), SlotSet("answer_key", "outside:-"))
        .user(RATE_DOWN, intent="rate_answer")
        .bot("action_rate_answer", SlotSet("rating", "down"))
        .user("thanks", "en", intent="thank")
        .bot("utter_you_are_welcome")
    )
    clarified_twice = (
        Conversation("clarify-1", "whatsapp")
        .session_start("2026-12-01 07:00")
        .user("berapa harga emas hr ini", "id", intent="nlu_fallback")
        .bot("action_clarify")
        .user("zzkq vrrp", "id", intent="nlu_fallback")
        .bot("action_clarify")  # the second clarification in a row: it hands off
    )
    abandoned = (
        Conversation("abandoned-1", "whatsapp")
        .session_start("2026-12-01 08:00")
        .user("mau daftar", "id", intent="request_registration")
        .form_start("bpu", "reg_full_name")
        .user("Budi Santoso", "id")
        .bot("registration_form", SlotSet("reg_full_name", "Budi Santoso"), SlotSet("requested_slot", "reg_nik"))
    )
    registered = (
        Conversation("registered-1", "rest")
        .session_start("2026-12-01 10:00")
        .user("what documents does a migrant worker need?", "en", intent="ask_documents")
        .bot("action_answer_question", SlotSet("answer_key", "documents:pmi"))
        .user("register me as a migrant worker", "en", intent="request_registration")
        .form_start("pmi", "reg_full_name")
        .user("Siti Aminah")
        .form_asks("reg_nik")
        .user("3273015501010001")
        .form_asks("reg_phone")
        .user("081234567890")
        .form_asks("reg_confirm")
        .user("yes", "en", intent="affirm")
        .form_ends("confirmed", "submitted")
    )
    question_left = (
        Conversation("pending-1", "rest")
        .session_start("2026-12-01 11:00")
        .user("cara daftar gimana?", "id", intent="ask_how_to_register")
        .bot("action_answer_question", SlotSet("pending", {"kind": "segment_choice", "topic": "how_to_register", "asked": 1}))
    )
    paused_form = (
        Conversation("paused-form-1", "socketio")
        .session_start("2026-12-01 12:00")
        .user("saya mau daftar PU", "id", intent="request_registration")
        .form_start("pu", "reg_company_name")
        .user("nanti saja", "id")
        .form_ends("paused")
    )
    stuck_form = (
        Conversation("stuck-form-1", "rest")
        .session_start("2026-12-01 13:00")
        .user("daftar BPU", "id", intent="request_registration")
        .form_start("bpu", "reg_full_name")
        .user("x")
        .form_asks("reg_full_name")
        .user(PHONE_QUESTION, "id")  # not a fallback turn: the form answered it
        .form_ends("handoff")
    )
    open_form = (
        Conversation("open-1", "rest")
        .session_start("2026-12-02 11:30")
        .user("mau daftar bpu", "id", intent="request_registration")
        .form_start("bpu", "reg_full_name")
    )
    before_period = (
        Conversation("early-1", "rest")
        .session_start("2026-11-20 09:00")
        .user("apakah bisa bayar pakai kartu kredit", "id", intent="nlu_fallback")
        .bot("action_clarify")
    )
    silent = Conversation("silent-1", "rest").session_start("2026-12-01 11:00")  # opened the widget, never wrote
    return [
        contained, handoff, fallbacks, clarified_twice, abandoned, registered, question_left, paused_form,
        stuck_form, open_form, before_period, silent,
    ]


def event_dicts() -> Dict[str, List[dict]]:
    """Sender id -> events as Rasa stores them (Event.as_dict())."""
    return {c.sender_id: [event.as_dict() for event in c.events] for c in conversations()}


def write_tracker_database(url: str) -> None:
    """Store every conversation with Rasa's own SQLTrackerStore (creates the `events` table)."""
    store = SQLTrackerStore(host=url)
    slots = [AnySlot(name, mappings=[]) for name in SLOT_NAMES]
    try:
        for conversation in conversations():
            tracker = DialogueStateTracker.from_events(conversation.sender_id, conversation.events, slots=slots)
            asyncio.run(store.save(tracker))
    finally:
        store.engine.dispose()


def rate(numerator, denominator):
    return round(numerator / denominator, 4) if denominator else 0.0


def numbers(sessions, contained, handoffs, abandoned, user_turns, fallback_turns, agent_messages=0, answers=0, up=0, down=0):
    """A row of counts with its rates, computed here independently of tanya.analytics.metrics."""
    rated = up + down
    return {
        "sessions": sessions, "contained": contained, "handoffs": handoffs, "abandoned": abandoned,
        "user_turns": user_turns, "fallback_turns": fallback_turns, "agent_messages": agent_messages,
        "answers": answers, "rated": rated, "up": up, "down": down,
        "containment_rate": rate(contained, sessions), "handoff_rate": rate(handoffs, sessions),
        "abandonment_rate": rate(abandoned, sessions), "fallback_rate": rate(fallback_turns, user_turns),
        "csat": rate(up, rated), "rating_response_rate": rate(rated, answers),
    }


def day_row(day, channel, language, *counts, **more):
    return {"day": day, "channel": channel, "language": language, **numbers(*counts, **more)}


# What the report says for SINCE..UNTIL at AS_OF, counted by hand from the conversations above.
# Sessions: contained-1 (two sessions), handoff-1, fallback-1, clarify-1, abandoned-1, registered-1,
# pending-1, paused-form-1, stuck-form-1, open-1 = 11 (early-1 is before the period, silent-1 never wrote).
EXPECTED_TOTALS = numbers(11, 6, 3, 2, 27, 5, agent_messages=1, answers=3, up=1, down=1)
EXPECTED_RATES = {"containment_rate": 0.5455, "handoff_rate": 0.2727, "abandonment_rate": 0.1818, "fallback_rate": 0.1852}
EXPECTED_BY_DAY = [
    day_row("2026-11-30", "rest", "id", 1, 1, 0, 0, 2, 0, answers=1, up=1),  # contained-1, first session
    day_row("2026-11-30", "socketio", "en", 1, 0, 1, 0, 2, 1, agent_messages=1),  # handoff-1
    day_row("2026-12-01", "rest", "en", 1, 1, 0, 0, 6, 0, answers=1),  # registered-1
    day_row("2026-12-01", "rest", "id", 3, 1, 1, 1, 5, 0),  # contained-1 (second), pending-1, stuck-form-1
    day_row("2026-12-01", "socketio", "id", 1, 1, 0, 0, 2, 0),  # paused-form-1
    # fallback-1: two Indonesian turns, then three answered in English: an English session.
    day_row("2026-12-01", "telegram", "en", 1, 1, 0, 0, 5, 2, answers=1, down=1),
    day_row("2026-12-01", "whatsapp", "id", 2, 0, 1, 1, 4, 2),  # clarify-1, abandoned-1
    day_row("2026-12-02", "rest", "id", 1, 1, 0, 0, 1, 0),  # open-1, still in progress
]
EXPECTED_DAILY = [
    {"day": "2026-11-30", **numbers(2, 1, 1, 0, 4, 1, agent_messages=1, answers=1, up=1)},
    {"day": "2026-12-01", **numbers(8, 4, 2, 2, 22, 4, answers=2, down=1)},
    {"day": "2026-12-02", **numbers(1, 1, 0, 0, 1, 0)},
]
EXPECTED_ANSWERS = [
    {"topic": "documents", "segment": "pmi", "answers": 1, "up": 0, "down": 0, "csat": 0.0},
    {"topic": "outside", "segment": "-", "answers": 1, "up": 0, "down": 1, "csat": 0.0},
    {"topic": "requirements", "segment": "bpu", "answers": 1, "up": 1, "down": 0, "csat": 1.0},
]
EXPECTED_TOP_UNANSWERED = [
    # "berapa harga emas hari ini?" twice (same normalised text) and "... hr ini" (96 % similar) once.
    {"text": "berapa harga emas hari ini", "example": "berapa harga emas hari ini?", "count": 3, "variants": 2, "languages": {"id": 3}},
    {"text": MASKED_NIK_QUESTION, "example": MASKED_NIK_QUESTION, "count": 1, "variants": 1, "languages": {"en": 1}},
    {"text": "zzkq vrrp", "example": "zzkq vrrp", "count": 1, "variants": 1, "languages": {"id": 1}},
]


def _steps(**reached):
    return [{"field": name, "sessions": count} for name, count in reached.items()]


EXPECTED_FUNNEL = {
    # abandoned-1 (bpu), registered-1 (pmi), paused-form-1 (pu), stuck-form-1 (bpu), open-1 (bpu)
    "started": 5,
    # Ordered by mean position in the sessions: full name and company name are both first (full name seen first).
    "fields": _steps(reg_full_name=4, reg_company_name=1, reg_nik=2, reg_phone=1),
    "summary_shown": 1,
    "confirmed": 1,
    "submitted": 1,
    "dropped": 3,  # open-1 is still in progress: not dropped
    "drop_off": [{"step": "reg_full_name", "sessions": 1}, {"step": "reg_company_name", "sessions": 1}, {"step": "reg_nik", "sessions": 1}],
    "outcomes": {"abandoned": 1, "handoff": 1, "in_progress": 1, "paused": 1, "submitted": 1},
    "by_segment": {
        "bpu": {
            "started": 3, "fields": _steps(reg_full_name=3, reg_nik=1), "summary_shown": 0, "confirmed": 0, "submitted": 0,
            "dropped": 2, "drop_off": [{"step": "reg_full_name", "sessions": 1}, {"step": "reg_nik", "sessions": 1}],
            "outcomes": {"abandoned": 1, "handoff": 1, "in_progress": 1},
        },
        "pmi": {
            "started": 1, "fields": _steps(reg_full_name=1, reg_nik=1, reg_phone=1), "summary_shown": 1, "confirmed": 1,
            "submitted": 1, "dropped": 0, "drop_off": [], "outcomes": {"submitted": 1},
        },
        "pu": {
            "started": 1, "fields": _steps(reg_company_name=1), "summary_shown": 0, "confirmed": 0, "submitted": 0,
            "dropped": 1, "drop_off": [{"step": "reg_company_name", "sessions": 1}], "outcomes": {"paused": 1},
        },
    },
}
