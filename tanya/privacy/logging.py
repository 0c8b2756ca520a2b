"""A logging filter that masks personal numbers in every record, for both servers' logs.

Installed by the entry points (tanya.server, tanya.action_server) on the root handlers, so a NIK or a
phone number that reaches a log line (a user message Rasa logs at debug level, an exception message)
is written masked.
"""

from __future__ import annotations

import logging

from tanya.privacy.masking import mask_text


class MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a badly formatted record is still logged, as given
            return True
        masked = mask_text(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_text(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        return True


def install(level: int = logging.INFO) -> None:
    """Mask every handler of the root logger (adds a stderr handler when none exists)."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-8s %(name)s  - %(message)s"))
        root.addHandler(handler)
        root.setLevel(level)
    for handler in root.handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())
