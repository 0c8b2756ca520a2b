"""The page's labels: every `dashboard_*` entry (prefix dropped) and the form's `field_*` names, per language."""

from __future__ import annotations

from functools import lru_cache
from typing import Dict

from tanya import messages
from tanya.language import SUPPORTED_LANGUAGES

PREFIX = "dashboard_"
FIELD_PREFIX = "field_"


@lru_cache(maxsize=1)
def catalogue() -> Dict[str, Dict[str, str]]:
    """language -> label name -> text (raw: the page fills in any {placeholder} itself)."""
    labels: Dict[str, Dict[str, str]] = {language: {} for language in SUPPORTED_LANGUAGES}
    for name, template in messages.load_catalogue().items():
        if name.startswith(PREFIX):
            key = name[len(PREFIX) :]
        elif name.startswith(FIELD_PREFIX):
            key = name
        else:
            continue
        for language in SUPPORTED_LANGUAGES:
            labels[language][key] = template.text[language]
    return labels


def label(name: str, language: str) -> str:
    language = language if language in SUPPORTED_LANGUAGES else SUPPORTED_LANGUAGES[0]
    return catalogue()[language][name]
