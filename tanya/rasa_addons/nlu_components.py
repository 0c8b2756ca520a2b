"""Rasa NLU components of the assistant: language detection and knowledge-driven understanding.

Thin adapters: the logic is in tanya.language and tanya.understanding (pure, unit-tested). Both run in
the NLU pipeline (config.yml), so no action call is needed on every turn. They add entities that the
actions read (values are knowledge keys); `language` also fills the slot of that name.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

logger = logging.getLogger(__name__)
EXTRACTOR = "TanyaUnderstanding"
SWITCH_METADATA_KEY = "switch_language"


def _entity(name: str, value: Any, extractor: str) -> Dict[str, Any]:
    return {"entity": name, "value": value, "start": 0, "end": 0, "confidence_entity": 1.0, "extractor": extractor}


def _is_payload(text: str) -> bool:
    # Button payloads ("/inform{...}") are parsed by Rasa's RegexMessageHandler after the pipeline.
    return (text or "").lstrip().startswith("/")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LanguageDetector(GraphComponent):
    """Adds a `language` entity (id/en) when the message shows its language or asks for one."""

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext
    ) -> "LanguageDetector":
        from tanya.language import load_detector

        return cls(load_detector())

    def __init__(self, detector) -> None:
        self.detector = detector

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            requested = (message.get("metadata") or {}).get(SWITCH_METADATA_KEY)
            language = requested if requested in ("id", "en") else None
            if language is None and not _is_payload(text):
                language = self.detector.evidence(text)
            if language:
                message.set(ENTITIES, (message.get(ENTITIES) or []) + [_entity("language", language, "LanguageDetector")],
                            add_to_output=True)
        return messages


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class KnowledgeUnderstanding(GraphComponent):
    """Reads segment, topic, occupation, country, stage and act cues from the knowledge data and decides
    the intent together with DIET's ranking (tanya.understanding.resolver). Place it after DIET."""

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext
    ) -> "KnowledgeUnderstanding":
        from tanya.understanding.lexicon import load_lexicon

        return cls(load_lexicon())

    def __init__(self, lexicon) -> None:
        self.lexicon = lexicon

    def process(self, messages: List[Message]) -> List[Message]:
        from tanya.language import explicit_switch
        from tanya.understanding.parts import parts
        from tanya.understanding.reading import read
        from tanya.understanding.resolver import QUESTION_INTENTS, parts_entities, resolve

        for message in messages:
            text = message.get(TEXT) or ""
            if _is_payload(text):
                continue
            ranking = [(item.get("name"), float(item.get("confidence") or 0.0)) for item in message.get(INTENT_RANKING_KEY) or []]
            reading = read(text, self.lexicon)
            decision = resolve(reading, text, ranking, switches_language=explicit_switch(text) is not None)
            intent = {"name": decision.intent, "confidence": decision.confidence}
            message.set(INTENT, intent, add_to_output=True)
            others = [item for item in message.get(INTENT_RANKING_KEY) or [] if item.get("name") != decision.intent]
            message.set(INTENT_RANKING_KEY, [intent] + others, add_to_output=True)
            found = [_entity(e["entity"], e["value"], EXTRACTOR) for e in decision.entities]
            if decision.intent in QUESTION_INTENTS:
                found += [_entity(e["entity"], e["value"], EXTRACTOR) for e in parts_entities(parts(text, self.lexicon))]
            kept = [e for e in message.get(ENTITIES) or [] if e.get("extractor") != EXTRACTOR]
            message.set(ENTITIES, kept + found, add_to_output=True)
            logger.debug("understanding: %s (%s)", decision.intent, decision.reason)
        return messages
