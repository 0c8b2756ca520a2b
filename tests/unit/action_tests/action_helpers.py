"""Helpers for action tests: trackers built from events, and a runner that records what an action did."""

from pathlib import Path

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parents[3]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def make_tracker(
    text="", intent="", entities=None, slots=None, confidence=0.99, ranking=None, requested=None, events=None, sender="tester"
):
    """A tracker whose latest message is `text`; `entities` maps a name to a value or a list of values."""
    entity_list = [
        {"entity": name, "value": value}
        for name, values in (entities or {}).items()
        for value in (values if isinstance(values, list) else [values])
    ]
    all_slots = {name: None for name in DOMAIN["slots"]}
    all_slots["language"] = "id"
    all_slots.update(slots or {})
    all_slots["requested_slot"] = requested
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": entity_list,
        "intent_ranking": ranking or [{"name": intent, "confidence": confidence}],
    }
    history = list(events or []) + [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": latest},
    ]
    return Tracker(sender, all_slots, latest, history, False, None, None, "action_listen")


class Run:
    """Runs one action and keeps what it said and did."""

    def __init__(self, action, tracker):
        self.dispatcher = CollectingDispatcher()
        self.tracker = tracker
        self.events = action.run(self.dispatcher, tracker, DOMAIN)
        self.messages = self.dispatcher.messages
        # Rasa drops (and warns about) a SlotSet for a slot the domain does not declare: every action test
        # therefore also checks that each slot the action sets exists.
        unknown = {e["name"] for e in self.events if e.get("event") == "slot"} - set(DOMAIN["slots"]) - {"requested_slot"}
        assert not unknown, f"{action.name()} sets slots missing from domain.yml: {sorted(unknown)}"

    @property
    def names(self):
        return [m.get("catalogue_message") or m.get("response") for m in self.messages]

    @property
    def text(self):
        return "\n".join(m.get("text") or "" for m in self.messages)

    def slot(self, name):
        values = [e["value"] for e in self.events if e.get("event") == "slot" and e.get("name") == name]
        return values[-1] if values else "<unset>"

    def slot_after(self, name):
        """The slot's value once the action's events are applied (an unchanged slot is not set again)."""
        value = self.slot(name)
        return self.tracker.get_slot(name) if value == "<unset>" else value

    def buttons(self):
        return [b for m in self.messages for b in m.get("buttons") or []]
