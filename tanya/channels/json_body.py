"""Reading a JSON request body with a nesting limit: the one parser of every JSON entry point.

Python's json module has no depth limit: a body of 100,000 "[" raises RecursionError (not a ValueError,
so it escaped every `except ValueError` and became an HTTP 500), and a body nested a few hundred deep
parses but then breaks whatever walks it later (logging, the tracker, Rasa's own code). No message of
any channel nests deeper than a handful of levels; MAX_DEPTH leaves a wide margin.
Used by the REST, Telegram, WhatsApp and Chatwoot webhooks and by the widget's socket.io packets.
"""

from __future__ import annotations

import json
from typing import Any, Union

MAX_DEPTH = 32


class BodyError(ValueError):
    """The body is not UTF-8 JSON, or nests deeper than the limit. A ValueError: callers answer 400."""


def depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (a scalar is 0), counted without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        pending.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def loads(text: Union[str, bytes, bytearray], max_depth: int = MAX_DEPTH) -> Any:
    """The JSON value of `text`; BodyError when it is not JSON or nests deeper than `max_depth`."""
    try:
        if isinstance(text, (bytes, bytearray)):
            text = bytes(text).decode("utf-8")
        value = json.loads(text)
    except UnicodeDecodeError:
        raise BodyError("the body is not valid JSON (not UTF-8)") from None
    except RecursionError:  # the C parser gives up near Python's recursion limit
        raise BodyError(f"the body nests deeper than {max_depth} levels") from None
    except ValueError:  # includes integers too long to convert (Python >= 3.10.7)
        raise BodyError("the body is not valid JSON") from None
    if depth(value) > max_depth:
        raise BodyError(f"the body nests deeper than {max_depth} levels")
    return value


def dumps(value: Any, *args: Any, **kwargs: Any) -> str:
    """json.dumps: with `loads`, this module can stand in for `json` where a library takes a json module."""
    return json.dumps(value, *args, **kwargs)
