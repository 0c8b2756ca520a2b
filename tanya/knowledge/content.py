"""Read the knowledge content files (data/knowledge/*.yml) and validate them before anything is loaded.

Every problem is reported with the file and the entry it concerns, all at once, so content staff can
fix a whole batch in one go. Nothing here touches the database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import yaml

from tanya.knowledge import models as m

LANGUAGES = ("id", "en")


class ContentError(ValueError):
    """Bad knowledge content; the message lists every problem with its file and entry."""

    def __init__(self, problems: List[str]) -> None:
        self.problems = problems
        super().__init__("Knowledge content is invalid:\n" + "\n".join(f"- {p}" for p in problems))


@dataclass
class Content:
    rows: Dict[type, List[dict]] = field(default_factory=lambda: defaultdict(list))
    # (model, key) -> where it was defined, for duplicate and reference messages
    origin: Dict[Tuple[type, str], str] = field(default_factory=dict)

    def count(self) -> Dict[str, int]:
        return {model.__tablename__: len(self.rows.get(model, [])) for model in m.LOAD_ORDER}


class _Reader:
    def __init__(self) -> None:
        self.content = Content()
        self.problems: List[str] = []
        self.references: List[Tuple[str, type, str]] = []  # (where, target model, key)

    # -- helpers -------------------------------------------------------------------------------
    def where(self, path: Path, kind: str, entry: Any) -> str:
        key = entry.get("key") if isinstance(entry, dict) else None
        return f"{path.as_posix()}: {kind} '{key}'" if key else f"{path.as_posix()}: {kind} #{entry}"

    def text(self, where: str, entry: dict, name: str, required: bool = True) -> Optional[Dict[str, str]]:
        value = entry.get(name)
        if value is None:
            if required:
                self.problems.append(f"{where}: missing '{name}'")
            return None
        if not isinstance(value, dict):
            self.problems.append(f"{where}: '{name}' must have 'id' and 'en' texts")
            return None
        for language, label in (("id", "Indonesian"), ("en", "English")):
            if not isinstance(value.get(language), str) or not value[language].strip():
                self.problems.append(f"{where}: missing {label} text for '{name}'")
        return value

    def required(self, where: str, entry: dict, name: str) -> Any:
        if entry.get(name) in (None, ""):
            self.problems.append(f"{where}: missing '{name}'")
        return entry.get(name)

    def add(self, model: type, where: str, row: dict) -> None:
        key = row.get("key")
        if key is not None:
            if (model, key) in self.content.origin:
                self.problems.append(f"{where}: duplicate key (already defined in {self.content.origin[(model, key)]})")
                return
            self.content.origin[(model, key)] = where
        self.content.rows[model].append(row)

    def refer(self, where: str, model: type, key: Optional[str]) -> None:
        if key is not None:
            self.references.append((where, model, key))

    @staticmethod
    def flat(prefix: str, text: Optional[Dict[str, str]]) -> dict:
        return {f"{prefix}_{lang}": (text or {}).get(lang, "") for lang in LANGUAGES}

    def entries(self, path: Path, kind: str, raw: Any) -> List[Tuple[int, str, dict]]:
        if not isinstance(raw, list):
            self.problems.append(f"{path.as_posix()}: '{kind}' must be a list")
            return []
        result = []
        for position, entry in enumerate(raw, start=1):
            if not isinstance(entry, dict):
                self.problems.append(f"{path.as_posix()}: {kind} #{position} is not a mapping")
                continue
            where = self.where(path, kind, entry)
            if kind != "requirement" and not entry.get("key"):
                self.problems.append(f"{path.as_posix()}: {kind} #{position}: missing 'key'")
            result.append((position, where, entry))
        return result

    # -- sections ----------------------------------------------------------------------------------
    def segments(self, path: Path, raw: Any) -> None:
        for position, where, e in self.entries(path, "segment", raw):
            row = {"key": e.get("key"), "position": position}
            for name in ("name", "short_name", "summary", "registrant"):
                row.update(self.flat(name, self.text(where, e, name)))
            self.add(m.Segment, where, row)

    def channel_groups(self, path: Path, raw: Any) -> None:
        for position, where, e in self.entries(path, "channel group", raw):
            segment = self.required(where, e, "segment")
            self.refer(where, m.Segment, segment)
            row = {"key": e.get("key"), "segment_key": segment, "position": position}
            row.update(self.flat("label", self.text(where, e, "label")))
            self.add(m.ChannelGroup, where, row)
            for channel_position, channel_where, c in self.entries(path, "channel", e.get("channels") or []):
                channel = {
                    "key": c.get("key"),
                    "group_key": e.get("key"),
                    "position": channel_position,
                    "url": c.get("url"),
                }
                channel.update(self.flat("name", self.text(channel_where, c, "name")))
                self.add(m.Channel, channel_where, channel)

    def pmi_stages(self, path: Path, raw: Any) -> None:
        for position, where, e in self.entries(path, "PMI stage", raw):
            row = {"key": e.get("key"), "position": position}
            row.update(self.flat("name", self.text(where, e, "name")))
            self.add(m.PmiStage, where, row)

    def documents(self, path: Path, raw: Any) -> None:
        for position, where, e in self.entries(path, "document", raw):
            segment = self.required(where, e, "segment")
            self.refer(where, m.Segment, segment)
            self.refer(where, m.PmiStage, e.get("stage"))
            row = {"key": e.get("key"), "segment_key": segment, "stage_key": e.get("stage"), "position": position}
            row.update(self.flat("name", self.text(where, e, "name")))
            self.add(m.Document, where, row)

    def eligibility_rules(self, path: Path, raw: Any) -> None:
        for position, where, e in self.entries(path, "eligibility rule", raw):
            segment = self.required(where, e, "segment")
            self.refer(where, m.Segment, segment)
            row = {
                "key": e.get("key"),
                "segment_key": segment,
                "topic": self.required(where, e, "topic"),
                "position": position,
                "max_age": e.get("max_age"),
                "min_months": e.get("min_months"),
            }
            row.update(self.flat("text", self.text(where, e, "text")))
            self.add(m.EligibilityRule, where, row)

    def notes(self, path: Path, raw: Any) -> None:
        for position, where, e in self.entries(path, "note", raw):
            segment = self.required(where, e, "segment")
            self.refer(where, m.Segment, segment)
            row = {"key": e.get("key"), "segment_key": segment, "position": position}
            row.update(self.flat("text", self.text(where, e, "text")))
            self.add(m.Note, where, row)

    def requirement_groups(self, path: Path, raw: Any) -> None:
        for _, where, e in self.entries(path, "requirement group", raw):
            row = {"key": e.get("key")}
            row.update(self.flat("title", self.text(where, e, "title")))
            intro = self.text(where, e, "intro", required=False)
            row.update(
                {f"intro_{lang}": intro.get(lang) for lang in LANGUAGES}
                if intro
                else {"intro_id": None, "intro_en": None}
            )
            self.add(m.RequirementGroup, where, row)
            requirements = e.get("requirements") or []
            if not requirements:
                self.problems.append(f"{where}: missing 'requirements'")
            for position, text in enumerate(requirements, start=1):
                item_where = f"{where}, requirement {position}"
                if not isinstance(text, dict):
                    self.problems.append(f"{item_where}: must have 'id' and 'en' texts")
                    continue
                checked = self.text(item_where, {"text": text}, "text")
                self.add(
                    m.Requirement,
                    item_where,
                    {"group_key": e.get("key"), "position": position, **self.flat("text", checked)},
                )

    def branches(self, path: Path, raw: Any) -> None:
        for position, where, e in self.entries(path, "branch", raw):
            segment = self.required(where, e, "segment")
            self.refer(where, m.Segment, segment)
            row = {
                "key": e.get("key"),
                "segment_key": segment,
                "city": self.required(where, e, "city"),
                "name": self.required(where, e, "name"),
                "position": position,
            }
            self.add(m.Branch, where, row)

    def contacts(self, path: Path, raw: Any) -> None:
        for position, where, e in self.entries(path, "contact", raw):
            row = {"key": e.get("key"), "position": position, "url": e.get("url")}
            row.update(self.flat("name", self.text(where, e, "name")))
            row.update(self.flat("detail", self.text(where, e, "detail")))
            self.add(m.Contact, where, row)

    def occupations(self, path: Path, raw: Any) -> None:
        for position, where, e in self.entries(path, "occupation", raw):
            if "segment" not in e:
                self.problems.append(f"{where}: missing 'segment' (use null when the occupation alone cannot decide)")
            self.refer(where, m.Segment, e.get("segment"))
            row = {"key": e.get("key"), "segment_key": e.get("segment"), "position": position}
            row.update(self.flat("name", self.text(where, e, "name")))
            row.update(self.flat("reason", self.text(where, e, "reason")))
            self.add(m.Occupation, where, row)

    def check_references(self) -> None:
        for where, model, key in self.references:
            if (model, key) not in self.content.origin:
                self.problems.append(f"{where}: refers to unknown {model.__tablename__[3:].replace('_', ' ')} '{key}'")


SECTIONS: Dict[str, Callable[[_Reader, Path, Any], None]] = {
    "segments": _Reader.segments,
    "channel_groups": _Reader.channel_groups,
    "pmi_stages": _Reader.pmi_stages,
    "documents": _Reader.documents,
    "eligibility_rules": _Reader.eligibility_rules,
    "notes": _Reader.notes,
    "requirement_groups": _Reader.requirement_groups,
    "branches": _Reader.branches,
    "contacts": _Reader.contacts,
    "occupations": _Reader.occupations,
}


def _display(path: Path) -> str:
    """The file as content staff know it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def read_content(content_dir: Path) -> Content:
    """Read and validate every *.yml file in `content_dir`; raise ContentError listing all problems."""
    reader = _Reader()
    files = sorted(Path(content_dir).glob("*.yml"))
    if not files:
        raise ContentError([f"{Path(content_dir).as_posix()}: no knowledge files (*.yml) found"])
    for path in files:
        display = _display(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            reader.problems.append(f"{display}: not valid YAML ({error})")
            continue
        for section, raw in data.items():
            if section not in SECTIONS:
                reader.problems.append(f"{display}: unknown section '{section}' (known: {', '.join(SECTIONS)})")
                continue
            SECTIONS[section](reader, Path(display), raw)
    reader.check_references()
    if not reader.content.rows.get(m.Segment):
        reader.problems.append(f"{Path(content_dir).as_posix()}: no segments defined")
    if reader.problems:
        raise ContentError(reader.problems)
    return reader.content
