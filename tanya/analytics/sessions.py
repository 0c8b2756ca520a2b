"""One summary per Rasa session, from a sender's events (dicts as Rasa's `Event.as_dict()` writes them).

A session starts at the `action_session_start` action and runs until the next one; events a sender has
before their first session start form a session of their own. Only sessions with a user message are
*engaged* and summarised. Rasa's session start copies every slot into the new session
(carry_over_slots_to_new_session); those copies set the state (the language) but are not new answers,
ratings, outcomes or form fields, so they are not counted again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Iterable, List, Optional, Sequence, Tuple

from tanya.analytics.definitions import Definitions

SESSION_START = "action_session_start"
# Actions Rasa runs around every turn; they are not the bot's response.
NOT_A_RESPONSE = frozenset({"action_listen", SESSION_START, "action_extract_slots"})
NO_SEGMENT = "-"
UNKNOWN_CHANNEL = "unknown"
RATINGS = ("up", "down")
SUBMITTED_OUTCOMES = ("submitted", "duplicate")


@dataclass(frozen=True)
class UserTurn:
    text: str
    language: str
    fallback: bool


@dataclass
class Answer:
    topic: str
    segment: str
    rating: Optional[str] = None  # "up" | "down": the last rating given after this answer


@dataclass(frozen=True)
class Registration:
    started: bool = False
    segment: str = NO_SEGMENT
    fields: Tuple[str, ...] = ()  # in the order first reached
    confirmed: bool = False
    submitted: bool = False


@dataclass(frozen=True)
class SessionSummary:
    sender_id: str
    started_at: float  # timestamp of the first user message
    day: date
    channel: str
    language: str
    turns: Tuple[UserTurn, ...]
    handoff: bool
    abandoned: bool
    answers: Tuple[Answer, ...] = field(default=())
    registration: Registration = field(default_factory=Registration)

    @property
    def contained(self) -> bool:
        return not self.handoff and not self.abandoned


def split_sessions(events: Sequence[dict]) -> List[List[dict]]:
    """The sender's events cut at every `action_session_start`."""
    sessions: List[List[dict]] = []
    current: List[dict] = []
    for event in events:
        if _is_action(event, SESSION_START) and current:
            sessions.append(current)
            current = []
        current.append(event)
    if current:
        sessions.append(current)
    return sessions


def _is_action(event: dict, name: Optional[str] = None) -> bool:
    return event.get("event") == "action" and (name is None or event.get("name") == name)


def _carried_over(events: Sequence[dict]) -> List[bool]:
    """True for the slot events Rasa copied in at the session start (before its first action_listen)."""
    flags = []
    in_start_block = False
    for event in events:
        if _is_action(event, SESSION_START):
            in_start_block = True
        elif event.get("event") in ("action", "user"):
            in_start_block = False
        flags.append(in_start_block and event.get("event") == "slot")
    return flags


def local_day(timestamp: float, definitions: Definitions) -> date:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).astimezone(definitions.zone).date()


class _SessionReader:
    """Walks one session's events once, keeping the state the numbers need."""

    def __init__(self, definitions: Definitions, last_answer: Optional[Answer]) -> None:
        self.definitions = definitions
        self.language = definitions.default_language
        self.turns: List[UserTurn] = []
        self.answers: List[Answer] = []
        self.last_answer = last_answer  # a rating after a session start still rates the answer before it
        self.handoff = False
        self.active_loop: Optional[str] = None
        self.form_started = False
        self.fields: List[str] = []
        self.segment = NO_SEGMENT
        self.outcomes: set = set()
        # The user turn being answered: its text, language so far, whether the bot responded yet, fallback.
        self._turn: Optional[dict] = None

    def read(self, events: Sequence[dict]) -> None:
        for event, carried in zip(events, _carried_over(events)):
            kind = event.get("event")
            if kind == "user":
                self._close_turn()
                self._turn = {"text": event.get("text") or "", "language": self.language, "responding": False, "fallback": False}
            elif kind == "action":
                self._action(event.get("name") or "")
            elif kind == "pause":
                self.handoff = True
            elif kind == "active_loop":
                self.active_loop = event.get("name")
                if self.active_loop == self.definitions.registration_form:
                    self.form_started = True
            elif kind == "slot":
                self._slot(event.get("name"), event.get("value"), carried)
        self._close_turn()

    def _action(self, name: str) -> None:
        if name in self.definitions.handoff_actions:
            self.handoff = True
        if self._turn is not None and name not in NOT_A_RESPONSE:
            self._turn["responding"] = True
            if name in self.definitions.fallback_actions:
                self._turn["fallback"] = True

    def _slot(self, name: Optional[str], value, carried: bool) -> None:
        if name == "language":
            self.language = value if isinstance(value, str) and value else self.definitions.default_language
            # The slot extraction of a turn runs before the bot responds: its language is the turn's.
            if self._turn is not None and not self._turn["responding"]:
                self._turn["language"] = self.language
        elif name == "reg_segment" and isinstance(value, str) and value:
            self.segment = value
        if carried:
            return
        if name == "answer_key" and isinstance(value, str) and value:
            topic, _, segment = value.partition(":")
            self.last_answer = Answer(topic=topic, segment=segment or NO_SEGMENT)
            self.answers.append(self.last_answer)
        elif name == "rating" and value in RATINGS and self.last_answer is not None:
            self.last_answer.rating = value
        elif name == "reg_outcome" and isinstance(value, str):
            self.outcomes.add(value)
        elif (
            name == "requested_slot"
            and isinstance(value, str)
            and value.startswith(self.definitions.registration_field_prefix)
            and self.active_loop == self.definitions.registration_form
            and value not in self.fields
        ):
            self.fields.append(value)

    def _close_turn(self) -> None:
        if self._turn is not None:
            self.turns.append(UserTurn(self._turn["text"], self._turn["language"], self._turn["fallback"]))
            self._turn = None

    def registration(self) -> Registration:
        if not self.form_started:
            return Registration(segment=self.segment)
        return Registration(
            started=True,
            segment=self.segment,
            fields=tuple(self.fields),
            confirmed="confirmed" in self.outcomes,
            submitted=bool(self.outcomes & set(SUBMITTED_OUTCOMES)),
        )


def summarise_conversation(
    sender_id: str, events: Sequence[dict], definitions: Definitions, now: float
) -> List[SessionSummary]:
    """The engaged sessions of one sender, in order. `now` (a timestamp) decides which forms are abandoned."""
    summaries: List[SessionSummary] = []
    last_answer: Optional[Answer] = None
    for session in split_sessions(events):
        reader = _SessionReader(definitions, last_answer)
        reader.read(session)
        last_answer = reader.last_answer
        first_user = next((event for event in session if event.get("event") == "user"), None)
        if first_user is None:
            continue
        started_at = float(first_user.get("timestamp") or 0)
        last_at = max(float(event.get("timestamp") or 0) for event in session)
        summaries.append(
            SessionSummary(
                sender_id=sender_id,
                started_at=started_at,
                day=local_day(started_at, definitions),
                channel=first_user.get("input_channel") or UNKNOWN_CHANNEL,
                language=reader.turns[0].language,
                turns=tuple(reader.turns),
                handoff=reader.handoff,
                # Still in a form at the end, and idle for longer than the threshold.
                abandoned=reader.active_loop is not None and now - last_at > definitions.idle_seconds,
                answers=tuple(reader.answers),
                registration=reader.registration(),
            )
        )
    return summaries


def summarise_all(conversations, definitions: Definitions, now: float) -> List[SessionSummary]:
    """Every engaged session of `conversations` (sender id -> events), ordered by first user message."""
    summaries: List[SessionSummary] = []
    for sender_id, events in conversations.items():
        summaries.extend(summarise_conversation(sender_id, events, definitions, now))
    return sorted(summaries, key=lambda summary: (summary.started_at, summary.sender_id))


def in_period(summaries: Iterable[SessionSummary], since: Optional[date], until: Optional[date]) -> List[SessionSummary]:
    """The sessions whose day lies between `since` and `until` (both included; None: open)."""
    return [s for s in summaries if (since is None or s.day >= since) and (until is None or s.day <= until)]
