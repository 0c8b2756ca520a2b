"""Every slot the actions can set is declared in domain.yml (Rasa silently drops the others)."""

import re

from tanya.forms import fields as F
from tanya.forms import status
from tests.unit.action_tests.action_helpers import DOMAIN, ROOT

LITERAL_SLOT = re.compile(r"SlotSet\(\s*[\"'](\w+)[\"']")


def test_literal_slot_names_in_actions_are_declared():
    named = set()
    for path in (ROOT / "actions").glob("*.py"):
        named |= set(LITERAL_SLOT.findall(path.read_text(encoding="utf-8")))
    assert named, "no SlotSet found: the pattern no longer matches the actions"
    assert named - {"requested_slot"} <= set(DOMAIN["slots"]), sorted(named - set(DOMAIN["slots"]))


def test_form_and_status_slots_are_declared():
    declared = set(DOMAIN["slots"])
    slots = set(F.FORM_SLOTS) | set(status.STATUS_SLOTS) | {f.slot for f in F.ALL_FIELDS.values()}
    assert slots <= declared, sorted(slots - declared)
