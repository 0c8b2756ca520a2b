"""The per-turn shortcuts of tanya.rasa_addons.turn_cost give Rasa's own verdicts, only cheaper."""

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

from tanya.rasa_addons import turn_cost

VALID = {
    "events": [{"event": "slot", "name": "topic", "value": "channels", "timestamp": None}],
    "responses": [{"text": "halo"}],
}
INVALID = {"events": [{"event": "slot", "name": 3}], "responses": [{"text": "halo"}]}


@pytest.fixture(scope="module", autouse=True)
def installed():
    originals = (RemoteAction._validate_action_result, Event.__dict__["resolve_by_type"])
    turn_cost.install()
    yield
    RemoteAction._validate_action_result, Event.resolve_by_type = originals[0], originals[1]


def test_install_replaces_both_functions_and_is_idempotent():
    turn_cost.install()
    assert RemoteAction._validate_action_result is turn_cost.validate_action_result
    assert Event.resolve_by_type("slot") is SlotSet


def test_a_valid_action_answer_passes():
    assert RemoteAction("action_answer_question", None)._validate_action_result(VALID) is True


def test_an_invalid_action_answer_fails_with_rasa_s_message_and_jsonschema_s_verdict():
    import jsonschema

    with pytest.raises(ValidationError) as expected:  # what jsonschema.validate itself says
        jsonschema.validate(INVALID, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError) as raised:
        RemoteAction("action_answer_question", None)._validate_action_result(INVALID)
    assert raised.value.message.startswith(expected.value.message)
    assert "Failed to validate Action server response" in raised.value.message


def test_the_schema_is_checked_once_not_per_call(monkeypatch):
    calls = []
    validator_class = type(turn_cost.action_result_validator())
    monkeypatch.setattr(validator_class, "check_schema", classmethod(lambda cls, schema: calls.append(schema)))
    for _ in range(3):
        RemoteAction("action_answer_question", None)._validate_action_result(VALID)
    assert calls == []


def test_event_types_resolve_as_before():
    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("action") is ActionExecuted
    assert Event.resolve_by_type("user") is UserUttered  # remembered
    restored = Event.from_parameters({"event": "slot", "name": "topic", "value": "channels"})
    assert restored == SlotSet("topic", "channels")


def test_unknown_event_types_keep_rasa_s_default_and_error():
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None  # Rasa's backwards compatibility for old TopicSet events
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")
    assert "no_such_event" not in turn_cost._EVENT_CLASSES
