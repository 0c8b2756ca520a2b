"""A prepared month of conversations, built from Rasa's own event classes, and the numbers it must give.

The senders cover every case the deflection numbers distinguish: a contained session (and its next
session, into which Rasa copies the slots), a handoff, an abandoned form, a session of fallbacks
(with a language switch and a near-duplicate question), a completed registration, ratings, an
engaged session before the period and a sender who never wrote. `write_tracker_database` stores them
with Rasa's SQLTrackerStore, so the reader is tested on the real storage format.
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
SINCE, UNTIL = "2026-11-30", "2026-12-01"
# The report's time: a day after the last event, so every open form is idle for longer than 60 minutes.
AS_OF = "2026-12-02T12:00:00+07:00"
NOW = datetime.fromisoformat(AS_OF).timestamp()
SLOT_NAMES = ("language", "answer_key", "rating", "reg_segment", "reg_outcome", "requested_slot", "reg_full_name")
NIK_QUESTION = "my card number 3273 0155 0101 0001 is blocked"
MASKED_NIK_QUESTION = "my card number **** **** **** 0001 is blocked"


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
        """A message, and the slot extraction that fills `language` from it."""
        self._add(UserUttered(text, {"name": intent, "confidence": 1.0}, input_channel=self.channel))
        self._add(ActionExecuted("action_extract_slots"))
        return self._add(SlotSet("language", language)) if language else self

    def bot(self, *events) -> "Conversation":
        """The bot's response: action names (str) and events, then action_listen."""
        return self._add(*(ActionExecuted(item) if isinstance(item, str) else item for item in events), ActionExecuted("action_listen"))


def conversations() -> List[Conversation]:
    contained = (
        Conversation("contained-1", "rest")
        .session_start("2026-11-30 10:00")
        .user("apa syarat daftar BPU?", "id")
        .bot("action_answer_question", SlotSet("answer_key", "documents:bpu"))
        .user("/rate_answer", intent="rate_answer")
        .bot("action_rate_answer", SlotSet("rating", "up"))
        # Next day: a new session, with the slots copied in (not new answers or ratings).
        .session_start("2026-12-01 09:00", {"language": "id", "answer_key": "documents:bpu", "rating": "up"})
        .user("terima kasih")
        .bot("utter_goodbye")
    )
    handoff = (
        Conversation("handoff-1", "socketio")
        .session_start("2026-11-30 14:00")
        .user(NIK_QUESTION, "en")
        .bot("action_clarify")
        .user("agent please", "en", intent="handoff")
        .bot("action_handoff", ConversationPaused())
    )
    abandoned = (
        Conversation("abandoned-1", "whatsapp")
        .session_start("2026-12-01 08:00")
        .user("mau daftar", "id", intent="register")
        .bot("registration_form", ActiveLoop("registration_form"), SlotSet("reg_segment", "bpu"), SlotSet("requested_slot", "reg_full_name"))
        .user("Budi Santoso")
        .bot("registration_form", SlotSet("reg_full_name", "Budi Santoso"), SlotSet("requested_slot", "reg_nik"))
    )
    fallbacks = (
        # 06:00 in Jakarta is still the previous day in UTC: the day must be the local one.
        Conversation("fallback-1", "telegram")
        .session_start("2026-12-01 06:00")
        .user("berapa harga emas hari ini?", "id")
        .bot("action_beyond_scope")
        .user("Berapa  harga emas hari ini")
        .bot("utter_out_of_scope")
        .user("berapa harga emas hr ini")
        .bot("action_clarify")
        .user("how do I check my JHT balance", "en")
        .bot("action_answer_question", SlotSet("answer_key", "balance:-"))
        .user("/rate_answer", intent="rate_answer")
        .bot("action_rate_answer", SlotSet("rating", "down"))
    )
    registered = (
        Conversation("registered-1", "rest")
        .session_start("2026-12-01 10:00")
        .user("what documents does a migrant worker need?", "en")
        .bot("action_answer_question", SlotSet("answer_key", "documents:pmi"))
        .user("register me as a migrant worker", intent="register")
        .bot("registration_form", ActiveLoop("registration_form"), SlotSet("reg_segment", "pmi"), SlotSet("requested_slot", "reg_full_name"))
        .user("Siti Aminah")
        .bot("registration_form", SlotSet("requested_slot", "reg_nik"))
        .user("3273015501010001")
        .bot("registration_form", SlotSet("requested_slot", "reg_phone"))
        .user("081234567890")
        .bot("registration_form", SlotSet("requested_slot", None))
        .user("yes", intent="affirm")
        .bot(
            "registration_form",
            SlotSet("reg_outcome", "confirmed"),
            ActiveLoop(None),
            "action_submit_registration",
            SlotSet("reg_outcome", "submitted"),
        )
    )
    before_period = (
        Conversation("early-1", "rest")
        .session_start("2026-11-20 09:00")
        .user("apakah bisa bayar pakai kartu kredit", "id")
        .bot("action_clarify")
    )
    silent = Conversation("silent-1", "rest").session_start("2026-12-01 11:00")  # opened the widget, never wrote
    return [contained, handoff, abandoned, fallbacks, registered, before_period, silent]


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


def day_row(day, channel, language, sessions, contained, handoffs, abandoned, user_turns, fallback_turns):
    def rate(numerator, denominator):
        return round(numerator / denominator, 4) if denominator else 0.0

    return {
        "day": day, "channel": channel, "language": language, "sessions": sessions, "contained": contained,
        "handoffs": handoffs, "abandoned": abandoned, "user_turns": user_turns, "fallback_turns": fallback_turns,
        "containment_rate": rate(contained, sessions), "handoff_rate": rate(handoffs, sessions),
        "fallback_rate": rate(fallback_turns, user_turns),
    }


# What the report says for SINCE..UNTIL at AS_OF, worked out by hand from the conversations above.
EXPECTED_BY_DAY = [
    day_row("2026-11-30", "rest", "id", 1, 1, 0, 0, 2, 0),
    day_row("2026-11-30", "socketio", "en", 1, 0, 1, 0, 2, 1),
    day_row("2026-12-01", "rest", "en", 1, 1, 0, 0, 6, 0),
    day_row("2026-12-01", "rest", "id", 1, 1, 0, 0, 1, 0),
    # The English question (and the rating after it) in a session that began in Indonesian count as English turns.
    day_row("2026-12-01", "telegram", "en", 0, 0, 0, 0, 2, 0),
    day_row("2026-12-01", "telegram", "id", 1, 1, 0, 0, 3, 3),
    day_row("2026-12-01", "whatsapp", "id", 1, 0, 0, 1, 2, 0),
]
EXPECTED_TOTALS = {
    "sessions": 6, "contained": 4, "handoffs": 1, "abandoned": 1, "user_turns": 18, "fallback_turns": 4,
    "containment_rate": 0.6667, "handoff_rate": 0.1667, "fallback_rate": 0.2222,
}
EXPECTED_ANSWERS = [
    {"topic": "balance", "segment": "-", "answers": 1, "up": 0, "down": 1},
    {"topic": "documents", "segment": "bpu", "answers": 1, "up": 1, "down": 0},
    {"topic": "documents", "segment": "pmi", "answers": 1, "up": 0, "down": 0},
]
EXPECTED_CSAT = {"answers": 3, "rated": 2, "up": 1, "down": 1, "csat": 0.5, "response_rate": 0.6667}
EXPECTED_TOP_UNANSWERED = [
    {"text": "berapa harga emas hari ini", "example": "berapa harga emas hari ini?", "count": 3, "variants": 2, "languages": {"id": 3}},
    {"text": MASKED_NIK_QUESTION, "example": MASKED_NIK_QUESTION, "count": 1, "variants": 1, "languages": {"en": 1}},
]
EXPECTED_FUNNEL = {
    "started": 2,
    "fields": [{"field": "reg_full_name", "sessions": 2}, {"field": "reg_nik", "sessions": 2}, {"field": "reg_phone", "sessions": 1}],
    "confirmed": 1,
    "submitted": 1,
    "dropped": 1,
    "drop_off": [{"field": "reg_nik", "sessions": 1}],
    "by_segment": {
        "bpu": {
            "started": 1, "fields": [{"field": "reg_full_name", "sessions": 1}, {"field": "reg_nik", "sessions": 1}],
            "confirmed": 0, "submitted": 0, "dropped": 1, "drop_off": [{"field": "reg_nik", "sessions": 1}],
        },
        "pmi": {
            "started": 1,
            "fields": [{"field": "reg_full_name", "sessions": 1}, {"field": "reg_nik", "sessions": 1}, {"field": "reg_phone", "sessions": 1}],
            "confirmed": 1, "submitted": 1, "dropped": 0, "drop_off": [],
        },
    },
}
