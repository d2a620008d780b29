"""Rasa NLU component: the report net (bot/language/report_phrases.py, data/safety/report_phrases.yml).

Runs after FallbackClassifier and before the suicide safety net (which always has the last
word). When the message reads as a sextortion report and the classifier said fallback, out
of scope, small talk, a question, or "on behalf" without anyone named, the intent becomes
report_blackmail or report_payment_demand (money named), so the person gets the script. When
the classifier itself reads blackmail or a payment demand, the money the message names decides
which of the two (``split_family``; by = "money"). A report reading that names nothing a report is
made of, or images but nobody doing anything to the writer, is only the classifier's guess and
becomes out_of_scope (``only_a_guess``; by = "nothing_named" / "no_pressure", session 23).
The classifier's own answer is kept in ``report_net`` for review and evaluation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language.report_phrases import (
    DEFAULT_FILE,
    NOT_SEXTORTION,
    ReportNet,
    only_a_guess,
    reroute,
    split_family,
)
from bot.language.trainer_files import load_or_last_good
from bot.nlu.rule_component import RuleComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ReportNetClassifier(RuleComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"phrases_file": str(DEFAULT_FILE)}

    def __init__(self, config: Dict[Text, Any]) -> None:
        path = Path(config["phrases_file"])
        if not path.is_absolute():
            path = DEFAULT_FILE.parent.parent.parent / path
        self.net = load_or_last_good(path, ReportNet.from_file)  # never down on a trainer's typo

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/"):
                continue
            previous = message.get(INTENT) or {}
            if self.net.not_sextortion(text):
                # "dreigt een foto met beugel op insta te zetten. gewoon een normale foto": a message that
                # says its images are ordinary is no sextortion report, neither the net's nor the
                # classifier's (session 13); nor is a threat to tell a secret without any image ("hij
                # weet dat ik gay ben en vertelt het iedereen", session 14)
                intent, by = ("out_of_scope" if previous.get("name") in NOT_SEXTORTION else None), "not_sextortion"
            elif previous.get("name") == "report_on_behalf" and self.net.nothing_happening(text):
                # "Mag ik als ouder namens mijn kind contact met jullie opnemen?" got the whole script
                # (session 14): a parent's or teacher's message that names nothing happening
                intent, by = "out_of_scope", "nothing_happening"
            elif guess := only_a_guess(previous.get("name"), text, self.net, message.get(ENTITIES) or []):
                # "Is dit gratis?" and "is snapchat veilig om pikante fotos te sturen naar mijn vriend?" were
                # read as blackmail and got the whole script (session 23, the NLU development sets)
                intent, by = "out_of_scope", guess
            else:
                verdict = self.net.check(text)
                intent, by = reroute(previous.get("name"), verdict), verdict.by if verdict else None
                if intent is None:  # a report the classifier saw: which of the two, by the money named
                    intent, by = (
                        split_family(previous.get("name"), text, self.net, message.get(ENTITIES) or []),
                        "money",
                    )
            if intent is None:
                continue
            ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != intent]
            message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}] + ranking, add_to_output=True)
            message.set(
                "report_net",
                {
                    "matched": True,
                    "by": by,
                    "model_intent": previous.get("name"),
                    "model_confidence": previous.get("confidence"),
                },
                add_to_output=True,
            )
        return messages
