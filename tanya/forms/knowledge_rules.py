"""Build the form's Rules from the knowledge (age limits, what each PMI stage's documents ask for)."""

from __future__ import annotations

import re

from tanya import messages
from tanya.forms.engine import Rules
from tanya.knowledge.repository import Knowledge
from tanya.understanding.normalise import fold

STAGE_QUESTION = "ask_reg_pmi_stage"
_STAGE_PAYLOAD = re.compile(r'"pmi_stage"\s*:\s*"(\w+)"')


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())


def load_rules(knowledge: Knowledge) -> Rules:
    max_age = {segment.key: knowledge.max_age(segment.key) for segment in knowledge.segments()}
    stage_fields = {stage.key: knowledge.fields_asked_at_stage(stage.key) for stage in knowledge.stages()}
    stage_names = {}
    for stage in knowledge.stages():
        for name in [stage.key, stage.name.id, stage.name.en] + stage.aliases.all():
            stage_names[_words(name)] = stage.key
    # The stage question's button titles, as a user may type them instead of clicking.
    for button in messages.load_catalogue()[STAGE_QUESTION].buttons:
        key = _STAGE_PAYLOAD.search(button.payload).group(1)
        for title in button.title.values():
            stage_names[_words(title)] = key
    return Rules(max_age=max_age, stage_fields=stage_fields, stage_names=stage_names)
