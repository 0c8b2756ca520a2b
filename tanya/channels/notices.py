"""Texts a channel sends on its own (a cut message, a failure), in the language the user wrote in."""

from __future__ import annotations

import logging
from typing import Any, Optional

from tanya import messages
from tanya.language import SUPPORTED_LANGUAGES, detect_language

logger = logging.getLogger(__name__)


def notice(name: str, user_text: str = "", language: Optional[str] = None, **values: str) -> str:
    """Catalogue message `name` (data/messages/channels.yml) in `language`, else the language of `user_text`."""
    return messages.text(name, language or detect_language(user_text), **values)


async def conversation_language(app: Any, sender_id: str, user_text: str) -> str:
    """The conversation's `language` slot when its tracker can be read, else the language of `user_text`.

    A failure notice for "Aug 17 1990" in an English conversation must be English: the text alone does
    not say so."""
    from tanya.rasa_addons.tracker_store import is_unavailable_stand_in

    try:
        tracker = await app.ctx.agent.tracker_store.retrieve(sender_id)
        # While the database is down the store answers with a stand-in whose slots are the defaults.
        language = tracker.get_slot("language") if tracker and not is_unavailable_stand_in(tracker) else None
    except Exception as error:  # noqa: BLE001 - the store may be the thing that failed
        logger.debug("No tracker for the failure notice's language: %s", type(error).__name__)
        language = None
    return language if language in SUPPORTED_LANGUAGES else detect_language(user_text)
