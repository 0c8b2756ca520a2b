"""A logging filter that masks personal numbers in every record, for every process's log.

Installed by the entry points (tanya.server, tanya.action_server, tanya.dashboard, scripts/serve_web.py)
on the root handlers, so a NIK or a phone number that reaches a log line (a user message Rasa logs at
debug level, an exception message) is written masked. Python warnings are routed through logging too
(logging.captureWarnings): printed straight to stderr, they would pass the filter by, and Rasa's
"Failed to parse arguments in line '...'" warning quotes the user's message whole.
"""

from __future__ import annotations

import logging

from tanya.privacy.masking import mask_text, mask_value


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


def _mask_event(_logger, _name, event_dict):
    """structlog processor: every value of the record masked, nested ones too, before it is rendered (the
    renderer writes nested values as repr, where an invisible character becomes an escape like \u200b
    that would split a number for the filter after it)."""
    return {key: mask_value(value) for key, value in event_dict.items()}


def install_structlog(level: int = logging.INFO) -> None:
    """Route Rasa's structlog records through the standard logging handlers (and so through the masking
    filter), dropping those below `level`. Unconfigured, structlog prints every debug record (user texts,
    slot values) straight to stdout, unmasked, at a cost on every turn."""
    import structlog

    structlog.configure(
        processors=[
            _mask_event,
            structlog.processors.add_log_level,
            structlog.dev.ConsoleRenderer(colors=False),
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=True,
    )


WARNINGS_LOGGER = "py.warnings"  # where logging.captureWarnings sends Python warnings


def _add_filter(filterer: logging.Filterer) -> None:
    if not any(isinstance(f, MaskingFilter) for f in filterer.filters):
        filterer.addFilter(MaskingFilter())


def install(level: int = logging.INFO) -> None:
    """Mask every handler of the root logger (adds a stderr handler when none exists), and send Python
    warnings through logging, masked, instead of straight to stderr."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-8s %(name)s  - %(message)s"))
        root.addHandler(handler)
        root.setLevel(level)
    for handler in root.handlers:
        _add_filter(handler)
    logging.captureWarnings(True)
    # On the logger as well: its records are masked even if it gets a handler of its own.
    warnings_logger = logging.getLogger(WARNINGS_LOGGER)
    _add_filter(warnings_logger)
    for handler in warnings_logger.handlers:
        _add_filter(handler)
