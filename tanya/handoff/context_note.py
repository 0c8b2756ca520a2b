"""The private note an agent reads first when a conversation reaches the desk (pure: events in, text out).

It says why the assistant handed over, the user's language and channel, the segment and topic the
conversation was about, the last turns, and a half-filled pre-registration's answers. Every text passes
through tanya.privacy.masking (the latest message reaches the action in clear; earlier ones are masked
by the tracker store already, and masking twice changes nothing); sealed answers (NIK, phone) are shown
by their last 4 characters only, and only when `reveal` can open them for this conversation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional

from tanya import messages, segments
from tanya.forms import fields as F
from tanya.privacy.masking import mask_identifier, mask_text

MAX_TURNS = 10
MAX_TURN_CHARS = 300
REASONS = ("asked", "not_understood", "form_stuck")
ELLIPSIS = "…"


@dataclass(frozen=True)
class NoteInput:
    events: List[Dict[str, Any]]
    slots: Mapping[str, Any]
    channel: str
    language: str
    reason: str = "asked"
    reveal: Callable[[Any], Optional[str]] = field(default=lambda value: None)


def _short(text: str, limit: int = MAX_TURN_CHARS) -> str:
    flat = " ".join(mask_text(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + ELLIPSIS


def last_turns(events: Iterable[Dict[str, Any]], limit: int = MAX_TURNS) -> List[tuple]:
    """(who, text) of the last `limit` user and bot messages, oldest first; who is "user" or "bot"."""
    turns = [
        (event["event"], event.get("text") or "")
        for event in events
        if event.get("event") in ("user", "bot") and (event.get("text") or "").strip()
    ]
    return turns[-limit:]


def form_lines(slots: Mapping[str, Any], language: str, reveal: Callable[[Any], Optional[str]]) -> List[str]:
    """"Label: value" for each answered field of the pre-registration, in the form's order."""
    segment = slots.get(F.SEGMENT_SLOT)
    order = segments.SEGMENTS[segment].form_fields if segment in segments.SEGMENTS else tuple(F.ALL_FIELDS.values())
    lines = []
    for item in order:
        value = slots.get(item.slot)
        if value is None or value == "":
            continue
        if item.sensitive:
            clear = reveal(value)
            shown = mask_identifier(clear) if clear else messages.text("handoff_note_sealed", language)
        else:
            shown = _short(str(value))
        lines.append(f"- {messages.text('field_' + item.slot, language)}: {shown}")
    return lines


def render(note: NoteInput, language: str) -> str:
    """The note in the agents' `language`."""
    none = messages.text("handoff_note_none", language)
    turn_lines = [
        messages.text("handoff_note_user" if who == "user" else "handoff_note_bot", language, text=_short(text))
        for who, text in last_turns(note.events)
    ]
    fields = form_lines(note.slots, language, note.reveal)
    form = (
        messages.text("handoff_note_form", language, segment=str(note.slots.get(F.SEGMENT_SLOT) or none), fields="\n".join(fields))
        if fields
        else ""
    )
    user_language = note.language if note.language in ("id", "en") else "id"
    reason = note.reason if note.reason in REASONS else "asked"
    return messages.text(
        "handoff_note",
        language,
        reason=messages.text(f"handoff_reason_{reason}", language),
        language=messages.text(f"handoff_note_language_{user_language}", language),
        channel=note.channel or none,
        segment=str(note.slots.get("segment") or none),
        topic=str(note.slots.get("topic") or none),
        turns="\n".join(turn_lines) or none,
        form=form,
    )
