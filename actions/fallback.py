"""Dutch two-stage fallback: "Bedoel je ...?", then a rephrase prompt, then a way out.

Overrides Rasa's default actions (listed in domain.yml): ``action_default_ask_affirmation``
(which otherwise shows English intent names), ``action_default_ask_rephrase`` and
``action_default_fallback``. Every prompt offers the counsellor and Helpwanted's contact
details, so a misunderstanding is never a dead end.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions import texts
from actions.common import Reply
from actions.extract import VICTIM_REPORTS
from actions.script import ActionInform, ActionReport, answer_topic, tells_facts
from bot.language.question_topics import answer_topic_of

# Any express_suicidal this high in the ranking gets the direct question about suicide,
# even when another intent is on top (the NLU component already promotes >= 0.2 in the top 3).
SUICIDAL_RANKING_MIN = 0.1
# Unclear messages that most likely were one of these get no "Bedoel je ...?" (which reads as not
# listening); goodbye and the reports still get the check.
PLAIN_INTENTS = ("affirm", "deny", "thank", "dont_know", "inform", "greet")


def intent_to_affirm(tracker: Tracker) -> Optional[str]:
    message = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name")
    from bot.language.safety_phrases import default_net, denies_suicidal  # loaded on first use, not at import

    text = message.get("text") or ""
    denied = denies_suicidal(text)
    # without a risk word no question about suicide (as in bot/nlu/safety_net.py): "ik heb een mail
    # gekregen van de ING" got "Denk je erover om jezelf iets aan te doen?" (session 15)
    if (
        not denied
        and default_net().risk_word(text)
        and any(
            r.get("name") == "express_suicidal" and (r.get("confidence") or 0) >= SUICIDAL_RANKING_MIN
            for r in message.get("intent_ranking") or []
        )
    ):
        return "express_suicidal"
    if intent == "nlu_fallback":
        ranking = [r.get("name") for r in message.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
        # the same gate for the ranking's first guess: "sorry ik spreek dit in want ik zit in de auto" got
        # "Denk je erover om jezelf iets aan te doen?" (p_schrijfstijl.yml, session 33)
        ranking = [name for name in ranking if name != "express_suicidal"]
        intent = ranking[0] if ranking else None
    return intent


class ActionDefaultAskAffirmation(Action):
    def name(self) -> Text:
        return "action_default_ask_affirmation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        slots = tracker.current_slot_values()
        intent = intent_to_affirm(tracker)
        labels = texts.raw("affirmation_buttons")
        no_button = {"title": labels["no_title"], "payload": "/out_of_scope"}
        if intent == "express_suicidal":
            # Asking directly is safe and kind; the 113 numbers are in the question itself.
            texts.say(
                dispatcher,
                "ask_affirmation_suicidal",
                slots,
                extra_buttons=[{"title": labels["yes_title"], "payload": "/express_suicidal"}, no_button],
            )
            return []
        topic = answer_topic_of(tracker.latest_message.get("text") if tracker.latest_message else None)
        if topic:
            # a question the topics know gets its answer, not "Bedoel je ...?" ("Ik weet niet goed hoe ik
            # dit moet beginnen" got "Bedoel je: je voelt je heel bang of van slag?"; session 30)
            r = Reply(dispatcher, tracker)
            answer_topic(r, topic)
            return r.events()
        if slots.get("suicide_risk") and not tells_facts(tracker):
            # after a crisis, "Hij zit nu naast me op de bank. Hij huilt." got "Bedoel je: je voelt je heel
            # bang of van slag?": listening and 113, not a guess (n_crisis.yml, session 32)
            texts.say(dispatcher, "topic_mid_conversation", slots)
            return []
        if intent in PLAIN_INTENTS:
            # "ok. ik ga morgen eerst de bank bellen": no "Bedoel je: ja?" (issue 15); carry on
            if (
                slots.get("stage") is not None
                and (advice := _advice_for_facts(dispatcher, tracker, domain)) is not None
            ):
                return advice  # "geld": the advice for what was told
            texts.say(dispatcher, "anything_else", slots)
            return []
        if (advice := _advice_for_facts(dispatcher, tracker, domain)) is not None:
            # "ik ben 15 btw. en iedereen reageert met 😂😂": the age was understood, so no "Wil je het
            # anders zeggen?" (session 30, i_anders.yml on a new machine kind); nor "Bedoel je: je wilt weten
            # hoe je iemand blokkeert?" for "ik ben 22 btw. en ik stuur hem echt niks meer" (o_ongeduld.yml,
            # session 32)
            return advice
        if slots.get("writer") == "receiver" and intent in VICTIM_REPORTS + ("report_received_image",):
            # "degene die het stuurde is een jongen uit 3b. iedereen reageert er met emojis op" got "Bedoel je:
            # je hebt een naaktfoto van iemand anders gekregen?" after the receiver's advice: more of the story
            # we know (r_omstanders.yml, session 36)
            return ActionReport().run(dispatcher, tracker, domain)
        description = texts.entry("intent_descriptions", intent) if intent else None
        if not description:
            texts.say(dispatcher, "rephrase", slots)
            return []
        texts.say(
            dispatcher,
            "ask_affirmation",
            slots,
            description=description,
            extra_buttons=[{"title": labels["yes_title"], "payload": f"/{intent}"}, no_button],
        )
        return []


def _advice_for_facts(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
) -> Optional[List[Dict[Text, Any]]]:
    """The advice for what an unclear message told, used by all three fallback actions.

    "200 betaald. bitcoin." after two unclear messages got "Het lukt me niet goed om je te begrijpen"
    and no "betaal niet" (conversation suite g_kort.yml, on session 30's machine kind): the fact
    reader understood it, so the message gets the advice for what was told, and the message (with its
    facts) is kept instead of reverted. None when the message told no facts.
    """
    if not tells_facts(tracker):
        return None
    return ActionInform().run(dispatcher, tracker, domain)


class ActionDefaultAskRephrase(Action):
    def name(self) -> Text:
        return "action_default_ask_rephrase"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if (advice := _advice_for_facts(dispatcher, tracker, domain)) is not None:
            return advice
        texts.say(dispatcher, "rephrase", tracker.current_slot_values())
        return []


class ActionDefaultFallback(Action):
    def name(self) -> Text:
        return "action_default_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if (advice := _advice_for_facts(dispatcher, tracker, domain)) is not None:
            return advice
        texts.say(dispatcher, "default_fallback", tracker.current_slot_values())
        return [UserUtteranceReverted()]
