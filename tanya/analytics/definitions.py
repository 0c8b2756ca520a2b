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
    registration_form: str = "registration_form"
    registration_field_prefix: str = "reg_"
    similarity: float = 90
    top_unanswered_limit: int = 20
    dashboard_default_days: int = 30
    dashboard_session_hours: float = 8
    dashboard_max_failed_logins: int = 10

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def idle_seconds(self) -> float:
        return self.idle_minutes * 60


def _names(raw: dict, key: str, path: Path) -> Tuple[str, ...]:
    value = raw.get(key)
    if not isinstance(value, list) or not all(isinstance(name, str) and name for name in value):
        raise DefinitionsError(f"{path}: '{key}' must be a list of action names")
    return tuple(value)


def load_definitions(path: Optional[Path] = None) -> Definitions:
    """The definitions in `path` (default: data/analytics/definitions.yml), checked."""
    path = Path(path or DEFAULT_DEFINITIONS_PATH)
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unanswered = raw.get("top_unanswered") or {}
    dashboard = raw.get("dashboard") or {}
    try:
        definitions = Definitions(
            timezone=str(raw.get("timezone", Definitions.timezone)),
            idle_minutes=float(raw.get("idle_minutes", Definitions.idle_minutes)),
            default_language=str(raw.get("default_language", Definitions.default_language)),
            fallback_actions=_names(raw, "fallback_actions", path),
            handoff_actions=_names(raw, "handoff_actions", path),
            registration_form=str(raw.get("registration_form", Definitions.registration_form)),
            registration_field_prefix=str(raw.get("registration_field_prefix", Definitions.registration_field_prefix)),
            similarity=float(unanswered.get("similarity", Definitions.similarity)),
            top_unanswered_limit=int(unanswered.get("limit", Definitions.top_unanswered_limit)),
            dashboard_default_days=int(dashboard.get("default_days", Definitions.dashboard_default_days)),
            dashboard_session_hours=float(dashboard.get("session_hours", Definitions.dashboard_session_hours)),
            dashboard_max_failed_logins=int(
                dashboard.get("max_failed_logins_per_minute", Definitions.dashboard_max_failed_logins)
            ),
        )
    except (TypeError, ValueError) as error:
        raise DefinitionsError(f"{path}: {error}") from error
    if not 0 <= definitions.similarity <= 100:
        raise DefinitionsError(f"{path}: top_unanswered.similarity must be between 0 and 100")
    if definitions.idle_minutes < 0:
        raise DefinitionsError(f"{path}: idle_minutes must not be negative")
    try:
        definitions.zone
    except Exception as error:  # zoneinfo raises several kinds for a bad name
        raise DefinitionsError(f"{path}: unknown timezone {definitions.timezone!r}") from error
    return definitions
