"""Read response texts from the domain the Rasa server sends with every action call.

Button titles that an action assembles itself (clarification, segment choice) still come from YAML:
the action looks up the response variation for the user's language here.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

LANGUAGE_SLOT = "language"


def _variation_language(variation: Dict[str, Any]) -> Optional[str]:
    for condition in variation.get("condition") or []:
        if condition.get("name") == LANGUAGE_SLOT:
            return condition.get("value")
    return None


def response_text(domain: Dict[str, Any], name: str, language: str) -> Optional[str]:
    """Text of response `name` for `language`; the unconditioned variation is the default."""
    variations = (domain.get("responses") or {}).get(name) or []
    default = None
    for variation in variations:
        variation_language = _variation_language(variation)
        if variation_language == language:
            return variation.get("text")
        if variation_language is None and default is None:
            default = variation.get("text")
    return default
