"""Small fakes of the external HTTP services the assistant talks to (Meta's Graph API, Telegram's Bot
API, Chatwoot), each a real HTTP server on a free loopback port that records what it was sent.

Every module here that defines `start() -> Fake` is started once per integration-test session, before
the assistant, and the assistant is configured with the union of their `env` (the variables that point
the real client code at the fake). A Fake has `.env` (dict), `.stop()` and whatever recording API its
tests need.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Dict


def start_all() -> Dict[str, object]:
    """name -> running fake, for every module of this package with a start() function."""
    running: Dict[str, object] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        start = getattr(module, "start", None)
        if callable(start):
            running[module_info.name] = start()
    return running
