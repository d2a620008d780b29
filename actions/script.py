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
from actions.common import IMAGE_DEMANDS, Reply, facts_set_now, intent_of, ran_action

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


def first_script(r: Reply) -> None:
    writer = r.writer
    if r.slot("paid") is True:
        r.say("ack_paid", topic="ack")
    elif r.slot("material_spread") is True:
        r.say("ack_spread", topic="ack")
    elif writer == "on_behalf":
        r.say("ack_on_behalf", topic="ack")
    else:
        r.say("ack_victim", topic="ack")
    if writer == "on_behalf":
        r.say("parent_advice", advice=("parent_advice",), topic="parent")
    if r.slot("deepfake") is True:
        r.say("deepfake", topic="deepfake")
    if r.slot("deadline") or r.slot("deadline_within_24h") is True:
        r.say("deadline", topic="deadline")

    demand = r.slot("demand_type")
    if r.slot("paid") is True:
        r.say("step1_paid", advice=("dont_pay", "bank"), topic="paid")
    elif demand == "meeting":
        r.say("step1_meeting", advice=("dont_pay",), topic="demand:meeting")
    elif demand in IMAGE_DEMANDS:
        r.say("step1_images", advice=("dont_pay",), topic="demand:images")
    else:
        r.say("step1_dont_pay", advice=("dont_pay",))
    r.say("step2_evidence", advice=("keep_evidence",))
    r.say("step3_block", advice=("stop_block_report",))
    platform_tips(r)
    if r.slot("material_spread") is True:
        removal(r)
        r.cover("spread")
    r.say("script_next", advice=("support",), topic="script")


def new_topics(r: Reply) -> int:
    """Advice for facts learned since the script; returns how many messages were sent."""
    before = len(r.sent)
    if r.writer == "on_behalf" and not r.done("parent"):
        r.say("parent_advice", advice=("parent_advice",), topic="parent")
    if r.slot("paid") is True and not r.done("paid"):
        r.say("paid_later", advice=("dont_pay", "bank"), topic="paid")
    if r.slot("material_spread") is True and not r.done("spread"):
        removal(r)
        r.say("spread_hope", advice=("support",), topic="spread")
    if (r.slot("deadline") or r.slot("deadline_within_24h") is True) and not r.done("deadline"):
        r.say("deadline", topic="deadline")
    if r.slot("deepfake") is True and not r.done("deepfake"):
        r.say("deepfake", topic="deepfake")
    demand = r.slot("demand_type")
    if demand == "meeting" and not r.done("demand:meeting"):
        r.say("demand_meeting_later", topic="demand:meeting")
    elif demand in IMAGE_DEMANDS and not r.done("demand:images") and not r.done("demand:meeting"):
        r.say("demand_images_later", topic="demand:images")
    platform_tips(r)
    return len(r.sent) - before


def receiver_advice(r: Reply) -> None:
    if not r.done("receiver"):
        r.say("receiver_advice", advice=("receiver_advice",), topic="receiver")
        r.say("receiver_extra", advice=("support",))


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
        texts.say(dispatcher, "facts_declined", tracker.current_slot_values())
        return [SlotSet("stage", STAGE_AFTER), SlotSet("requested_slot", None)]


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
                r.say("answer_should_pay_paid", advice=("bank",), topic="paid")
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
