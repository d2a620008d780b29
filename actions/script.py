"""The advice script and the paths that follow from the facts.

``action_report`` answers any report (blackmail, payment demand, paid, spread, on behalf,
received image) at any turn: acknowledge and "not your fault", then the script in short
messages (don't pay -> keep evidence -> stop, block, report -> what comes next), with the
parts that fit this person (paid, spread, deadline, non-money demands, deepfake, parent or
professional, platform tips). A later report only adds what is new. Every piece of advice
is recorded in ``advice_given`` (values of docs/contracts.md); the internal list
``topics_done`` prevents repeating a message.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import texts
from actions.common import CONTACT_DEMANDS, IMAGE_DEMANDS, Reply, facts_set_now, intent_of, ran_action

STAGE_SCRIPT, STAGE_FACTS, STAGE_AFTER = "script", "facts", "after"


def platform_tips(r: Reply, always: bool = False) -> bool:
    """Per-platform tips for saving evidence, reporting and blocking (once per platform)."""
    platform = r.slot("platform")
    if not platform:
        return False
    topic = f"platform:{platform}"
    if r.done(topic) and not always:
        return False
    tips = texts.entry("platform_tips", platform)
    if tips:
        r.say_text(tips, advice=("platform_tips",), topic=topic)
    else:
        r.say("generic_platform_tips", topic=topic)
    return True


def removal(r: Reply) -> None:
    r.say("removal", advice=("removal",))


def paid_method(r: Reply) -> None:
    """After paying: the steps for how it was paid (bank, gift card, crypto, PayPal …), once per method."""
    method = r.slot("payment_method") or "unknown"
    topic = f"paid_method:{method}"
    if r.done(topic) or (method == "unknown" and any(t.startswith("paid_method:") for t in r.topics)):
        return
    tip = texts.entry("paid_method", method) or texts.entry("paid_method", "other")
    r.say_text(tip, advice=("bank",), topic=topic)


def young(r: Reply) -> bool:
    """Someone under 18 writing about themselves: an adult they trust, De Kindertelefoon."""
    return r.writer == "victim" and r.slot("age_group") == "under_18"


def first_script(r: Reply) -> None:
    """The first reply to a report: short (issue 14: ~150 words with the question that follows).

    Acknowledgement, the three steps as one list, and only what cannot wait: how to undo a
    payment, 112 and the Centrum Seksueel Geweld for a demand to meet or for sex, that removal
    is possible, advice for a parent or friend. Evidence and platform details follow after the
    questions (new_topics) or on request (buttons of utter_offer_next, questions any time)."""
    writer = r.writer
    if r.slot("paid") is True:
        r.say("ack_paid", topic="ack")
    elif r.slot("material_spread") is True:
        r.say("ack_spread", topic="ack")
    elif writer == "on_behalf":
        r.say("ack_on_behalf", topic="ack")
    else:
        r.say("ack_victim", topic="ack")
    if r.slot("deadline") or r.slot("deadline_within_24h") is True:
        r.say("deadline", topic="deadline")

    demand = r.slot("demand_type")
    steps = ("keep_evidence", "stop_block_report")
    if r.slot("paid") is True:
        r.say("script_short_paid", advice=("dont_pay",) + steps, topic="paid")
        paid_method(r)
    elif demand in CONTACT_DEMANDS:
        r.say("script_short_meeting", advice=("dont_pay",) + steps, topic="demand:meeting")
    elif demand in IMAGE_DEMANDS:
        r.say("script_short_images", advice=("dont_pay",) + steps, topic="demand:images")
    else:
        r.say("script_short", advice=("dont_pay",) + steps)
    r.cover("script")
    if demand in CONTACT_DEMANDS:
        r.say("csg_support", advice=("csg",), topic="csg")
    if r.slot("material_spread") is True:
        r.say("removal_short", advice=("removal",), topic="spread_short")
    if writer == "on_behalf":
        r.say("parent_advice", advice=("parent_advice",), topic="parent")
    if r.slot("deepfake") is True:
        r.say("deepfake", topic="deepfake")


def new_topics(r: Reply) -> int:
    """The details and the advice for facts learned since the script (each once).

    Sent after the questions, after "no questions", and when a fact is told later; returns how
    many messages were sent."""
    before = len(r.sent)
    if r.writer == "on_behalf" and not r.done("parent"):
        r.say("parent_advice", advice=("parent_advice",), topic="parent")
    if r.slot("paid") is True:
        if not r.done("paid"):
            r.say("paid_later", advice=("dont_pay",), topic="paid")
        paid_method(r)
    if r.slot("material_spread") is True and not r.done("spread"):
        removal(r)
        r.say("spread_hope", advice=("support",), topic="spread")
    if (r.slot("deadline") or r.slot("deadline_within_24h") is True) and not r.done("deadline"):
        r.say("deadline", topic="deadline")
    if r.slot("deepfake") is True and not r.done("deepfake"):
        r.say("deepfake", topic="deepfake")
    demand = r.slot("demand_type")
    if demand in CONTACT_DEMANDS and not r.done("demand:meeting"):
        r.say("demand_meeting_later", advice=("dont_pay",), topic="demand:meeting")
    elif demand in IMAGE_DEMANDS and not r.done("demand:images") and not r.done("demand:meeting"):
        r.say("demand_images_later", advice=("dont_pay",), topic="demand:images")
    if demand in CONTACT_DEMANDS and not r.done("csg"):
        r.say("csg_support", advice=("csg",), topic="csg")
    if young(r) and not r.done("young"):
        r.say("young_support", advice=("kindertelefoon",), topic="young")
    platform_tips(r)
    return len(r.sent) - before


def receiver_advice(r: Reply) -> None:
    if not r.done("receiver"):
        r.say("receiver_advice", advice=("receiver_advice",), topic="receiver")
        r.say("receiver_extra", advice=("support",))


def ask_identifiers(r: Reply) -> None:
    """Once, after the questions: the extorter's account or payment details may be typed (or not).

    No extra form question (and no extra turn): whatever is typed later is read by
    action_extract_facts (``identifiers``) and reaches the counsellor masked."""
    if r.writer == "receiver" or r.slot("identifiers") or r.done("identifiers"):
        return
    r.say("ask_identifiers", topic="identifiers")


def greeted(tracker: Tracker, r: Reply) -> bool:
    return ran_action(tracker, "action_greet") or r.done("intro")


class ActionReport(Action):
    """A report at any turn: acknowledgement + the script, or only what is new."""

    def name(self) -> Text:
        return "action_report"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        r = Reply(dispatcher, tracker)
        if not greeted(tracker, r):
            r.say("intro_short", topic="intro")
        stage = r.slot("stage")
        if r.writer == "receiver":
            if r.done("receiver"):
                r.say("ack_more")
            receiver_advice(r)
            if stage is None:
                r.set("stage", STAGE_AFTER)
            return r.events()
        if not r.done("script"):
            first_script(r)
        else:
            r.say("ack_more")
            if new_topics(r) == 0:
                r.say("ack_nothing_new")
        if stage is None:
            r.set("stage", STAGE_SCRIPT)
        return r.events()


class ActionStartFacts(Action):
    def name(self) -> Text:
        return "action_start_facts"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        texts.say(dispatcher, "facts_start", tracker.current_slot_values())
        return [SlotSet("stage", STAGE_FACTS)]


class ActionFactsDeclined(Action):
    def name(self) -> Text:
        return "action_facts_declined"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        r = Reply(dispatcher, tracker)
        r.say("facts_declined")
        if r.slot("safety_recent"):
            pass  # right after a disclosure: no practical details now (issue 12); they come on request
        elif r.writer == "receiver":
            receiver_advice(r)
        elif r.done("script"):
            new_topics(r)
        r.set("stage", STAGE_AFTER)
        r.set("requested_slot", None)
        return r.events()


class ActionAfterFacts(Action):
    """After the facts form: thanks, and the paths that the answers opened."""

    def name(self) -> Text:
        return "action_after_facts"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        r = Reply(dispatcher, tracker)
        r.say("facts_thanks")
        if r.writer == "receiver":
            receiver_advice(r)
        elif not r.done("script"):
            first_script(r)
        else:
            new_topics(r)
        ask_identifiers(r)
        r.set("stage", STAGE_AFTER)
        return r.events()


class ActionInform(Action):
    """Facts told outside the form ("via snap", "ik ben 15", "vanavond om 10")."""

    def name(self) -> Text:
        return "action_inform"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        r = Reply(dispatcher, tracker)
        threat = any(r.slot(s) for s in ("amount_demanded", "demand_type", "deadline", "audience"))
        if not r.done("script") and r.writer != "receiver":
            if threat:
                if not greeted(tracker, r):
                    r.say("intro_short", topic="intro")
                first_script(r)
                if r.slot("stage") is None:
                    r.set("stage", STAGE_SCRIPT)
            else:
                if facts_set_now(tracker):
                    r.say("inform_thanks")
                r.say("invite_story")
            return r.events()
        if new_topics(r) == 0:
            r.say("inform_thanks" if facts_set_now(tracker) else "anything_else")
        return r.events()


class ActionAnswerQuestion(Action):
    """Questions any time (also inside the form, which then asks its question again)."""

    def name(self) -> Text:
        return "action_answer_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        r = Reply(dispatcher, tracker)
        intent = intent_of(tracker)
        if intent == "ask_should_pay":
            r.say("answer_should_pay", advice=("dont_pay",))
            if r.slot("paid") is True:
                r.say("answer_should_pay_paid", topic="paid")
                paid_method(r)
        elif intent == "ask_evidence":
            r.say("answer_evidence", advice=("keep_evidence",))
            platform_tips(r, always=True)
        elif intent == "ask_block":
            r.say("answer_block", advice=("stop_block_report",))
            if not platform_tips(r, always=True):
                r.say("generic_platform_tips")
        elif intent == "ask_police":
            r.say("answer_police", advice=("police",))
        elif intent == "ask_removal":
            removal(r)
        elif intent == "ask_is_crime":
            r.say("answer_is_crime")
        elif intent == "ask_anonymous":
            r.say("answer_anonymous")
        else:
            r.say("anything_else")
        return r.events()
