"""Texts a channel sends on its own (a cut message, a failure), in the language the user wrote in."""

from __future__ import annotations

from typing import Optional

from tanya import messages
from tanya.language import detect_language


def notice(name: str, user_text: str = "", language: Optional[str] = None, **values: str) -> str:
    """Catalogue message `name` (data/messages/channels.yml) in `language`, else the language of `user_text`."""
    return messages.text(name, language or detect_language(user_text), **values)
