"""Show pre-registration answers back to the user: the confirmation summary and edit buttons."""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Dict, List, Mapping, Optional

from tanya import messages
from tanya.forms import fields as F
from tanya.forms.engine import Rules, plan
from tanya.privacy.masking import mask_identifier

SKIPPED = "-"


def display_value(
    field: F.Field, value: Any, language: str, decrypt: Callable[[str], Optional[str]], stage_names: Mapping[str, str]
) -> str:
    """How one stored answer reads in the summary (NIK masked but for its last 4 digits; a value this
    conversation did not store is never shown)."""
    if field.sensitive:
        clear = decrypt(value)
        if clear is None:
            return SKIPPED
        return mask_identifier(clear) if field.kind == F.NIK else clear
    if isinstance(value, bool):
        return messages.text("value_yes" if value else "value_no", language)
    if field.kind == F.GENDER:
        return messages.text(f"value_{value}", language)
    if field.kind == F.DATE:
        return date.fromisoformat(value).strftime("%d-%m-%Y")
    if field.kind == F.STAGE:
        return stage_names.get(value, value)
    if field.kind == F.EMAIL and value == SKIPPED:
        return messages.text("value_skipped", language)
    return str(value)


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
