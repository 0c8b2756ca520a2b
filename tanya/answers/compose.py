"""Compose one answer (one message: text and buttons) from the knowledge, in the user's language.

Pure: it reads a Knowledge copy and the message catalogue (data/messages/answers.yml), and returns
an Answer; the action sends it and stores the slots. Every fact comes from the knowledge base;
every sentence around the facts from the catalogue.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence

from tanya import messages, segments
from tanya.knowledge import schema as s
from tanya.knowledge.repository import Knowledge
from tanya.understanding import topics as T

BULLET = "• "
ONLINE_MODES = frozenset({"non_physical", "overseas"})
OFFLINE_MODES = frozenset({"physical", "domestic", "info"})
# Channel kinds a question may ask about, by facet.
KIND_OF_FACET = {
    "kind_bank": "bank",
    "kind_payment_point": "payment_point",
    "kind_association": "association",
    "kind_app": "app",
    "kind_oss": "oss",
    "kind_ptsp": "ptsp",
    "kind_portal": "portal",
    "kind_placement": "placement",
}
JAKARTA = "Jakarta"
WRITER = "self"  # Question.person of the person writing (tanya.understanding.parts)
# Follow-up buttons: the label and the intent of each topic a segment offers next (tanya.segments).
FOLLOW_UP_BUTTONS = {
    T.HOW_TO_REGISTER: ("label_how", "ask_how_to_register"),
    T.DOCUMENTS: ("label_documents", "ask_documents"),
    T.CHANNELS: ("label_channels", "ask_channels"),
    T.PERISAI_REQUIREMENTS: ("label_perisai_agent", "ask_perisai_requirements"),
    T.PERISAI_OFFICE: ("label_perisai_office", "ask_perisai_office_requirements"),
}
# Topics whose answer is the same for every segment, or that need none.
NO_SEGMENT_TOPICS = frozenset({T.SEGMENTS, T.SEGMENT_FIT, T.CONTACTS})


@dataclass(frozen=True)
class Question:
    topic: str
    segment: Optional[str] = None
    facets: FrozenSet[str] = frozenset()
    stage: Optional[str] = None
    age: Optional[int] = None
    occupation: Optional[str] = None
    segment_basis: Optional[str] = None  # "alias", "occupation", a cue key, or "context"
    segment_also: Optional[str] = None
    outside_topic: Optional[str] = None
    person: str = WRITER  # who the question is about: the writer, or a person cue key ("father")


@dataclass
class Answer:
    text: str
    buttons: List[Dict[str, str]] = field(default_factory=list)
    topic: Optional[str] = None
    segment: Optional[str] = None

    @property
    def key(self) -> str:
        """What was answered, for the deflection numbers: "<topic>:<segment>"."""
        return f"{self.topic or '-'}:{self.segment or '-'}"


def payload(intent: str, **entities: str) -> str:
    return f"/{intent}{json.dumps(entities, separators=(',', ':'))}" if entities else f"/{intent}"


def bullets(items: Iterable[str]) -> str:
    return "\n".join(BULLET + item for item in items)


def numbered(items: Iterable[str]) -> str:
    return "\n".join(f"{number}. {item}" for number, item in enumerate(items, start=1))


def joined(items: Sequence[str], language: str) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    last = " dan " if language == "id" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


class Composer:
    def __init__(self, knowledge: Knowledge, language: str) -> None:
        self.kb = knowledge
        self.language = language

    # -- small helpers --------------------------------------------------------------------------------
    def t(self, message: str, **values: object) -> str:
        return messages.text(message, self.language, **{key: str(value) for key, value in values.items()})

    def _get(self, text: Optional[s.Text]) -> str:
        return text.get(self.language) if text else ""

    def names(self, segment: s.Segment) -> Dict[str, str]:
        return {"segment_name": self._get(segment.name), "segment_short": self._get(segment.short_name)}

    def _short(self, channel: s.Channel) -> str:
        return self._get(channel.short) or self._get(channel.name)

    def segment_buttons(self, intent: str = "inform", **extra: str) -> List[Dict[str, str]]:
        return [
            {
                "title": f"{self._get(segment.short_name)}: {self._get(segment.name)}",
                "payload": payload(intent, segment=segment.key, **extra),
            }
            for segment in self.kb.segments()
        ]

    def follow_ups(self, segment: s.Segment, answered: Iterable[Optional[str]]) -> List[Dict[str, str]]:
        """Buttons for the next question about the same segment (never another segment's name)."""
        done = set(answered)
        buttons = [
            {"title": self.t(FOLLOW_UP_BUTTONS[topic][0]), "payload": payload(FOLLOW_UP_BUTTONS[topic][1], segment=segment.key)}
            for topic in segments.segment(segment.key).follow_ups
            if topic not in done
        ][:3]
        buttons.append({"title": self.t("label_register_now"), "payload": payload("request_registration", segment=segment.key)})
        return buttons

    def _answer(self, blocks: Iterable[str], question: Question, segment: Optional[s.Segment], buttons=None) -> Answer:
        text = "\n\n".join(block for block in blocks if block)
        if buttons is None:
            buttons = self.follow_ups(segment, [question.topic]) if segment else []
        return Answer(text, buttons, question.topic, segment.key if segment else None)

    def who(self, question: Question) -> str:
        """How the answer names the person the question is about ("" for the writer)."""
        label = self.kb.person_label(question.person) if question.person != WRITER else None
        return self._get(label)

    def _about(self, name: str, question: Question, **values: object) -> str:
        """Catalogue message `name`, or its `_other` form naming the person the question is about."""
        who = self.who(question)
        if who:
            return self.t(f"{name}_other", who=who[:1].upper() + who[1:], who_lower=who, **values)
        return self.t(name, **values)

    def basis_line(self, question: Question, segment: s.Segment) -> str:
        """Why this segment, when the user described their work instead of naming it."""
        occupation = self.kb.occupation(question.occupation)
        if question.segment_basis == "occupation" and occupation and occupation.segment == segment.key:
            return self._about("basis_occupation", question, occupation_name=self._get(occupation.name), **self.names(segment))
        if question.segment_basis == "abroad":
            return self._about("basis_abroad", question, **self.names(segment))
        if self.who(question) and question.segment_basis not in (None, "context"):
            return self._about("basis_segment", question, **self.names(segment))
        return ""

    # -- entry point ----------------------------------------------------------------------------------
    def compose(self, question: Question) -> Answer:
        segment = self.kb.segment(question.segment)
        handlers = {
            T.HOW_TO_REGISTER: self.how_to_register,
            T.DOCUMENTS: self.documents,
            T.REQUIREMENTS: self.requirements,
            T.CHANNELS: self.channels,
            T.AGE: self.age,
            T.ELIGIBILITY: self.eligibility,
            T.FOREIGN_WORKER: self.foreign_worker,
            T.PREREQUISITE: self.prerequisite,
            T.WORKERS_DATA: self.workers_data,
            T.JAKON_BRANCHES: self.jakon_branches,
            T.PERISAI_REQUIREMENTS: self.perisai_requirements,
            T.PERISAI_OFFICE: self.perisai_office,
            T.DEFINITION: self.definition,
        }
        if question.topic == T.SEGMENTS:
            return self.segments(question)
        if question.topic == T.SEGMENT_FIT:
            return self.segment_fit(question)
        if question.topic == T.CONTACTS:
            return self.contacts(question)
        segment = segment or self.kb.segment(segments.owner_of_topic(question.topic))
        if segment is None:
            return self.overview(question)
        # Some segments answer a topic with another: a Perisai agent's "how" is the agent requirements.
        topic = segments.segment(segment.key).answers_with.get(question.topic, question.topic)
        return handlers[topic](question, segment)

    def _adds(self, segment: s.Segment, topic: str) -> tuple:
        """The extra paragraphs a segment's answer of `topic` carries (tanya.segments)."""
        return segments.segment(segment.key).adds.get(topic, ())

    # -- topics ---------------------------------------------------------------------------------------
    def how_to_register(self, question: Question, segment: s.Segment) -> Answer:
        lines = [
            self.t("channel_group_line", label=self._get(group.label), channels=", ".join(self._short(c) for c in group.channels))
            for group in self.kb.channel_groups(segment.key)
        ]
        documents = self._document_names(segment.key, question.stage)
        blocks = [
            self.t("how_heading", **self.names(segment)),
            self.basis_line(question, segment),
            self.t("segment_intro", summary=self._get(segment.summary), registrant=self._get(segment.registrant)),
            self.t("how_channels", channels="\n".join(lines)),
            self.t("how_documents", documents=joined(documents, self.language)) if documents else "",
            self._key_rules(segment),
        ]
        return self._answer(blocks, question, segment)

    def _document_names(self, segment: str, stage: Optional[str]) -> List[str]:
        groups = self.kb.document_groups(segment, stage)
        if len(groups) == 1:
            return [self._get(d.name) for d in groups[0].documents]
        return [f"{self._get(g.stage.name)}: {joined([self._get(d.name) for d in g.documents], self.language)}" for g in groups]

    def _key_rules(self, segment: s.Segment) -> str:
        """The segment's rules and notes in one paragraph (age limit, prerequisite, workers, passports)."""
        texts = [self._get(rule.text) for rule in self.kb.rules(segment.key)]
        texts += [self._get(note.text) for note in self.kb.notes(segment.key)]
        return bullets(texts) if texts else ""

    def documents(self, question: Question, segment: s.Segment) -> Answer:
        groups = self.kb.document_groups(segment.key, question.stage) or self.kb.document_groups(segment.key)
        if not groups:
            blocks = [self.t("no_documents_listed", **self.names(segment)), self._key_rules(segment)]
            return self._answer(blocks, question, segment)
        blocks = [self.basis_line(question, segment)]
        if groups[0].stage is None and len(groups[0].documents) == 1:
            blocks.append(self.t("documents_single", document=self._get(groups[0].documents[0].name), **self.names(segment)))
        elif groups[0].stage is None:
            blocks += [self.t("documents_heading", **self.names(segment)), bullets(self._get(d.name) for d in groups[0].documents)]
        else:
            blocks.append(self.t("documents_heading", **self.names(segment)))
            if len(groups) > 1:
                blocks.append(self.t("documents_stage_intro"))
            blocks += [
                self.t("documents_stage", stage=self._get(group.stage.name), documents=bullets(self._get(d.name) for d in group.documents))
                for group in groups
            ]
        if segments.KEY_RULES in self._adds(segment, T.DOCUMENTS):
            blocks.append(self._key_rules(segment))
        return self._answer(blocks, question, segment)

    def requirements(self, question: Question, segment: s.Segment) -> Answer:
        documents = self._document_names(segment.key, question.stage)
        rules = [self._get(rule.text) for rule in self.kb.rules(segment.key)]
        rules += [self._get(note.text) for note in self.kb.notes(segment.key)]
        blocks = [
            self.t("requirements_heading", **self.names(segment)),
            self.basis_line(question, segment),
            self.t("requirements_documents", documents=bullets(documents)) if documents else "",
            self.t("requirements_rules", rules=bullets(rules)) if rules else "",
        ]
        return self._answer(blocks, question, segment)

    def channels(self, question: Question, segment: s.Segment) -> Answer:
        groups = self.kb.channel_groups(segment.key)
        kinds = {KIND_OF_FACET[facet] for facet in question.facets if facet in KIND_OF_FACET}
        blocks = [self.basis_line(question, segment)]
        if kinds:
            matching = [c for g in groups for c in g.channels if kinds & set(c.kinds)]
            others = [c for g in groups for c in g.channels if c not in matching]
            if matching:
                blocks.append(self.t("channels_kind_yes", channels=joined([self._get(c.name) for c in matching], self.language), **self.names(segment)))
            else:
                blocks.append(self.t("channels_kind_no", **self.names(segment)))
            if others:
                blocks.append(self.t("channels_others", channels=", ".join(self._short(c) for c in others), **self.names(segment)))
        else:
            wanted = groups
            if "online" in question.facets and "offline" not in question.facets:
                wanted = [g for g in groups if g.mode in ONLINE_MODES] or groups
            elif "offline" in question.facets and "online" not in question.facets:
                wanted = [g for g in groups if g.mode in OFFLINE_MODES] or groups
            blocks.append(self.t("channels_heading", **self.names(segment)))
            blocks += [
                self.t("channels_group", label=self._get(g.label), channels=bullets(self._get(c.name) for c in g.channels))
                for g in wanted
            ]
        extras = self._adds(segment, T.CHANNELS)
        if segments.JAKARTA_BRANCHES in extras:
            blocks.append(self._jakarta_paragraph(segment))
        if segments.PREREQUISITE in extras:
            blocks.append(self._rules_paragraph(segment.key, "prerequisite"))
        return self._answer(blocks, question, segment)

    def _rules_paragraph(self, segment: str, topic: str) -> str:
        return bullets(self._get(rule.text) for rule in self.kb.rules(segment, topic))

    def _jakarta_paragraph(self, segment: s.Segment) -> str:
        branches = self.kb.branches(segment.key, JAKARTA)
        if not branches:
            return ""
        return self.t("jakarta_branches", branches=bullets(b.name for b in branches), **self.names(segment))

    def age(self, question: Question, segment: s.Segment) -> Answer:
        max_age = self.kb.max_age(segment.key)
        if max_age is None:
            others = [rule for rule in self.kb.rules(topic="age")]
            other = self.kb.segment(others[0].segment) if others else None
            blocks = [self.t("age_not_stated", other_short=self._get(other.short_name) if other else "", **self.names(segment))]
            blocks.append(bullets(self._get(rule.text) for rule in others))
            return self._answer(blocks, question, segment)
        blocks = [self.basis_line(question, segment)]
        if question.age is not None:
            name = "age_eligible" if question.age < max_age else "age_not_eligible"
            blocks.append(self.t(name, age=question.age, max_age=max_age, **self.names(segment)))
        blocks.append(self._rules_paragraph(segment.key, "age"))
        return self._answer(blocks, question, segment)

    def eligibility(self, question: Question, segment: s.Segment) -> Answer:
        rules = self.kb.rules(segment.key)
        if not rules:
            return self.requirements(question, segment)
        blocks = [
            self.t("eligibility_heading", **self.names(segment)),
            self.basis_line(question, segment),
            bullets(self._get(rule.text) for rule in rules),
        ]
        return self._answer(blocks, question, segment)

    def foreign_worker(self, question: Question, segment: s.Segment) -> Answer:
        blocks = [
            self.t("foreign_heading"),
            self._rules_paragraph(segment.key, "foreign_worker"),
        ]
        return self._answer(blocks, question, segment)

    def prerequisite(self, question: Question, segment: s.Segment) -> Answer:
        channels = [self._short(c) for g in self.kb.channel_groups(segment.key) for c in g.channels]
        blocks = [
            self.t("prerequisite_heading"),
            self._rules_paragraph(segment.key, "prerequisite"),
            self.t("prerequisite_then", channels=joined(channels, self.language)),
        ]
        return self._answer(blocks, question, segment)

    def workers_data(self, question: Question, segment: s.Segment) -> Answer:
        notes = [self._get(note.text) for note in self.kb.notes(segment.key, "workers_data")]
        blocks = [self.t("workers_heading"), bullets(notes), self._rules_paragraph(segment.key, "foreign_worker")]
        return self._answer(blocks, question, segment)

    def jakon_branches(self, question: Question, segment: s.Segment) -> Answer:
        elsewhere = [self._short(c) for g in self.kb.channel_groups(segment.key) for c in g.channels]
        blocks = [
            self.t("jakarta_heading", **self.names(segment)),
            self._jakarta_paragraph(segment),
            self.t("jakarta_elsewhere", channels=joined(elsewhere, self.language)),
            self._rules_paragraph(segment.key, "prerequisite"),
        ]
        return self._answer(blocks, question, segment)

    def _requirement_block(self, key: str) -> str:
        group = self.kb.requirement_group(key)
        return self.t("perisai_requirements", title=self._get(group.title), requirements=numbered(self._get(r.text) for r in group.requirements))

    def perisai_requirements(self, question: Question, segment: s.Segment) -> Answer:
        blocks = [self._requirement_block(segments.segment(segment.key).requirement_group)]
        blocks += [self._get(note.text) for note in self.kb.notes(segment.key)]
        return self._answer(blocks, Question(T.PERISAI_REQUIREMENTS, segment.key), segment)

    def perisai_office(self, question: Question, segment: s.Segment) -> Answer:
        group = self.kb.requirement_group(segments.PERISAI_OFFICE_GROUP)
        blocks = [self._get(group.intro), self._requirement_block(segments.PERISAI_OFFICE_GROUP)]
        blocks += [self._get(note.text) for note in self.kb.notes(segment.key)]
        return self._answer(blocks, question, segment)

    def definition(self, question: Question, segment: s.Segment) -> Answer:
        blocks = [self.t("definition", summary=self._get(segment.summary), registrant=self._get(segment.registrant), **self.names(segment))]
        if segments.AGENT_REQUIREMENTS in self._adds(segment, T.DEFINITION) and "perisai_office" not in question.facets:
            blocks.append(self._requirement_block(segments.segment(segment.key).requirement_group))
        return self._answer(blocks, question, segment)

    def segments(self, question: Question) -> Answer:
        lines = [
            self.t("segment_line", summary=self._get(segment.summary), **self.names(segment))
            for segment in self.kb.segments()
        ]
        blocks = [self.t("segments_heading"), bullets(lines), self.t("segments_pick")]
        return self._answer(blocks, question, None, buttons=self.segment_buttons("ask_how_to_register"))

    def segment_fit(self, question: Question) -> Answer:
        segment = self.kb.segment(question.segment)
        if segment is None:
            return self.ask_work(question)
        other = self.kb.segment(question.segment_also)
        if other and other.key != segment.key:
            blocks = [
                self.t(
                    "triage_two",
                    first_name=self._get(segment.name),
                    first_short=self._get(segment.short_name),
                    first_reason=self._get(segment.triage_reason),
                    second_name=self._get(other.name),
                    second_short=self._get(other.short_name),
                    second_reason=self._get(other.triage_reason),
                )
            ]
            return self._answer(blocks, question, segment, buttons=[])
        occupation = self.kb.occupation(question.occupation)
        reason = self._get(segment.triage_reason)
        if occupation and occupation.segment == segment.key and question.segment_basis == "occupation":
            text = self._about("triage_occupation", question, occupation_name=self._get(occupation.name), reason=reason, **self.names(segment))
        else:
            text = self._about("triage_segment", question, reason=reason, **self.names(segment))
        return self._answer([text], question, segment)

    # -- several questions in one message -------------------------------------------------------------
    def compose_many(self, questions: Sequence[Question]) -> Answer:
        """One message answering every question in the order asked; a heading per person when the
        message is about several ("my uncle drives for a firm, my aunt runs a warung")."""
        people = []
        for question in questions:
            if question.person not in people:
                people.append(question.person)
        several_people = len(people) > 1 or len({q.segment for q in questions}) > 1
        sections: List[str] = []
        explained = set()
        last_segment: Optional[s.Segment] = None
        answered: List[str] = []
        for question in questions:
            key = (question.person, question.segment)
            if several_people and key not in explained:
                sections.append(self._section_heading(question))
            if key in explained:
                question = replace(question, segment_basis=None)  # the segment was explained above
            explained.add(key)
            part = self.compose(question)
            sections.append(part.text)
            answered.append(question.topic)
            last_segment = self.kb.segment(part.segment) or last_segment
        text = "\n\n".join(section for section in sections if section)
        buttons = self.follow_ups(last_segment, answered) if last_segment else []
        first = next((q for q in questions if q.segment), questions[0])
        return Answer(text, buttons, questions[-1].topic, first.segment)

    def _section_heading(self, question: Question) -> str:
        segment = self.kb.segment(question.segment)
        who = self.who(question)
        if segment is None:
            return self.t("section_person", who=who) if who else ""
        if who:
            return self.t("section_person_segment", who=who, **self.names(segment))
        return self.t("section_segment", **self.names(segment))

    # -- a topic whose segment is not known: every segment in a line ----------------------------------
    def overview(self, question: Question) -> Answer:
        intent = T.INTENT_OF_TOPIC.get(question.topic, "ask_how_to_register")
        buttons = [
            {"title": f"{self._get(segment.short_name)}: {self._get(segment.name)}", "payload": payload(intent, segment=segment.key)}
            for segment in self.kb.segments()
        ]
        if question.topic == T.DOCUMENTS:
            lines = [
                self.t("overview_line", segment_short=self._get(segment.short_name),
                       text=self._overview_documents(segment.key) or self.t("overview_no_documents"))
                for segment in self.kb.segments()
            ]
            heading = "overview_documents"
        elif question.topic == T.CHANNELS:
            lines = [
                self.t("overview_line", segment_short=self._get(segment.short_name),
                       text=", ".join(self._short(c) for g in self.kb.channel_groups(segment.key) for c in g.channels))
                for segment in self.kb.segments()
                if self.kb.channel_groups(segment.key)
            ]
            heading = "overview_channels"
        else:
            lines = [
                self.t("overview_line", segment_short=self._get(segment.short_name),
                       text=f"{self._get(segment.summary)} {self.t('overview_registrant', registrant=self._get(segment.registrant))}")
                for segment in self.kb.segments()
            ]
            heading = "overview_segments"
        text = "\n\n".join([self.t(heading), bullets(lines), self.t("overview_pick")])
        return Answer(text, buttons, question.topic, None)

    def _overview_documents(self, segment: str) -> str:
        groups = self.kb.document_groups(segment)
        if not groups:
            return ""
        if len(groups) == 1:
            return joined([self._get(d.name) for d in groups[0].documents], self.language)
        return "; ".join(
            f"{self._get(g.stage.name)}: {joined([self._get(d.name) for d in g.documents], self.language)}" for g in groups
        )

    def contacts(self, question: Question) -> Answer:
        return Answer(self.t("contacts_heading") + "\n" + self.contacts_text(), [], T.CONTACTS, None)

    # -- asking back ----------------------------------------------------------------------------------
    def ask_employment(self, question: Question) -> Answer:
        rendered = messages.render("ask_employment", self.language)
        return Answer(rendered["text"], rendered.get("buttons", []), question.topic, None)

    def ask_work(self, question: Question) -> Answer:
        return Answer(self.t("ask_work"), [], T.SEGMENT_FIT, None)

    # -- outside registration and contacts -----------------------------------------------------------
    def contacts_text(self) -> str:
        lines = []
        for contact in self.kb.contacts():
            value = contact.value or self._get(contact.detail)
            lines.append(self.t("contact_line", name=self._get(contact.name), value=value))
        hours = self.kb.service.office_hours
        if hours:
            lines.append(self.t("office_hours", hours=self._get(hours)))
        return bullets(lines)

    def outside_topic(self, key: Optional[str]) -> Answer:
        topic = self.kb.outside_topic(key)
        name = self._get(topic.name) if topic else ""
        return Answer(self.t("outside_topic", topic=name, contacts=self.contacts_text()), [], "outside", None)
