"""Rasa NLU component: questions around the script (bot/language/question_topics.py, texts/question_topics.yml).

Runs after the report net and before the suicide safety net (which always has the last word).
When a message matches a trainer-written question topic ("wat moet ik terug zeggen", "is dat
geld terug te krijgen?") and the classifier did not read it as a report, a request for a person,
goodbye or suicidal language, the intent becomes ``ask_other`` (a topic named ``intent_<name>``
gives that intent instead). An unclear message (``nlu_fallback``) written as a question goes to
the question intent the classifier ranked first, else to ask_other. The actions answer the topic,
or say honestly that the bot does not know, with the counsellor (issue 15: such questions got a
generic block or an unrelated "Bedoel je ...?"). The classifier's own answer is kept in
``question_topic`` for review.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language.question_topics import is_hypothetical, looks_like_question, question_topic, topic_intent
from bot.language.report_phrases import OPENING
from bot.language.text_facts import norm
from bot.nlu.rule_component import RuleComponent

INTENT_NAME = "ask_other"
# The classifier's verdicts a topic never overrides: a report gets the script (which answers the
# topic too), the rest have their own paths. (Not goodbye: "ga ik nu de cel in?" was read as one.)
KEEP = (
    "express_suicidal",
    "request_counsellor",
    "greet",
    "report_blackmail",
    "report_payment_demand",
    "report_paid",
    "report_images_shared",
    "report_on_behalf",
    "report_received_image",
)


def _asks_what_if(previous: dict, text: str) -> bool:
    """ "en als die fotos al ergens staan?" read as a spread report is a question: its topic answers
    it (the spread report would thank for news that was not given). Other reports stay reports:
    "als ik niet betaal zet hij het online" is a threat being reported."""
    return previous.get("name") == "report_images_shared" and "?" in text and is_hypothetical(text)


# "of ik al wat betaald heb wil ik liever nie zeggen" (report_paid 0.98 made the case say paid; session
# 28): a short refusal to say is that, whatever fact it names. The main reports keep the script.
# Never a message with a number: "ik heb 300 betaald, meer wil ik niet zeggen" keeps its amount paid.
REFUSAL_MAX_WORDS = 20
_FACT_READINGS = ("report_paid", "report_images_shared", "report_received_image")


def _refuses(previous: dict, text: str) -> bool:
    return (
        previous.get("name") in _FACT_READINGS
        and len(text.split()) <= REFUSAL_MAX_WORDS
        and not any(c.isdigit() for c in text)
        and question_topic(text) == "intent_prefer_not_to_say"
    )


# "hoi dit is de vader. wat moeten we nu doen" (greet 0.70) got "Hoi! Ik ben er nog" (session 31,
# m_wending.yml): a greeting with more words than a greeting may still be a topic's question. A
# greeting without a topic stays a greeting (below: "topic is None and keep").
GREETING_MAX_WORDS = 3


def _greeting_and_more(previous: dict, text: str) -> bool:
    return previous.get("name") == "greet" and len(text.split()) > GREETING_MAX_WORDS


# A report reading this unsure, of a message this short, that the report net did not see as a
# report: a topic is what it was ("het is echt gênant" read as "already spread" at 0.45 got the
# script and the questions, conversation suite, session 15).
WEAK_REPORT_CONFIDENCE = 0.5
WEAK_REPORT_MAX_WORDS = 6


def _weak_report(previous: dict, message: Message, text: str) -> bool:
    info = message.get("report_net") or {}
    net = info.get("by")
    # after the money split (by = "money") the classifier's own confidence is kept in report_net
    confidence = info.get("model_confidence") if net == "money" else previous.get("confidence")
    return (
        str(previous.get("name", "")).startswith("report_")
        and (confidence or 0) < WEAK_REPORT_CONFIDENCE
        and (len(text.split()) <= WEAK_REPORT_MAX_WORDS or ((confidence or 0) < VERY_WEAK_REPORT and _later(message)))
        and net in (None, "money")
    )


# Later in a conversation a report this unsure is a topic whatever its length: "ok ik laat het morgen
# aan mn mentor zien denk ik. doei" (report_images_shared 0.21) got the whole script (q_gaandeweg.yml,
# session 34). Never for an opening message, nor without the web app's mark (NLU evaluations, rasa test).
VERY_WEAK_REPORT = 0.3


def _later(message: Message) -> bool:
    metadata = message.get("metadata") or {}
    return isinstance(metadata, dict) and metadata.get(OPENING) is False


# "Ik hoef geen hulpverlener, ik wil alleen weten wat we nu moeten doen." (request_counsellor 0.38) got the
# handoff offer (k_afsluiten.yml on session 35's kind): a wish for a person said in the negative is none.
_NO_PERSON = re.compile(
    r"\b(hoef|hoeven|wil|willen|wilt) (ik |we |wij )?(nog |echt |helemaal |even )?(geen|niet met een|niet naar een) "
    r"(hulpverlener|mens|persoon|echt persoon|medewerker)\b"
)


def _declines_a_person(previous: dict, text: str) -> bool:
    return previous.get("name") == "request_counsellor" and bool(_NO_PERSON.search(norm(text)))


# The classifier's question intent is trusted this far for an unclear question; below, ask_other.
MIN_QUESTION_CONFIDENCE = 0.2


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class QuestionTopicClassifier(RuleComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = config

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            previous = message.get(INTENT) or {}
            keep = previous.get("name") in KEEP
            if not text or (
                keep
                and not (
                    _asks_what_if(previous, text)
                    or _weak_report(previous, message, text)
                    or _refuses(previous, text)
                    or _greeting_and_more(previous, text)
                    or _declines_a_person(previous, text)
                    # "Oké. Dus alleen screenshots van de chat, zonder de video's erop." (spread 0.71) checks
                    # the advice back; it told no news (o_ongeduld.yml, session 32)
                    or question_topic(text) == "check_understanding"
                )
            ):
                continue
            topic = question_topic(text)
            if keep and (topic is None or (topic == "presence" and previous.get("name") == "greet")):
                # a what-if spread report without a topic stays a report; "hallo ben je er" stays a
                # greeting (the greeting's own answer says the bot is there)
                continue
            if topic:
                intent = topic_intent(topic) or INTENT_NAME
            else:
                intent = self._unclear(message, text) if previous.get("name") == "nlu_fallback" else None
            if intent is None:
                continue
            ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != intent]
            message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}] + ranking, add_to_output=True)
            message.set(
                "question_topic",
                {
                    "topic": topic,
                    "intent": intent,
                    "model_intent": previous.get("name"),
                    "model_confidence": previous.get("confidence"),
                },
                add_to_output=True,
            )
        return messages

    @staticmethod
    def _unclear(message: Message, text: str):
        """An unclear message (nlu_fallback) that is still plainly one thing: a question goes to the
        question intent the classifier ranked first (else ask_other: an honest "weet ik niet zeker")."""
        ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != "nlu_fallback"]
        top = ranking[0] if ranking else {}
        if looks_like_question(text):
            if str(top.get("name", "")).startswith("ask_") and (top.get("confidence") or 0) >= MIN_QUESTION_CONFIDENCE:
                return top["name"]
            return INTENT_NAME
        # (an unclear statement with an amount or an app is not made "inform" here: as a first
        # message it can be about anything; mid-conversation action_out_of_scope reads it as facts)
        return None
