"""Rasa NLU component: the report verifier (docs/nlu.md, session 24).

A small second classifier that answers one question, learned from many authors: is this message a
sextortion report (the advice script) or something that only looks like one? Character and word
n-grams (TF-IDF) and a logistic regression from scikit-learn (installed with Rasa), trained with the
model on data/nlu (report intents against the other intents, the crisis intent left out) and on the
development files written by independent authors (``author_files``: their reports against their
look-alikes). DIET could not learn those files itself: as training examples they either taught it
that answers inside a conversation are out of scope or that every long message about images is a
report (sessions 22-24).

At run time it may only take a blackmail or payment-demand reading of the classifier back, to
``out_of_scope``, when its report probability is below ``threshold`` and the message names no money;
never a report the report net made from clear wording, never "already paid", "already spread" or
"on behalf" (the author files do not teach those; the report net's gates guard them) and never a
crisis reading (the safety net runs after it and always has the last word). Its verdict is kept in
``report_verifier``. Measured over author folds before it was built (scripts/cv_verifier.py --spare
report_on_behalf,report_paid,report_images_shared --keep-money) and on an unread development set.

It may also *promote* (session 27, ``promote``): a non-report reading of one of the person's opening
messages (the web app marks them in the message metadata, ``OPENING``; bot/web/chat/delivery.py
``is_opening``) becomes a report when its report probability is at least ``promote`` and the report
net's gates let a report reading stand: on behalf when someone else is named, else blackmail or a
payment demand by the money named (as the report net decides). Never a crisis reading or a request
for a counsellor, and never without the mark: after the advice script, short answers ("insta", "ja
14") are no reports. Registered and measured in docs/nlu.md, session 27 (cv_verifier.py --promote).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.author_files import AUTHOR_FILES, REPORT_INTENTS, author_examples, author_paths, hash_author_files
from bot.language.money import says_money
from bot.language.ngrams import ngram_classifier
from bot.language.report_phrases import BLACKMAIL, ON_BEHALF, OPENING, default_net, family_intent, only_a_guess

logger = logging.getLogger(__name__)

MODEL_FILE = "verifier.joblib"
# Readings never promoted: the crisis reading and a request for a counsellor (its answer is the offer)
NEVER_PROMOTED = ("express_suicidal", "request_counsellor")


def may_promote(intent: Optional[str], text: str, entities=(), never=NEVER_PROMOTED) -> bool:
    """May this non-report reading become a report when the verifier is sure? Never a report reading
    already, a crisis reading or a request (``never``), and never past the report net's gates: a
    message that says its images are ordinary, or names nothing a report is made of, is not made a
    report by a guess either (as the net's own readings). Also scripts/cv_verifier.py --promote."""
    if intent in REPORT_INTENTS or intent in never:
        return False
    net = default_net()
    return not net.not_sextortion(text) and only_a_guess(BLACKMAIL, text, net, entities) is None


def make_verifier():
    """The registered verifier (docs/nlu.md, session 24): the same as scripts/cv_verifier.py measured."""
    return ngram_classifier(c=4.0, max_iter=2000)


def training_examples(training_data: TrainingData, patterns) -> tuple:
    """(texts, labels): data/nlu's examples and the author files' (duplicates kept once, data/nlu first)."""
    rows = [
        (m.get(TEXT), m.get(INTENT) in REPORT_INTENTS)
        for m in training_data.intent_examples
        if m.get(TEXT) and m.get(INTENT) != "express_suicidal"
    ]
    seen: set = set()
    texts, labels = [], []
    for text, is_report in rows + author_examples(author_paths(patterns)):
        key = " ".join(text.lower().split())
        if key not in seen:
            seen.add(key)
            texts.append(text)
            labels.append(int(is_report))
    return texts, labels


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class ReportVerifier(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # only the family is checked: the author files teach payment and blackmail reports against
        # look-alikes, not "already paid" or "already spread" (short answers it would take for chat)
        return {
            "threshold": 0.25,
            "author_files": list(AUTHOR_FILES),
            "check": ["report_blackmail", "report_payment_demand"],
            # None: never promotes. A probability: the opening message's promotion threshold (session 27)
            "promote": None,
            "never_promote": list(NEVER_PROMOTED),
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource, verifier=None) -> None:
        self.config = config
        self._storage = model_storage
        self._resource = resource
        self.verifier = verifier

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ReportVerifier":
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """The author files are read from disk, not given by the graph: a change in them retrains."""
        h = hashlib.sha256()
        hash_author_files(h, config.get("author_files") or AUTHOR_FILES)
        return h.hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        import joblib

        texts, labels = training_examples(training_data, self.config["author_files"])
        if len(set(labels)) < 2:  # a toy training set (tests): nothing to learn, nothing taken back
            logger.warning("report verifier: no reports or no look-alikes to learn from; it will take nothing back")
            self.verifier = None
        else:
            self.verifier = make_verifier().fit(texts, labels)
        with self._storage.write_to(self._resource) as directory:
            joblib.dump(self.verifier, Path(directory) / MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "ReportVerifier":
        import joblib

        verifier = None
        try:
            with model_storage.read_from(resource) as directory:
                verifier = joblib.load(Path(directory) / MODEL_FILE)
        except (ValueError, FileNotFoundError, OSError):
            logger.warning("report verifier: no trained verifier in the model; it will take nothing back")
        return cls(config, model_storage, resource, verifier)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def report_probability(self, text: str) -> float:
        return float(self.verifier.predict_proba([text])[0][1])

    def promotion(self, message: Message, intent: Optional[str]) -> Optional[Dict[Text, Any]]:
        """The report intent an opening message is promoted to, with the verdict; None when it stays."""
        threshold = self.config.get("promote")
        text = message.get(TEXT)
        metadata = message.get("metadata") or {}
        if threshold is None or not isinstance(metadata, dict) or metadata.get(OPENING) is not True:
            return None
        entities = message.get(ENTITIES) or []
        never = self.config.get("never_promote") or NEVER_PROMOTED
        if not text or text.startswith("/") or not may_promote(intent, text, entities, never):
            return None
        net = default_net()
        probability = self.report_probability(text)
        if probability < threshold:
            return None
        # as the report net's own readings (reroute): on behalf when someone else is named
        report = ON_BEHALF if net.names_third_person(text) else family_intent(text, net, entities)
        return {
            "intent": report,
            "report_probability": round(probability, 3),
            "model_intent": intent,
            "promoted": True,
        }

    def process(self, messages: List[Message]) -> List[Message]:
        if self.verifier is None:
            return messages
        check = set(self.config.get("check") or [])
        for message in messages:
            text = message.get(TEXT)
            intent = (message.get(INTENT) or {}).get("name")
            verdict = self.promotion(message, intent)
            if verdict is not None:
                new = verdict.pop("intent")
                ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != new]
                message.set(INTENT, {"name": new, "confidence": 1.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [{"name": new, "confidence": 1.0}] + ranking, add_to_output=True)
                message.set("report_verifier", verdict, add_to_output=True)
                continue
            if not text or text.startswith("/") or intent not in check or says_money(text):
                continue  # a message that names money is a payment demand's to keep (as the report net's gate)
            net = message.get("report_net") or {}
            if net and net.get("model_intent") not in REPORT_INTENTS:
                continue  # the report net made this report from clear wording: not a guess to check
            probability = self.report_probability(text)
            if probability >= self.config["threshold"]:
                continue
            ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != "out_of_scope"]
            message.set(INTENT, {"name": "out_of_scope", "confidence": 1.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [{"name": "out_of_scope", "confidence": 1.0}] + ranking, add_to_output=True)
            message.set(
                "report_verifier",
                {"report_probability": round(probability, 3), "model_intent": intent},
                add_to_output=True,
            )
        return messages
