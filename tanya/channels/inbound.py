"""What every channel does to a user's message before Rasa sees it.

One function for REST, socket.io, WhatsApp and Telegram, so the same message is treated the same way
whatever app it came from:
- Unicode is normalised (NFKC: full-width digits and letters become ASCII) and control characters and
  lone surrogates are removed (line breaks and tabs stay; zero-width joiners stay, they hold emoji together);
- a message longer than the limit is cut at a word boundary (the channel tells the user so), because
  the NLU's cost grows with the length and nobody asks a 10,000-character question;
- Rasa's control payloads typed by a user ("/restart", "/session_start", "/back") become a request
  for confirmation instead of silently wiping the conversation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Dict, Optional

# Typed control payloads -> the intent that asks the user to confirm (see data/rules/chitchat.yml).
CONTROL_INTENTS = frozenset({"restart", "session_start", "back"})
RESTART_REQUEST = "/request_restart"
_PAYLOAD_INTENT = re.compile(r"^\s*/\s*([A-Za-z_]+)")
_KEEP_CONTROL = frozenset("\n\t")
# A cut this far back from the limit is still "at a word boundary"; beyond it, cut hard.
_WORD_BOUNDARY_WINDOW = 0.8
# Metadata a client may send along with a message (the widget's language toggle); anything else is dropped.
ALLOWED_METADATA = frozenset({"switch_language"})


@dataclass(frozen=True)
class Inbound:
    text: str
    clipped: bool = False  # the message was longer than the limit and was cut
    original_length: int = 0

    @property
    def empty(self) -> bool:
        return not self.text.strip()


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    # Control characters go, and so do lone surrogates (Cs): valid JSON can carry them, but no UTF-8 text
    # can, and the tokenizer fails on them.
    return "".join(ch for ch in text if ch in _KEEP_CONTROL or unicodedata.category(ch) not in ("Cc", "Cs"))


def clip(text: str, max_chars: int) -> str:
    """`text` cut to at most max_chars characters, at the last space before the limit when near it."""
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space >= max_chars * _WORD_BOUNDARY_WINDOW:
        cut = cut[:space]
    return cut.rstrip()


def rewrite_control_payload(text: str) -> str:
    match = _PAYLOAD_INTENT.match(text)
    if match and match.group(1).lower() in CONTROL_INTENTS:
        return RESTART_REQUEST
    return text


def prepare_text(raw: str, max_chars: int) -> Inbound:
    """The text Rasa will see for `raw`, and whether it had to be cut."""
    text = _clean(raw or "")
    original_length = len(text)
    clipped = original_length > max_chars
    if clipped:
        text = clip(text, max_chars)
    return Inbound(rewrite_control_payload(text.strip()), clipped, original_length)


def clean_metadata(raw: Any) -> Optional[Dict[str, str]]:
    """The allowed metadata keys with short string values; None when nothing is left."""
    if not isinstance(raw, dict):
        return None
    kept = {key: value[:20] for key, value in raw.items() if key in ALLOWED_METADATA and isinstance(value, str)}
    return kept or None
