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

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import texts
from actions.common import (
    CONTACT_DEMANDS,
    IMAGE_DEMANDS,
    Reply,
    facts_set_now,
    first_message,
    intent_of,
    new_demand_now,
    new_method_now,
    previous_bot_action,
    ran_action,
    say_new_demand,
    slot_values_around,
    text_of,
)
from bot.cases.facts import THREAT_FACTS, threat_known
from bot.language.cues import MONEY_WORDS
from bot.language.question_topics import (
    answer_topic_of,
    complains,
    is_hypothetical,
    looks_like_question,
    question_topic,
    topic_intent,
)
from bot.language.safety_phrases import default_net
from bot.language.text_facts import (
    find_writer_role,
    is_deepfake,
    norm,
    not_about_money,
    platform_tips_text,
    wants_questions,
)

STAGE_SCRIPT, STAGE_FACTS, STAGE_AFTER = "script", "facts", "after"


def platform_tips(r: Reply, always: bool = False) -> bool:
    """Per-platform tips for saving evidence, reporting and blocking (once per platform)."""
    platform = r.slot("platform")
    if not platform:
        return False
    topic = f"platform:{platform}"
    if r.done(topic) and not always:
        return False
    tips = platform_tips_text(platform)  # data/vocab/platforms.yml
    if tips:
        r.say_text(texts.fill(tips), advice=("platform_tips",), topic=topic)
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
    elif demand is None and r.slot("material_spread") is True and not r.slot("amount_demanded"):
        r.say("script_short_spread", advice=steps + ("removal",), topic="spread_short")
    else:
        r.say("script_short", advice=("dont_pay",) + steps)
        if demand == "money":
            r.cover("demand:money")
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
    elif r.slot("deepfake") is True and not r.done("deepfake_made") and is_deepfake(text_of(r.tracker)):
        # "jongens uit mn klas hebben met een ai app naaktfotos van mij gemaakt", after "kunnen jullie
        # ook helpen als de fotos nep zijn?" had its answer: the story itself gets one (session 13)
        r.say("deepfake_made", topic="deepfake_made")
    demand = r.slot("demand_type")
    if (r.slot("paid") is True and _set_this_turn(r, "amount_demanded")) or new_demand_now(r.tracker):
        # "200 betaald. bitcoin." then "nu 800. voor maandag.": a new demand after paying got only the
        # deadline and platform tips (session 28, g_kort.yml)
        say_new_demand(r)
    if (
        r.slot("paid") is False
        and any(v is False for v in slot_values_around(r.tracker, "paid")[1])
        and demand in (None, "money")
        and not r.done("not_paid")
    ):
        # "Ik heb nog niet betaald. Ik heb ook geen bitcoin" got "Dank je, dat helpt." (p_schrijfstijl.yml, session 33)
        r.say("not_paid", advice=("dont_pay",), topic="not_paid")
    method = new_method_now(r.tracker)
    if (
        method
        and demand in (None, "money")
        and "script" in (r.slot("topics_done") or [])
        and not r.done(f"demand_method:{method}")
    ):
        # "Nu zij zegt ik moet gift card kopen dan, van de Apple. 4 kaart van 250" after the script got
        # only "Dank je dat je dat vertelt" (p_schrijfstijl.yml, session 33): a new way to pay is a new demand
        r.say("demand_method", advice=("dont_pay",), topic=f"demand_method:{method}", payment_method=method)
    if demand == "money" and r.slot("paid") is not True and not r.done("demand:money") and not r.done("paid"):
        r.say("demand_money_later", advice=("dont_pay", "keep_evidence", "stop_block_report"), topic="demand:money")
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


def _set_this_turn(r: Reply, name: str) -> bool:
    """Did this turn's messages (action_extract_facts) set the slot ``name`` to a value?"""
    return any(slot_values_around(r.tracker, name)[1])


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


def threat_told(r: Reply) -> bool:
    """A demand or threat is known (the threat facts as held now, this turn's included)."""
    return threat_known({name: r.slot(name) for name in THREAT_FACTS})


def greeted(tracker: Tracker, r: Reply) -> bool:
    return ran_action(tracker, "action_greet") or r.done("intro")


def answer_should_pay(r: Reply) -> None:
    if r.slot("demand_type") in IMAGE_DEMANDS and not MONEY_WORDS.search(norm(text_of(r.tracker))):
        # "hij zegt ik moet het voor zaterdag sturen" (ask_should_pay 0.62) after a demand for a video got "Nee,
        # betaal niet" (s_tegenspraak.yml, session 36): the answer for the demand that is known
        r.say("answer_should_send", advice=("stop_block_report",))
        return
    r.say("answer_should_pay", advice=("dont_pay",))
    if r.slot("paid") is True:
        r.say("answer_should_pay_paid", topic="paid")
        paid_method(r)


def answer_police(r: Reply) -> None:
    r.say("answer_police", advice=("police",))


# The answers of the question intents a report can carry too ("hij wil 200 euro. moet ik betalen?",
# read as a report): one answer for both actions (texts/question_topics.yml names them intent_<intent>)
INTENT_ANSWERS = {"ask_should_pay": answer_should_pay, "ask_police": answer_police}


_NOT_FORWARDED = re.compile(
    r"\b(niet|nie|nooit|niemand|aan niemand|naar niemand)\b.{0,20}\b(doorgestuurd|doorgestuurt|gestuurd|gedeeld|laten zien)\b"
)


class ActionReport(Action):
    """A report at any turn: acknowledgement + the script, or only what is new."""

    def name(self) -> Text:
        return "action_report"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        r = Reply(dispatcher, tracker)
        if not greeted(tracker, r):
            r.say("intro_short", topic="intro")
        stage = r.slot("stage")
        if r.writer == "receiver":
            if r.done("receiver"):
                # "ik heb m niet doorgestuurd echt niet": praise for that, not a plain thanks (r_omstanders.yml)
                r.say("receiver_not_forwarded" if _NOT_FORWARDED.search(norm(text_of(tracker))) else "ack_more")
                if not r.done("receiver_reminder"):
                    r.say("receiver_reminder", topic="receiver_reminder")
            receiver_advice(r)
            if stage is None:
                r.set("stage", STAGE_AFTER)
            return r.events()
        found = question_topic(text_of(tracker))  # the question in the report, if any (read once)
        topic = None if topic_intent(found) else found
        if topic == "phishing" and not r.done("script"):
            answer_topic(r, "phishing")  # a bank phishing mail is no sextortion: no script (issue 15)
            return r.events()
        if topic == "sent_picture" and not r.done("script") and not first_message(tracker) and not threat_told(r):
            # "ik heb er wel 1 gestuurd gister. in mn bh" before any threat (report_paid 1.00) got the whole
            # script with "Betaal niets" (q_gaandeweg.yml, session 34): that it is fine to say no, and "does he
            # want something or threaten you?". Not as the first message: that keeps the script (a change for
            # first messages goes through the blind protocol, docs/nlu.md).
            answer_topic(r, "sent_picture")
            return r.events()
        if r.done("script") and corrected(r, tracker):
            return r.events()
        if not r.done("script"):
            first_script(r)
        elif topic and (looks_like_question(text_of(tracker)) or is_hypothetical(text_of(tracker))):
            # "waar moet ik dat geld vandaan halen?" read as a report: a question, not news, so no
            # "Dank je dat je dat vertelt" (session 12); the advice for facts it brings still follows
            answer_topic(r, topic)
            if tells_facts(tracker):
                new_topics(r)
            topic = None
        else:
            r.say("ack_more")
            answer = INTENT_ANSWERS.get(topic_intent(found) or "")
            if answer and looks_like_question(text_of(tracker)):
                # "maar wat moet ik nou met die video. moet ik gwn betalen? ik heb maar 120 op mn rekening"
                # (report_paid 0.64) got no "betaal niet" (h_nacht.yml on session 32's code)
                answer(r)
            else:
                answer = None  # not a question: the ack below says there is nothing new (session 33)
            if new_topics(r) == 0 and not topic and not answer:
                r.say("ack_nothing_new")
        if topic:  # "hij wil 300 euro, wat moet ik terug zeggen?": the question gets its answer too
            answer_topic(r, topic)
        if stage is None:
            r.set("stage", STAGE_SCRIPT)
        return r.events()


class ActionAskFactsPermission(Action):
    """ "Mag ik je een paar korte vragen stellen?" -- once per conversation, and never after "stop met
    de vragen" (issue 15: consent asked three times in three turns, the question back after the
    handoff). When it is not asked, nothing is said: the turn already has its answer."""

    def name(self) -> Text:
        return "action_ask_facts_permission"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        r = Reply(dispatcher, tracker)
        if r.slot("questions_stopped") or r.done("permission") or r.slot("stage") not in (None, STAGE_SCRIPT):
            return []
        if not r.done("script"):
            return []  # no script given (a phishing mail, a picture sent before any threat): no case to ask about
        r.say("ask_facts_permission", topic="permission")
        return r.events()


class ActionStartFacts(Action):
    def name(self) -> Text:
        return "action_start_facts"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if not tracker.get_slot("questions_stopped"):  # no questions will come: no "Fijn, ..." either
            texts.say(dispatcher, "facts_start", tracker.current_slot_values())
        return [SlotSet("stage", STAGE_FACTS)]


class ActionFactsDeclined(Action):
    def name(self) -> Text:
        return "action_facts_declined"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
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

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        r = Reply(dispatcher, tracker)
        if not r.slot("questions_stopped"):
            r.say("facts_thanks")
        if r.writer == "receiver":
            receiver_advice(r)
        elif not r.done("script"):
            first_script(r)
        else:
            new_topics(r)
        if not r.slot("questions_stopped"):
            ask_identifiers(r)
        r.set("stage", STAGE_AFTER)
        return r.events()


class ActionInform(Action):
    """Facts told outside the form ("via snap", "ik ben 15", "vanavond om 10")."""

    def name(self) -> Text:
        return "action_inform"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        r = Reply(dispatcher, tracker)
        if corrected(r, tracker):
            return r.events()
        threat = threat_told(r)
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
            topic = answer_topic_of(text_of(tracker))
            if topic:
                # "Hij appt nu: 'vanavond om 10 uur bel ik, neem op of ...'" told a deadline (said before) and got
                # "Dank je, dat helpt." (s_tegenspraak.yml, session 36): what the message is about gets its answer
                answer_topic(r, topic)
            else:
                r.say("inform_thanks" if facts_set_now(tracker) else "anything_else")
        return r.events()


# Facts that make a message information whatever the classifier said (issue 15: "ze geven me tot
# morgenavond" closed the conversation as a goodbye; a report mid-conversation got "not my topic").
TELLING_FACTS = (
    "amount_demanded",
    "amount_paid",
    "paid",
    "demand_type",
    "deadline",
    "material_spread",
    "platform",
    "age",
    "age_group",
    "payment_method",
)


def tells_facts(tracker: Tracker) -> bool:
    return bool(set(facts_set_now(tracker)) & set(TELLING_FACTS))


def corrected(r: Reply, tracker: Tracker) -> bool:
    """'ik heb nog niks gezegd over geld': say so, and the advice for what was really asked."""
    if not not_about_money(text_of(tracker)) or r.done("corrected"):
        return False
    r.say("demand_corrected", topic="corrected")
    if r.done("script"):
        new_topics(r)
    return True


_ACK = (
    "ok",
    "oke",
    "oké",
    "okay",
    "hmm ok",
    "hmm oke",
    "prima",
    "goed",
    "is goed",
    "oke dan",
    "ok dan",
    "mwah ok",
    "vooruit",
)


def start_questions(r: Reply, tracker: Tracker) -> Optional[List[Dict[Text, Any]]]:
    """'stel maar vragen (dan)', or 'hmm ok' right after "Mag ik je een paar vragen stellen?" read as
    something else by the classifier: the questions start (issue 15). None when not asked for."""
    text = text_of(tracker)
    ack = text.lower().strip(" .!") in _ACK and previous_bot_action(tracker) == "action_ask_facts_permission"
    if not (wants_questions(text) or ack) or r.slot("stage") not in (None, STAGE_SCRIPT) or not r.done("script"):
        return None
    r.say("facts_start")
    r.set("stage", STAGE_FACTS)
    r.set("questions_stopped", False)
    return r.events() + [FollowupAction("facts_form")]


def just_stopped_questions(tracker: Tracker) -> bool:
    """Did this message say "stop met de vragen" (slot set by action_extract_facts just now)?"""
    events = tracker.events or []
    start = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    return any(
        e.get("event") == "slot" and e.get("name") == "questions_stopped" and e.get("value") is True
        for e in events[start + 1 :]
    )


def answer_topic(r: Reply, topic: Optional[str]) -> None:
    """A question around the script (bot/language/question_topics.py), or an honest "dat weet ik niet zeker"
    with the counsellor. Asked again: the same answer, marked as a reminder (never verbatim twice)."""
    if not topic:
        r.say("topic_unknown")
        return
    if topic == "talk_with_child" and r.writer == "victim":
        topic = "reply_extorter"  # "wat moet ik tegen hem zeggen" from the person extorted: to the extorter
    if topic in ("talk_with_child", "reply_extorter") and r.slot("writer_role") == "peer":
        r.say("topic_talk_with_friend", topic="asked:talk_with_friend")  # what to say to the friend
        return
    if topic == "sent_picture" and threat_told(r):
        r.say("sent_more", topic="asked:sent_more")  # "ik heb er toch 1 gestuurd" after the threat
        return
    if topic == "what_now" and r.done("asked:phishing"):
        topic = "phishing"  # "wat moet ik er nu mee doen" about the phishing mail
    key = f"topic_{topic}"
    if r.done(f"asked:{topic}"):
        r.say_text(texts.text("topic_again", r.slots) + " " + texts.text(key, dict(r.slots, **r.extra)))
    else:
        r.say(key, topic=f"asked:{topic}")


class ActionOutOfScope(Action):
    """Not about sextortion, or not understood: a question gets an honest "dat weet ik niet zeker"
    (or the answer to a known question topic), "stel maar vragen" starts the questions, and
    anything else the polite out-of-scope text with the counsellor (issue 15)."""

    def name(self) -> Text:
        return "action_out_of_scope"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        r = Reply(dispatcher, tracker)
        text = text_of(tracker)
        if corrected(r, tracker):
            return r.events()
        if just_stopped_questions(tracker):
            r.say("facts_stop")
            new_topics(r)
            return r.events()
        if r.slot("stage") is not None and tells_facts(tracker) and not looks_like_question(text):
            # mid-conversation only: as a first message an amount or an app can be about anything
            return ActionInform().run(dispatcher, tracker, domain)
        if (
            r.slot("stage") is None
            and r.slot("material_spread") is True
            and "material_spread" in facts_set_now(tracker)
        ):
            # "en nu blijkt dat ze m heeft doorgestuurd naar een jongen uit de 4e" (a friend forwarded her nude, no threat
            # yet) got "Daar kan ik je helaas niet goed mee helpen" (r_omstanders.yml, session 36): sharing without consent
            # is what Helpwanted helps with too
            r.say("spread_without_threat", advice=("removal",), topic="spread_without_threat")
            return r.events()
        started = start_questions(r, tracker)
        if started is not None:
            return started
        topic = answer_topic_of(text)
        if topic or looks_like_question(text):
            answer_topic(r, topic)
        elif r.slot("stage") is None and (find_writer_role(text) in ("parent", "professional") or r.slot("platform")):
            # "Goedenavond, ik ben een oma en mijn kleinzoon logeert bij mij": someone starting to tell
            # about a child got "Daar kan ik je helaas niet goed mee helpen" (session 13); so did "onbekend
            # nummer op whatsapp", the first piece of a story told in pieces (session 28, g_kort.yml)
            r.say("invite_story")
        elif r.slot("stage") is not None and len(text.split()) <= 3:
            r.say("anything_else")  # "hmm ok", "oke dan": no "not my topic" in the middle of a conversation
        elif r.slot("stage") is not None:
            r.say("topic_mid_conversation")  # most likely about the case, just not understood
        elif default_net().risk_word(text):
            r.say("out_of_scope")
        else:
            r.say("out_of_scope_plain")
        return r.events()


class ActionAnswerQuestion(Action):
    """Questions any time (also inside the form, which then asks its question again)."""

    def name(self) -> Text:
        return "action_answer_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        r = Reply(dispatcher, tracker)
        intent = intent_of(tracker)
        topic = answer_topic_of(text_of(tracker))
        started = start_questions(r, tracker)
        if started is not None:
            return started
        if wants_questions(text_of(tracker)) and (tracker.active_loop or {}).get("name") == "facts_form":
            # "stel maar vragen dan" while a question is open, read as a question by the classifier
            # (ask_should_pay 0.58 on one machine kind, session 14): no answer to a question nobody
            # asked; the form, which follows this action, asks its question again
            return r.events()
        if just_stopped_questions(tracker):
            r.say("facts_stop")
        if intent == "ask_other" and not topic and not looks_like_question(text_of(tracker)):
            # read as a question by the classifier, but a statement: news gets its advice ("leerlingen
            # hebben de foto al in een groepsapp gezien": removal help), else carry on
            # (only news: "grapje man, ik ben gwn boos" got the pending platform tips, session 12)
            if not (r.done("script") and tells_facts(tracker) and new_topics(r)):
                # before any story, no "Prima. Heb je nog een vraag?": an invitation to tell it (a live try,
                # session 34: "ik weet niet meer wat ik moet doen, ..." got "Oké. Je kunt me alles vragen")
                quiet = "anything_else" if r.slot("stage") is not None else "invite_story"
                r.say("inform_thanks" if tells_facts(tracker) else quiet)
            return r.events()
        elif topic or intent == "ask_other":
            if topic or not (r.done("script") and tells_facts(tracker)):
                answer_topic(r, topic)
            # else: "hij heeft het net naar mn beste vriendin gestuurd wat nu???" got "dat weet ik niet zeker"
            # before the removal help; the news' own advice below answers "wat nu" (session 31, live try)
        elif intent in INTENT_ANSWERS:
            INTENT_ANSWERS[intent](r)
        elif intent == "ask_evidence":
            r.say("answer_evidence", advice=("keep_evidence",))
            platform_tips(r, always=True)
        elif intent == "ask_block":
            r.say("answer_block", advice=("stop_block_report",))
            if not platform_tips(r, always=True):
                r.say("generic_platform_tips")
        elif intent == "ask_removal":
            removal(r)
        elif intent == "ask_is_crime":
            # after bullying with an ordinary photo and no threat, "is dat eigenlijk strafbaar wat ze doen?"
            # got "Iemand afpersen met naaktbeelden is strafbaar" (q_gaandeweg.yml, session 34)
            bullying = r.done("asked:bullying") and not threat_told(r)
            r.say("answer_is_crime_bullying" if bullying else "answer_is_crime")
        elif intent == "ask_anonymous":
            r.say("answer_anonymous")
        else:
            r.say("anything_else")
            return r.events()
        if (tracker.active_loop or {}).get("name") == "facts_form" and complains(text_of(tracker)):
            # "je luistert niet ..." while a case question is open: the form, which follows this action, asks
            # no next question (s_tegenspraak.yml, session 36); "stel maar vragen" brings them back
            r.set("questions_stopped", True)
        if r.done("script") and tells_facts(tracker):
            # news inside a question gets its advice too: "Sorry, ik was even weg. Ik heb het toch gedaan.
            # Net 250 overgemaakt." got only "Ja, ik ben er" (presence), and "hij heeft het net naar mn beste
            # vriendin gestuurd ... wat is dit???" (ask_should_pay) no removal help (session 31, m_wending.yml)
            if not new_topics(r) and not r.sent:
                answer_topic(r, topic)  # nothing new to say after all: the honest answer to the question
        return r.events()
