"""Rasa NLU component: exact ``amount`` entities for unambiguous money ("500 euro", "€ 50,-").

Runs after DIET and the EntitySynonymMapper. For every unambiguous money expression found by
``bot.language.money`` it replaces whatever DIET predicted over that stretch of text (a cut-short
amount, or a sum of money mistaken for an age or a deadline) by one ``amount`` entity with the
full span, and adds one when DIET missed it. Bare numbers stay DIET's call, except where
the words around them make it an age ("ik ben 15") or a count ("3 keer", "2000 views").
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.money import bare_number_kind, money_spans

# DIET labels that a clear sum of money overrides; other entity types are left alone.
_REPLACEABLE = {"amount", "age", "deadline"}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class MoneySpans(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"entity": "amount"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.entity = config["entity"]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MoneySpans":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text:
                message.set(ENTITIES, self.fix(text, message.get(ENTITIES) or []), add_to_output=True)
        return messages

    def fix(self, text: str, entities: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
        result = list(entities)
        for start, end in money_spans(text):
            overlapping = [e for e in result if e["start"] < end and e["end"] > start]
            if any(e["entity"] not in _REPLACEABLE for e in overlapping):
                continue  # e.g. "paypal" inside the span: not ours to overrule
            result = [e for e in result if e not in overlapping]
            result.append(
                {
                    "entity": self.entity,
                    "start": start,
                    "end": end,
                    "value": text[start:end],
                    "confidence_entity": 1.0,
                    "extractor": type(self).__name__,
                }
            )
        # A bare number DIET called an amount: an age ("ik ben 15") or a count ("3 keer",
        # "2000 views") by the words around it.
        checked = []
        for e in result:
            if e["entity"] == self.entity and e.get("extractor") != type(self).__name__:
                kind = bare_number_kind(text, e["start"], e["end"])
                if kind == "count":
                    continue
                if kind == "age":
                    e = dict(e, entity="age", extractor=type(self).__name__)
            checked.append(e)
        return sorted(checked, key=lambda e: e["start"])
