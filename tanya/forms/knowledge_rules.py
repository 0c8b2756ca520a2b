"""Build the form's Rules from the knowledge module (age limits, documents per PMI stage)."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from tanya import messages
from tanya.forms import fields as F
from tanya.forms.engine import Rules
from tanya.knowledge import repository as kb

# Stage documents that the form turns into questions, recognised by their English name in the knowledge.
STAGE_DOCUMENT_FIELDS = (("passport", F.PASSPORT.slot), ("employment agreement", F.EMPLOYMENT_AGREEMENT.slot))


STAGE_QUESTION = "ask_reg_pmi_stage"


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def load_rules(session: Session) -> Rules:
    max_age = {segment.key: kb.max_age(session, segment.key) for segment in kb.list_segments(session)}
    stage_fields = {}
    for group in kb.list_document_groups(session, "pmi"):
        names = " ".join(document.name.en.lower() for document in group.documents)
        stage_fields[group.stage.key] = frozenset(slot for word, slot in STAGE_DOCUMENT_FIELDS if word in names)
    stage_names = {}
    for stage in kb.list_pmi_stages(session):
        stage_names[_words(stage.name.id)] = stage.key
        stage_names[_words(stage.name.en)] = stage.key
        stage_names[stage.key] = stage.key
    # The stage question's button titles, as a user may type them instead of clicking.
    for button in messages.load_catalogue()[STAGE_QUESTION].buttons:
        key = re.search(r'"pmi_stage"\s*:\s*"(\w+)"', button.payload).group(1)
        for title in button.title.values():
            stage_names[_words(title)] = key
    return Rules(max_age=max_age, stage_fields=stage_fields, stage_names=stage_names)
