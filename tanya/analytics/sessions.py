"""One summary per Rasa session, from a sender's events (dicts as Rasa's `Event.as_dict()` writes them).

A session starts at the `action_session_start` action and runs until the next one; events a sender has
before their first session start form a session of their own. Only sessions with a user message are
*engaged* and summarised: a message Rasa made itself (external) or one a channel's client sends by
itself (the widget's greeting when it is opened; `automatic_messages` in the definitions) is not one. Rasa's session start copies every slot into the new session
(carry_over_slots_to_new_session); those copies set the state (the language) but are not new answers,
ratings, outcomes or form fields, so they are not counted again.

What each flag means is in docs/analytics.md; what counts (action and slot names) comes from
data/analytics/definitions.yml.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from tanya.analytics.definitions import Definitions
from tanya.forms.fields import ALL_FIELDS, CONFIRM_SLOT, OUTCOME_SLOT, SEGMENT_SLOT

SESSION_START = "action_session_start"
# Actions Rasa runs around every turn; they are not the bot's response.
NOT_A_RESPONSE = frozenset({"action_listen", SESSION_START, "action_extract_slots"})
NO_SEGMENT = "-"
UNKNOWN_CHANNEL = "unknown"
RATINGS = ("up", "down")
# How a started form ended when no outcome was recorded: still open and idle, or still open now.
FORM_ABANDONED, FORM_IN_PROGRESS = "abandoned", "in_progress"


@dataclass(frozen=True)
class UserTurn:
    text: str
    language: str  # the `language` slot when the assistant had answered the turn
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
    fields: Tuple[str, ...] = ()  # the form's fields asked, in the order first asked
    summary_shown: bool = False  # the form asked to confirm its summary
    confirmed: bool = False
    submitted: bool = False
    outcome: Optional[str] = None  # the last reg_outcome, or FORM_ABANDONED / FORM_IN_PROGRESS


@dataclass(frozen=True)
class SessionSummary:
    sender_id: str
    started_at: float  # timestamp of the first user message
    day: date
    channel: str
    language: str
    turns: Tuple[UserTurn, ...]  # the user's messages to the assistant
    handoff: bool
    abandoned: bool
    agent_messages: int = 0  # the user's messages while the conversation was paused for an agent
    answers: Tuple[Answer, ...] = field(default=())
    registration: Registration = field(default_factory=Registration)

    @property
    def contained(self) -> bool:
        return not self.handoff and not self.abandoned

    @property
    def fallback_turns(self) -> int:
        return sum(turn.fallback for turn in self.turns)


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


def is_external(event: dict) -> bool:
    """A UserUttered Rasa made itself (UserUttered.create_external: metadata is_external)."""
    return bool((event.get("metadata") or {}).get("is_external"))


def by_user(event: dict, definitions: Definitions) -> bool:
    """A user message the user wrote or pressed: not external, not sent by the client on its own."""
    return (
        event.get("event") == "user"
        and not is_external(event)
        and not definitions.is_automatic(event.get("input_channel"), event.get("text"))
    )


def local_day(timestamp: float, definitions: Definitions) -> date:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).astimezone(definitions.zone).date()


class _SessionReader:
    """Walks one session's events once, keeping the state the numbers need."""

    def __init__(self, definitions: Definitions, last_answer: Optional[Answer], last_response: str) -> None:
        self.d = definitions
        self.language = definitions.default_language
        self.turns: List[UserTurn] = []
        self.answers: List[Answer] = []
        self.last_answer = last_answer  # a rating after a session start still rates the answer before it
        # The bot's last response action, across sessions: ActionClarify looks back that far too.
        self.last_response = last_response
        self.handoff = False
        self.paused = False
        self.agent_messages = 0
        self.active_loop: Optional[str] = None
        self.asked = False  # the latest turn's response asked the user something
        self.form_started = False
        self.fields: List[str] = []
        self.summary_shown = False
        self.segment = NO_SEGMENT
        self.outcomes: List[str] = []
        # The user turn being answered: its text, whether a fallback answered it, the response before it.
        self._turn: Optional[dict] = None

    def read(self, events: Sequence[dict]) -> None:
        for event, carried in zip(events, _carried_over(events)):
            kind = event.get("event")
            if kind == "user":
                self._user(event)
            elif kind == "action":
                self._action(event.get("name") or "")
            elif kind == "pause":
                self.paused = self.handoff = True
            elif kind == "resume":
                self.paused = False
            elif kind == "restart":
                self.active_loop, self.paused, self.asked = None, False, False
            elif kind == "active_loop":
                self.active_loop = event.get("name")
                if self.active_loop == self.d.registration_form:
                    self.form_started = True
            elif kind == "slot":
                self._slot(event.get("name"), event.get("value"), carried)
        self._close_turn()

    def _user(self, event: dict) -> None:
        self._close_turn()
        if not by_user(event, self.d):
            return  # triggered by the system (a reminder) or sent by the widget on open, not the user
        if self.paused:
            self.agent_messages += 1  # the assistant stays silent: this message is for the agent
            return
        self.asked = False
        self._turn = {"text": event.get("text") or "", "fallback": False, "previous": self.last_response}

    def _action(self, name: str) -> None:
        if name in NOT_A_RESPONSE:
            return
        previous = self._turn["previous"] if self._turn is not None else self.last_response
        if name in self.d.handoff_actions or (name == self.d.repeat_handoff_action and previous == name):
            self.handoff = True
        if name == self.d.repeat_handoff_action:
            self.asked = True  # a clarification is a question back to the user
        if self._turn is not None and name in self.d.fallback_actions:
            self._turn["fallback"] = True
        self.last_response = name

    def _slot(self, name: Optional[str], value, carried: bool) -> None:
        if name == "language":
            self.language = value if isinstance(value, str) and value else self.d.default_language
        if carried:
            return
        if name == SEGMENT_SLOT and isinstance(value, str) and value:
            self.segment = value
        elif name == "answer_key" and isinstance(value, str) and value:
            topic, _, segment = value.partition(":")
            self.last_answer = Answer(topic=topic or NO_SEGMENT, segment=segment or NO_SEGMENT)
            self.answers.append(self.last_answer)
        elif name == "rating" and value in RATINGS and self.last_answer is not None:
            self.last_answer.rating = value
        elif name == OUTCOME_SLOT and isinstance(value, str) and value:
            self.outcomes.append(value)
            if value in self.d.handoff_outcomes:
                self.handoff = True
        elif name == self.d.question_slot and value and self.last_response == self.d.question_action:
            self.asked = True
        elif name == "requested_slot" and self.active_loop == self.d.registration_form:
            if value == CONFIRM_SLOT:
                self.summary_shown = True
            elif value in ALL_FIELDS and value not in self.fields:
                self.fields.append(value)

    def _close_turn(self) -> None:
        if self._turn is not None:
            self.turns.append(UserTurn(self._turn["text"], self.language, self._turn["fallback"]))
            self._turn = None

    @property
    def waiting_for_user(self) -> bool:
        """The session's last response expects an answer: a form is open, or the bot asked a question."""
        return self.active_loop is not None or self.asked

    def registration(self, over: bool) -> Registration:
        if not self.form_started:
            return Registration(segment=self.segment)
        if self.active_loop == self.d.registration_form:
            outcome = FORM_ABANDONED if over else FORM_IN_PROGRESS
        else:
            outcome = self.outcomes[-1] if self.outcomes else None
        return Registration(
            started=True,
            segment=self.segment,
            fields=tuple(self.fields),
            summary_shown=self.summary_shown,
            confirmed="confirmed" in self.outcomes,
            submitted=bool(set(self.outcomes) & set(self.d.submitted_outcomes)),
            outcome=outcome,
        )


def session_language(turns: Sequence[UserTurn], default: str) -> str:
    """The language most of the session's turns were answered in; a tie goes to the earliest."""
    if not turns:
        return default
    counts = Counter(turn.language for turn in turns)
    order = {language: index for index, language in reversed(list(enumerate(turn.language for turn in turns)))}
    return min(counts, key=lambda language: (-counts[language], order[language]))


def summarise_conversation(
    sender_id: str, events: Sequence[dict], definitions: Definitions, now: float
) -> List[SessionSummary]:
    """The engaged sessions of one sender, in order. `now` (a timestamp) decides which sessions are over."""
    summaries: List[SessionSummary] = []
    last_answer: Optional[Answer] = None
    last_response = ""
    sessions = split_sessions(events)
    for index, session in enumerate(sessions):
        reader = _SessionReader(definitions, last_answer, last_response)
        reader.read(session)
        last_answer, last_response = reader.last_answer, reader.last_response
        first_user = next((event for event in session if by_user(event, definitions)), None)
        if first_user is None or not reader.turns:
            continue
        started_at = float(first_user.get("timestamp") or 0)
        last_at = max(float(event.get("timestamp") or 0) for event in session)
        # Over: a later session began, or nothing happened for longer than the idle time.
        over = index < len(sessions) - 1 or now - last_at > definitions.idle_seconds
        summaries.append(
            SessionSummary(
                sender_id=sender_id,
                started_at=started_at,
                day=local_day(started_at, definitions),
                channel=first_user.get("input_channel") or UNKNOWN_CHANNEL,
                language=session_language(reader.turns, definitions.default_language),
                turns=tuple(reader.turns),
                handoff=reader.handoff,
                abandoned=not reader.handoff and over and reader.waiting_for_user,
                agent_messages=reader.agent_messages,
                answers=tuple(reader.answers),
                registration=reader.registration(over),
            )
        )
    return summaries


def summarise_all(conversations: Mapping[str, Sequence[dict]], definitions: Definitions, now: float) -> List[SessionSummary]:
    """Every engaged session of `conversations` (sender id -> events), ordered by first user message."""
    summaries: List[SessionSummary] = []
    for sender_id, events in conversations.items():
        summaries.extend(summarise_conversation(sender_id, events, definitions, now))
    return sorted(summaries, key=lambda summary: (summary.started_at, summary.sender_id))


def in_period(summaries: Iterable[SessionSummary], since: Optional[date], until: Optional[date]) -> List[SessionSummary]:
    """The sessions whose day lies between `since` and `until` (both included; None: open)."""
    return [s for s in summaries if (since is None or s.day >= since) and (until is None or s.day <= until)]


def matching(
    summaries: Iterable[SessionSummary], channel: Optional[str] = None, language: Optional[str] = None
) -> List[SessionSummary]:
    """The sessions of one channel and/or one (session) language; None: any."""
    return [s for s in summaries if (channel is None or s.channel == channel) and (language is None or s.language == language)]


def dimensions(summaries: Iterable[SessionSummary]) -> Dict[str, List[str]]:
    """The channels and languages that occur, for the dashboard's filters."""
    summaries = list(summaries)
    return {
        "channels": sorted({s.channel for s in summaries}),
        "languages": sorted({s.language for s in summaries}),
    }
