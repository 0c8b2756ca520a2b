"""The shape of the knowledge content (data/knowledge/*.yml), as pydantic models.

The same models validate the files content staff edit (every problem named with its file, entry and
field, all at once) and give the rest of the code its typed records: the loader stores them, the
repository reads them back, the NLU reads the understanding cues from them. Every text exists in
Indonesian (`id`) and English (`en`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml
from pydantic import BaseModel, Extra, Field, ValidationError, conint, constr, root_validator, validator

from tanya.segments import KEYS

LANGUAGES = ("id", "en")
NonEmpty = constr(strip_whitespace=True, min_length=1)
Key = constr(regex=r"^[a-z][a-z0-9_]*$")
SEGMENTS = KEYS  # the segments the assistant has behaviour for (tanya.segments): the knowledge must cover each


class Model(BaseModel):
    class Config:
        extra = Extra.forbid  # a misspelt field is an error, not silently ignored
        allow_mutation = False


class Text(Model):
    """A text in both languages."""

    id: NonEmpty
    en: NonEmpty

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.id


class Terms(Model):
    """Words or phrases in both languages (aliases, cue words); either list may be empty."""

    id: List[NonEmpty] = []
    en: List[NonEmpty] = []

    def all(self) -> List[str]:
        return list(self.id) + list(self.en)


class Segment(Model):
    key: Key
    name: Text
    short_name: Text
    summary: Text
    registrant: Text
    # Why a user belongs here, said when triage picks this segment from the work they describe.
    triage_reason: Text
    # Names users give the segment itself ("BPU", "pekerja mandiri", "self-employed").
    aliases: Terms = Terms()


class Channel(Model):
    key: Key
    name: Text
    short: Optional[Text] = None  # for compact overviews ("PTSP", "Portal Bersama (www.bpjs.go.id)")
    url: Optional[NonEmpty] = None
    # What the channel is, for questions about one kind ("lewat bank?", "is there an app?").
    kinds: List[Key] = []


class ChannelGroup(Model):
    key: Key
    segment: Key
    label: Text
    mode: constr(regex=r"^(physical|non_physical|domestic|overseas|info)$")
    channels: List[Channel] = Field(..., min_items=1)


class PmiStage(Model):
    key: Key
    name: Text
    aliases: Terms = Terms()
    # Everyday words for the stage ("while working", "extend"): the stage only in a message about working abroad.
    weak_aliases: Terms = Terms()


class Document(Model):
    key: Key
    segment: Key
    stage: Optional[Key] = None
    name: Text
    # The pre-registration field this document makes the form ask for (e.g. reg_passport_number).
    asks: Optional[Key] = None


class EligibilityRule(Model):
    key: Key
    segment: Key
    topic: Key
    text: Text
    max_age: Optional[conint(gt=0, lt=150)] = None  # the age a participant must NOT have reached
    min_months: Optional[conint(gt=0)] = None


class Note(Model):
    key: Key
    segment: Key
    topic: Optional[Key] = None
    text: Text


class Requirement(Model):
    text: Text
    # What to do when a prospective agent does not meet it (a catalogue message name).
    remedy: Optional[Key] = None


class RequirementGroup(Model):
    key: Key
    segment: Key
    title: Text
    intro: Optional[Text] = None
    requirements: List[Requirement] = Field(..., min_items=1)

    @validator("requirements", pre=True)
    def _plain_texts(cls, value):
        # A requirement may be written as just its id/en text.
        return [item if isinstance(item, dict) and "text" in item else {"text": item} for item in value or []]


class Branch(Model):
    key: Key
    segment: Key
    city: NonEmpty
    name: NonEmpty


class Contact(Model):
    key: Key
    kind: constr(regex=r"^(phone|email|office|website)$")
    name: Text
    value: Optional[NonEmpty] = None  # the number, address or URL itself
    detail: Optional[Text] = None
    source: NonEmpty  # where the fact comes from


class ServiceInfo(Model):
    """Facts about the human service that no source we hold states are left empty, never invented."""

    office_hours: Optional[Text] = None


class Occupation(Model):
    key: Key
    # The segment of someone doing this work; None when the work alone does not decide (a yes/no
    # question "are you paid wages by an employer?" settles it).
    segment: Optional[Key]
    name: Text
    aliases: Terms = Terms()


class Country(Model):
    key: Key
    name: Text
    aliases: Terms = Terms()  # other names, big cities ("Dubai", "Hongkong")
    demonyms: Terms = Terms()  # "Korea" as in "a Korean consultant": someone from there


class OutsideTopic(Model):
    """A question people often ask that the registration page does not answer (contributions, claims)."""

    key: Key
    name: Text
    cues: Terms
    # About registration itself (what it costs, how long it takes): outside the page even when the
    # message also says "daftar", which otherwise marks a question the page does answer.
    about_registration: bool = False


class CueGroup(Model):
    """Words that signal something about a message: a segment, what is asked, a conversational act."""

    key: Key
    kind: constr(regex=r"^(segment|facet|act|anchor|stage|relation|person|staff)$")
    segment: Optional[Key] = None  # for kind: segment
    weight: conint(ge=1, le=10) = 1
    terms: Terms
    label: Optional[Text] = None  # for kind: person, how an answer names them ("ayah Anda", "your father")

    @root_validator(skip_on_failure=True)
    def _segment_cues_name_one(cls, values):
        if values["kind"] == "segment" and not values.get("segment"):
            raise ValueError("a segment cue needs 'segment'")
        if values["kind"] == "person" and not values.get("label"):
            raise ValueError("a person cue needs 'label' (how an answer names the person)")
        return values


class Content(Model):
    """Everything in data/knowledge, validated, cross-references checked."""

    segments: List[Segment] = Field(..., min_items=1)
    channel_groups: List[ChannelGroup] = []
    pmi_stages: List[PmiStage] = []
    documents: List[Document] = []
    eligibility_rules: List[EligibilityRule] = []
    notes: List[Note] = []
    requirement_groups: List[RequirementGroup] = []
    branches: List[Branch] = []
    contacts: List[Contact] = []
    service: ServiceInfo = ServiceInfo()
    occupations: List[Occupation] = []
    countries: List[Country] = []
    outside_topics: List[OutsideTopic] = []
    cues: List[CueGroup] = []


class ContentError(ValueError):
    """Bad knowledge content; the message lists every problem with its file, entry and field."""

    def __init__(self, problems: List[str]) -> None:
        self.problems = problems
        super().__init__("Knowledge content is invalid:\n" + "\n".join(f"- {p}" for p in problems))


SECTIONS = tuple(name for name in Content.__fields__)
LIST_SECTIONS = tuple(name for name, field in Content.__fields__.items() if field.outer_type_ is not ServiceInfo)


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _entry_name(raw: object, index: int) -> str:
    key = raw.get("key") if isinstance(raw, dict) else None
    return f"'{key}'" if key else f"#{index + 1}"


def _field_problems(where: str, error: ValidationError) -> List[str]:
    problems = []
    for item in error.errors():
        location = ".".join(str(part) for part in item["loc"] if part != "__root__")
        problems.append(f"{where}{': ' + location if location else ''}: {item['msg']}")
    return problems


def _check_references(content: Content, origin: Dict[Tuple[str, str], str]) -> List[str]:
    problems = []
    segments = {s.key for s in content.segments}
    stages = {s.key for s in content.pmi_stages}
    keyed_sections = ("channel_groups", "documents", "eligibility_rules", "notes", "requirement_groups", "branches")
    for section in keyed_sections:
        for entry in getattr(content, section):
            if entry.segment not in segments:
                problems.append(f"{origin[(section, entry.key)]}: refers to unknown segment '{entry.segment}'")
    for document in content.documents:
        if document.stage and document.stage not in stages:
            problems.append(f"{origin[('documents', document.key)]}: refers to unknown PMI stage '{document.stage}'")
    for occupation in content.occupations:
        if occupation.segment and occupation.segment not in segments:
            problems.append(f"{origin[('occupations', occupation.key)]}: refers to unknown segment '{occupation.segment}'")
    for cue in content.cues:
        if cue.segment and cue.segment not in segments:
            problems.append(f"{origin[('cues', cue.key)]}: refers to unknown segment '{cue.segment}'")
    return problems


def read_content(content_dir: Path) -> Content:
    """Read and validate every *.yml file in `content_dir`; ContentError lists all problems at once."""
    files = sorted(Path(content_dir).glob("*.yml"))
    if not files:
        raise ContentError([f"{Path(content_dir).as_posix()}: no knowledge files (*.yml) found"])
    problems: List[str] = []
    merged: Dict[str, list] = {name: [] for name in LIST_SECTIONS}
    singletons: Dict[str, dict] = {}
    origin: Dict[Tuple[str, str], str] = {}
    for path in files:
        display = _display(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            problems.append(f"{display}: not valid YAML ({error})")
            continue
        if not isinstance(data, dict):
            problems.append(f"{display}: must be a mapping of sections ({', '.join(SECTIONS)})")
            continue
        for section, raw in data.items():
            if section not in SECTIONS:
                problems.append(f"{display}: unknown section '{section}' (known: {', '.join(SECTIONS)})")
                continue
            field = Content.__fields__[section]
            if section not in LIST_SECTIONS:
                try:
                    field.type_.parse_obj(raw or {})
                    singletons[section] = raw or {}
                except ValidationError as error:
                    problems += _field_problems(f"{display}: {section}", error)
                continue
            if not isinstance(raw, list):
                problems.append(f"{display}: '{section}' must be a list")
                continue
            for index, entry in enumerate(raw):
                where = f"{display}: {section} {_entry_name(entry, index)}"
                try:
                    parsed = field.type_.parse_obj(entry)
                except ValidationError as error:
                    problems += _field_problems(where, error)
                    continue
                if (section, parsed.key) in origin:
                    problems.append(f"{where}: duplicate key (already defined in {origin[(section, parsed.key)]})")
                    continue
                origin[(section, parsed.key)] = where
                merged[section].append(parsed)
    if not merged["segments"]:
        problems.append(f"{Path(content_dir).as_posix()}: no segments defined")
    if problems:
        raise ContentError(problems)
    content = Content(**merged, **singletons)
    problems = _check_references(content, origin)
    if problems:
        raise ContentError(problems)
    return content
