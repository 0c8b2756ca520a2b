"""Show pre-registration answers back to the user: the confirmation summary and edit buttons."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional

from tanya import messages
from tanya.forms import fields as F
from tanya.forms.engine import plan
from tanya.forms.inputs import Rules
from tanya.forms.kinds import KINDS, SKIPPED


def display_value(
    field: F.Field, value: Any, language: str, decrypt: Callable[[str], Optional[str]], stage_names: Mapping[str, str]
) -> str:
    """How one stored answer reads in the summary, by its field kind (tanya/forms/kinds.py: the NIK masked
    but for its last 4 digits); a sealed value this conversation did not store is never shown."""
    if field.sensitive:
        value = decrypt(value)
        if value is None:
            return SKIPPED
    return KINDS[field.kind].display(value, language, stage_names)


def summary_text(
    segment: str,
    slots: Mapping[str, Any],
    rules: Rules,
    language: str,
    decrypt: Callable[[str], str],
    stage_names: Mapping[str, str],
) -> str:
    lines = []
    for field in plan(segment, slots, rules):
        if field in F.PERISAI_REQUIREMENTS or slots.get(field.slot) is None:
            continue  # all Perisai requirements are "yes" by the time the summary shows
        label = messages.text(f"field_{field.slot}", language)
        lines.append(f"{label}: {display_value(field, slots[field.slot], language, decrypt, stage_names)}")
    return "\n".join(lines)


def edit_buttons(segment: str, slots: Mapping[str, Any], rules: Rules, language: str) -> List[Dict[str, str]]:
    return [
        {
            "title": messages.text(f"field_{field.slot}", language),
            "payload": f'/edit_registration{{"form_field":"{field.slot}"}}',
        }
        for field in plan(segment, slots, rules)
        if field not in F.PERISAI_REQUIREMENTS
    ]
