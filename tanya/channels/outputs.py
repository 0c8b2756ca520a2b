"""Output channels that keep one answer in one message.

Rasa's own collecting output splits every text at blank lines, so one answer with paragraphs reached
the user as many messages; the actions already compose one readable message per answer.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.core.channels.channel import CollectingOutputChannel


class OneMessageCollectingOutput(CollectingOutputChannel):
    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._persist_message(self._message(recipient_id, text=text.strip()))

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._persist_message(self._message(recipient_id, text=text.strip(), buttons=buttons))
