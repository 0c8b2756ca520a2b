"""Two per-turn costs of Rasa 3.6 that buy nothing, removed (measured with py-spy under 20 users).

1. Every custom-action answer is checked with `jsonschema.validate(result, schema)`, which first
   validates the schema itself against the JSON Schema meta-schema, on every call: 40 % of the Rasa
   server's CPU in a turn. Here the validator is built once and checks only the answer, with the same
   verdict and the same error message.
2. Every stored event is turned back into its class by `Event.resolve_by_type`, which walks all
   subclasses of Event for each event of the conversation: 8 % of the CPU. Here a found class is
   remembered by its type name; unknown names still go the original way (default or error).

`install()` is called by tanya.server before the model loads; importing this module changes nothing.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Dict, Optional, Text, Type

_ORIGINALS: Dict[str, Callable[..., Any]] = {}


@lru_cache(maxsize=1)
def action_result_validator() -> Any:
    """The compiled validator of the action server's answer format (built on first use)."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, instead of once per action call
    return cls(schema)


def validate_action_result(self: Any, result: Dict[Text, Any]) -> bool:
    """RemoteAction._validate_action_result without re-checking the schema: same verdict, same message."""
    from jsonschema import exceptions
    from rasa.shared.constants import DOCS_BASE_URL

    error = exceptions.best_match(action_result_validator().iter_errors(result))  # what jsonschema.validate raises
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the Action "
        f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


_EVENT_CLASSES: Dict[Text, Type[Any]] = {}


def resolve_event_type(type_name: Text, default: Optional[Type[Any]] = None) -> Optional[Type[Any]]:
    """Event.resolve_by_type, remembering each class it found."""
    known = _EVENT_CLASSES.get(type_name)
    if known is not None:
        return known
    found = _ORIGINALS["resolve_by_type"](type_name, default)
    if found is not None and found is not default:
        _EVENT_CLASSES[type_name] = found
    return found


def install() -> None:
    """Replace the two costly Rasa functions (idempotent)."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    if "resolve_by_type" not in _ORIGINALS:  # the original, which resolve_event_type falls back to
        _ORIGINALS["resolve_by_type"] = Event.resolve_by_type
    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_event_type)
