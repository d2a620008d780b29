"""Rasa NLU component: exact ``amount`` entities for unambiguous money ("500 euro", "€ 50,-").

Runs after DIET and the EntitySynonymMapper. For every unambiguous money expression found by
``bot.language.money`` it replaces whatever DIET predicted over that stretch of text (a cut-short
amount, or a sum of money mistaken for an age or a deadline) by one ``amount`` entity with the
full span, and adds one when DIET missed it. Bare numbers stay DIET's call, except where
the words around them make it an age ("ik ben 15") or a count ("3 keer", "2000 views").
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language.money import bare_number_kind, is_helpline_number, money_spans, says_money
from bot.nlu.rule_component import RuleComponent


def _no_age(surface: str) -> bool:
    """A bare whole number nobody can be old: 100 and up ("300", "1.000")."""
    digits = surface.strip().replace(".", "")
    return digits.isdigit() and int(digits) >= 100


# Session 14 (the retired blind set read on one machine kind): DIET tagged words and times as amounts
# ("duizenden", "honden", "17.00 uur") and numbers in messages that are not about money at all
# ("hoofdstuk 4 opgave 12", "test 123"). A DIET amount stays only when it holds a number and the
# message names money or paying, or is a short answer ("300" after "hoeveel?").
_MONEY_CUE = re.compile(
    r"\b(geld|betal\w*|betaal\w*|overmak\w*|maak\w* over|overgemaakt|euro\w*|eur|kost\w*|wil|wilt|willen|wou|"
    r"eist|eisen|eiste|vraagt|vragen|vroeg|stuur\w*|gestuurd|geef|geven|gegeven|dok\w*|tikkie|paypal|iban|"
    r"rekening\w*|bitcoin|crypto|giftcard\w*|cadeaukaart\w*|paysafe\w*|bedrag|zwijggeld)\b|[€$£]",
    re.IGNORECASE,
)
_NUMBER_WORD = re.compile(
    r"\d|honderd|duizend|mille|ton|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|twintig|dertig|veertig|vijftig",
    re.IGNORECASE,
)


def _may_be_money(text: str, start: int, end: int) -> bool:
    surface = text[start:end]
    if not _NUMBER_WORD.search(surface) or re.search(r"\b(uur|u)\s*$", surface, re.IGNORECASE):
        return False
    return len(text.split()) <= 3 or bool(_MONEY_CUE.search(text)) or says_money(text)


# DIET labels that a clear sum of money overrides; other entity types are left alone.
_REPLACEABLE = {"amount", "age", "deadline"}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class MoneySpans(RuleComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"entity": "amount"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.entity = config["entity"]

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
        # A bare number DIET called an amount: an age ("ik ben 15"), a count ("3 keer",
        # "2000 views") or a helpline number ("alleen bij 113?") by the words around it.
        checked = []
        for e in result:
            if e["entity"] == self.entity and e.get("extractor") != type(self).__name__:
                if not _may_be_money(text, e["start"], e["end"]):
                    continue  # "duizenden", "17.00 uur", "opgave 12 t/m 20", "test 123"
                kind = bare_number_kind(text, e["start"], e["end"])
                if kind in ("count", "phone"):
                    continue
                if kind == "age":
                    e = dict(e, entity="age", extractor=type(self).__name__)
            elif e["entity"] == "age" and _no_age(text[e["start"] : e["end"]]):
                if is_helpline_number(text[e["start"] : e["end"]]):
                    continue  # "alleen bij 113?" tagged as an age: neither an age nor money
                # "300" tagged as an age (one machine kind's DIET, session 14): nobody writing here is
                # 100 or older, so a bare number of 100 and up is a sum of money; the extraction then
                # reads it by its context (actions/extract.py) like any bare amount
                e = dict(e, entity=self.entity, extractor=type(self).__name__)
            checked.append(e)
        return sorted(checked, key=lambda e: e["start"])
