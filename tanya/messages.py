"""Message templates that custom actions fill with facts, in Indonesian and English.

Responses that rules utter directly live in domain.yml. Templates that only actions use live in
data/messages/*.yml instead: Rasa's validator flags every domain response that no story or rule
names, and these are named by actions only. Same idea, same two languages, one more place.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from tanya.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

DEFAULT_MESSAGES_DIR = Path(__file__).resolve().parent.parent / "data" / "messages"


class MessageCatalogueError(ValueError):
    pass


@dataclass(frozen=True)
class Button:
    title: Dict[str, str]
    payload: str


@dataclass(frozen=True)
class Template:
    name: str
    text: Dict[str, str]
    buttons: Tuple[Button, ...] = ()

    def placeholders(self, language: str) -> set:
        return {field for _, field, _, _ in string.Formatter().parse(self.text[language]) if field}


def _parse_template(path: Path, name: str, raw: dict) -> Template:
    problems = [
        f"{path.name}: message '{name}': missing {lang!r} text"
        for lang in SUPPORTED_LANGUAGES
        if not (raw or {}).get(lang)
    ]
    if problems:
        raise MessageCatalogueError("; ".join(problems))
    buttons = []
    for index, button in enumerate(raw.get("buttons") or []):
        title = button.get("title") or {}
        if not all(title.get(lang) for lang in SUPPORTED_LANGUAGES) or not button.get("payload"):
            raise MessageCatalogueError(
                f"{path.name}: message '{name}': button {index + 1} needs id/en titles and a payload"
            )
        buttons.append(Button(title=dict(title), payload=button["payload"]))
    return Template(name=name, text={lang: raw[lang] for lang in SUPPORTED_LANGUAGES}, buttons=tuple(buttons))


@lru_cache(maxsize=4)
def load_catalogue(directory: Path = DEFAULT_MESSAGES_DIR) -> Dict[str, Template]:
    catalogue: Dict[str, Template] = {}
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, raw in (data.get("messages") or {}).items():
            if name in catalogue:
                raise MessageCatalogueError(f"{path.name}: message '{name}' is defined twice")
            catalogue[name] = _parse_template(path, name, raw)
    return catalogue


def render(name: str, language: str, /, extra_buttons: Optional[List[dict]] = None, **values: str) -> dict:
    """The message `name` in `language` as a Rasa message dict: text (+ buttons). Positional-only
    parameters, so that a placeholder may itself be called {name}."""
    template = load_catalogue()[name]
    language = language if language in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
    message = {"text": template.text[language].format(**values)}
    buttons = [{"title": b.title[language], "payload": b.payload} for b in template.buttons] + list(extra_buttons or [])
    if buttons:
        message["buttons"] = buttons
    return message


def text(name: str, language: str, /, **values: str) -> str:
    return render(name, language, **values)["text"]
