"""Rasa NLU component: the suicidal-language safety net (see bot/language/safety_phrases.py).

Runs after the classifiers (and after FallbackClassifier), so a match overrides any
prediction, including ``nlu_fallback``; the model's own ranking is kept for review.

Two triggers, both turning the message into ``express_suicidal`` so that the safety rules
(data/rules/safety.yml) answer it in every state, inside the facts form too:
* the deterministic net (bot/language/safety_phrases.py, data/safety/suicidal_phrases.yml);
* the classifier's ranking: express_suicidal among the ``ranking_top`` intents with at least
  ``ranking_threshold`` confidence, even when another intent is on top (threshold measured
  in docs/safety.md: it costs no false alarm on the NLU test set).

The classifier's verdict alone is dropped for a message that only denies suicidal thoughts, or
is only a protective step or only a time ("ik heb mn moeder wakker gemaakt", "morgen";
``protective:`` in data/safety/suicidal_phrases.yml), or has no risk word at all (no word of
death, ending, farewell, self-harm, a plan or an arrangement: ``protective_unless:``, see
SafetyNet.risk_word); a phrase match is never dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language.question_topics import question_topic, topic_intent
from bot.language.safety_phrases import DEFAULT_FILE, SafetyNet
from bot.language.trainer_files import load_or_last_good
from bot.nlu.question_topics import INTENT_NAME as TOPIC_INTENT
from bot.nlu.rule_component import RuleComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SuicideSafetyNet(RuleComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "phrases_file": str(DEFAULT_FILE),
            "intent": "express_suicidal",
            "ranking_top": 3,
            "ranking_threshold": 0.4,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        path = Path(config["phrases_file"])
        if not path.is_absolute():
            path = DEFAULT_FILE.parent.parent.parent / path
        # a broken phrase file is refused with its reason and the last good one is used: a trainer's
        # typo must never stop the model from loading (bot/language/trainer_files.py)
        self.net = load_or_last_good(path, SafetyNet.from_file)
        self.intent = config["intent"]
        self.ranking_top = int(config.get("ranking_top", 3))
        self.ranking_threshold = float(config.get("ranking_threshold", 0.4))

    def _ranked(self, message: Message) -> bool:
        """Is the safety intent high in the classifier's ranking (not necessarily on top)?"""
        ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != "nlu_fallback"]
        return any(
            r.get("name") == self.intent and (r.get("confidence") or 0) >= self.ranking_threshold
            for r in ranking[: self.ranking_top]
        )

    def _demote(self, message: Message, reason: str = "denied") -> None:
        """The classifier said express_suicidal, but the message only denies it (``denied``) or only
        tells a protective step (``protective``: "ik heb mn moeder wakker gemaakt"), and the net finds
        no suicidal words: the next intent of the ranking answers a denial; a protective step gets its
        question topic (texts/question_topics.yml: woke_someone, plan_police …), else ``inform``."""
        ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != self.intent]
        nxt = next((r for r in ranking if r.get("name") != "nlu_fallback"), None)
        # without a risk word, a message with a question topic gets its topic too: "sorry dat ik zo veel
        # typ en zo door elkaar" (apology) got the ranking's next guess, distress at 0.11 (session 28)
        topic = question_topic(message.get(TEXT)) if reason in ("protective", "no_risk_word") else None
        if reason == "protective" or topic:
            # "ik heb mn moeder wakker gemaakt": its topic's own answer; else the step or the time
            # ("morgen") is information, not the ranking's next guess (that was "goodbye" at 0.03)
            nxt = {"name": (topic_intent(topic) or TOPIC_INTENT) if topic else "inform", "confidence": 1.0}
            if topic:
                message.set(
                    "question_topic",
                    {"topic": topic, "intent": nxt["name"], "model_intent": self.intent},
                    add_to_output=True,
                )
        if nxt is None:
            return
        message.set(INTENT, {"name": nxt["name"], "confidence": nxt.get("confidence")}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        message.set("safety_net", {"matched": False, reason: True, "model_intent": self.intent}, add_to_output=True)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            previous = message.get(INTENT) or {}
            matched = self.net.match(text)  # once: the checks below reuse it
            if previous.get("name") == self.intent:
                if self.net.denies(text, matched):
                    self._demote(message)  # "ik denk niet aan zelfmoord, moet ik betalen?" (issue 15)
                elif self.net.protective(text, matched):
                    self._demote(message, "protective")  # "ok. ik ga morgen naar de politie denk ik"
                elif not self.net.risk_word(text, matched):
                    self._demote(message, "no_risk_word")  # "idk of het al rondgaat" (0.63)
                continue
            if self.net.denies(text, matched):
                continue  # a denial is not a reason to promote the safety intent
            if not matched and (
                not self._ranked(message) or self.net.protective(text, matched) or not self.net.risk_word(text, matched)
            ):
                continue
            own = [r.get("confidence") for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") == self.intent]
            ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != self.intent]
            message.set(INTENT, {"name": self.intent, "confidence": 1.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [{"name": self.intent, "confidence": 1.0}] + ranking, add_to_output=True)
            message.set(
                "safety_net",
                {
                    "matched": True,
                    "by": "phrases" if matched else "ranking",
                    "model_intent": previous.get("name"),
                    "model_confidence": own[0] if own else None,
                },
                add_to_output=True,
            )
        return messages
