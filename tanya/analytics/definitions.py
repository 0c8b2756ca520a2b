"""What the deflection numbers count, read from data/analytics/definitions.yml (never Python constants)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Tuple
from zoneinfo import ZoneInfo

import yaml

from tanya.settings import PROJECT_ROOT

DEFAULT_DEFINITIONS_PATH = PROJECT_ROOT / "data" / "analytics" / "definitions.yml"


class DefinitionsError(ValueError):
    pass


@dataclass(frozen=True)
class Definitions:
    timezone: str = "Asia/Jakarta"
    idle_minutes: float = 60
    default_language: str = "id"
    fallback_actions: Tuple[str, ...] = ()
    handoff_actions: Tuple[str, ...] = ()
    repeat_handoff_action: str = ""
    handoff_outcomes: Tuple[str, ...] = ()
    question_action: str = ""
    question_slot: str = ""
    registration_form: str = "registration_form"
    submitted_outcomes: Tuple[str, ...] = ()
    similarity: float = 90
    top_unanswered_limit: int = 20
    dashboard_default_days: int = 30
    dashboard_session_hours: float = 8
    dashboard_max_failed_logins: int = 10
    automatic_messages: Tuple[Tuple[str, str], ...] = ()  # (channel, text) a client sends by itself

    def is_automatic(self, channel: Optional[str], text: Optional[str]) -> bool:
        """A message the channel's client sent by itself (the widget's greeting on open), not the user."""
        return (channel or "", (text or "").strip()) in self.automatic_messages

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def idle_seconds(self) -> float:
        return self.idle_minutes * 60


def _names(raw: dict, key: str, path: Path) -> Tuple[str, ...]:
    value = raw.get(key)
    if not isinstance(value, list) or not all(isinstance(name, str) and name for name in value):
        raise DefinitionsError(f"{path}: '{key}' must be a list of names")
    return tuple(value)


def _name(raw: dict, key: str, path: Path) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value:
        raise DefinitionsError(f"{path}: '{key}' must be a name")
    return value


def _automatic(raw: dict, path: Path) -> Tuple[Tuple[str, str], ...]:
    value = raw.get("automatic_messages") or {}
    if not isinstance(value, dict):
        raise DefinitionsError(f"{path}: 'automatic_messages' must map channel names to lists of texts")
    pairs = []
    for channel, texts in value.items():
        if not isinstance(channel, str) or not isinstance(texts, list) or not all(isinstance(t, str) and t.strip() for t in texts):
            raise DefinitionsError(f"{path}: 'automatic_messages' must map channel names to lists of texts")
        pairs += [(channel, text.strip()) for text in texts]
    return tuple(pairs)


def load_definitions(path: Optional[Path] = None) -> Definitions:
    """The definitions in `path` (default: data/analytics/definitions.yml), checked."""
    path = Path(path or DEFAULT_DEFINITIONS_PATH)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise DefinitionsError(f"{path}: not valid YAML ({error.__class__.__name__})") from error
    if not isinstance(raw, dict):
        raise DefinitionsError(f"{path}: expected a mapping")
    unanswered = raw.get("top_unanswered") or {}
    dashboard = raw.get("dashboard") or {}
    try:
        definitions = Definitions(
            timezone=str(raw.get("timezone", Definitions.timezone)),
            idle_minutes=float(raw.get("idle_minutes", Definitions.idle_minutes)),
            default_language=str(raw.get("default_language", Definitions.default_language)),
            fallback_actions=_names(raw, "fallback_actions", path),
            handoff_actions=_names(raw, "handoff_actions", path),
            repeat_handoff_action=_name(raw, "repeat_handoff_action", path),
            handoff_outcomes=_names(raw, "handoff_outcomes", path),
            question_action=_name(raw, "question_action", path),
            question_slot=_name(raw, "question_slot", path),
            registration_form=_name(raw, "registration_form", path),
            submitted_outcomes=_names(raw, "submitted_outcomes", path),
            automatic_messages=_automatic(raw, path),
            similarity=float(unanswered.get("similarity", Definitions.similarity)),
            top_unanswered_limit=int(unanswered.get("limit", Definitions.top_unanswered_limit)),
            dashboard_default_days=int(dashboard.get("default_days", Definitions.dashboard_default_days)),
            dashboard_session_hours=float(dashboard.get("session_hours", Definitions.dashboard_session_hours)),
            dashboard_max_failed_logins=int(
                dashboard.get("max_failed_logins_per_minute", Definitions.dashboard_max_failed_logins)
            ),
        )
    except (TypeError, ValueError) as error:
        if isinstance(error, DefinitionsError):
            raise
        raise DefinitionsError(f"{path}: {error}") from error
    if not 0 <= definitions.similarity <= 100:
        raise DefinitionsError(f"{path}: top_unanswered.similarity must be between 0 and 100")
    if definitions.idle_minutes < 0:
        raise DefinitionsError(f"{path}: idle_minutes must not be negative")
    if definitions.top_unanswered_limit < 1 or definitions.dashboard_default_days < 1:
        raise DefinitionsError(f"{path}: top_unanswered.limit and dashboard.default_days must be at least 1")
    try:
        definitions.zone
    except Exception as error:  # zoneinfo raises several kinds for a bad name
        raise DefinitionsError(f"{path}: unknown timezone {definitions.timezone!r}") from error
    return definitions
