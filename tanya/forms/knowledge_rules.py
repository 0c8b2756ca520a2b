"""Build the form's Rules from the knowledge (age limits, what each PMI stage's documents ask for)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, Tuple

import yaml

from tanya import messages
from tanya.forms.inputs import Rules
from tanya.knowledge.repository import Knowledge
from tanya.understanding.normalise import plain_words

STAGE_QUESTION = "ask_reg_pmi_stage"
FORM_FIELD_WORDS_PATH = Path(__file__).resolve().parents[2] / "data" / "language" / "form_fields.yml"
_STAGE_PAYLOAD = re.compile(r'"pmi_stage"\s*:\s*"(\w+)"')


def _form_words_file(path: Path) -> Dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=1)
def load_field_words(path: Path = FORM_FIELD_WORDS_PATH) -> Dict[str, Tuple[str, ...]]:
    """Slot -> the words that name it (data/language/form_fields.yml), folded like user text."""
    raw = _form_words_file(path).get("form_field_words") or {}
    return {slot: tuple(plain_words(word) for word in words) for slot, words in raw.items()}


@lru_cache(maxsize=1)  # load_rules runs on every form turn: the file is read once per process
def load_edit_words(path: Path = FORM_FIELD_WORDS_PATH) -> Tuple[str, ...]:
    """Words that ask to change an answer (data/language/form_fields.yml), folded like user text."""
    return tuple(dict.fromkeys(plain_words(word) for word in _form_words_file(path).get("form_edit_words") or []))


def load_rules(knowledge: Knowledge) -> Rules:
    max_age = {segment.key: knowledge.max_age(segment.key) for segment in knowledge.segments()}
    stage_fields = {stage.key: knowledge.fields_asked_at_stage(stage.key) for stage in knowledge.stages()}
    stage_names = {}
    for stage in knowledge.stages():
        for name in [stage.key, stage.name.id, stage.name.en] + stage.aliases.all():
            stage_names[plain_words(name)] = stage.key
    # The stage question's button titles, as a user may type them instead of clicking.
    for button in messages.load_catalogue()[STAGE_QUESTION].buttons:
        key = _STAGE_PAYLOAD.search(button.payload).group(1)
        for title in button.title.values():
            stage_names[plain_words(title)] = key
    return Rules(max_age=max_age, stage_fields=stage_fields, stage_names=stage_names, field_words=load_field_words(),
                 edit_words=load_edit_words())
