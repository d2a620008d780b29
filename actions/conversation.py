"""Keeping the conversation going (never a dead end) and closing it well."""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import texts
from actions.common import (
    CONTACT_DEMANDS,
    IMAGE_DEMANDS,
    Reply,
    actions_since_user,
    intent_of,
    metadata_value,
    recent_intents,
    text_of,
)
from actions.script import (
    STAGE_SCRIPT,
    ActionInform,
    answer_topic,
    corrected,
    first_script,
    start_questions,
    tells_facts,
)
from bot.cases.facts import threat_known
from bot.language.question_topics import answer_topic_of
from bot.language.text_facts import platform_name

log = logging.getLogger(__name__)
_CONVERSATION_ID = re.compile(r"^[0-9a-f]{32}$")


class ActionContinue(Action):
    """After a side step (safety, counsellor question, comfort, a loose yes/no): what now."""

    def name(self) -> Text:
        return "action_continue"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        slots = tracker.current_slot_values()
        after = tracker.latest_action_name
        r = Reply(dispatcher, tracker)
        if not actions_since_user(tracker):
            if corrected(r, tracker):  # "nee, ik heb niks over geld gezegd"
                return r.events()
            started = start_questions(r, tracker)  # "hmm ok" after "Mag ik je een paar vragen stellen?"
            if started is not None:
                return started
            if slots.get("stage") is not None and tells_facts(tracker):
                return ActionInform().run(dispatcher, tracker, domain)  # "ja, ze is 16": facts, not a loose yes
            text = text_of(tracker).lower()
            if len(text.split()) <= 4 and _BYE.search(text):  # "nee doei": a goodbye, not "anything else?"
                return ActionClosing().run(dispatcher, tracker, domain)
        if slots.get("stage") is None and _threat_known(slots):
            r = Reply(dispatcher, tracker)
            if slots.get("safety_recent") and _crisis_just_before(tracker):
                # "ik wil dood. iemand op snap ... wil 250 euro", then "idk. ik zit op mn kamer": the
                # threat was heard, so no "vertel wat er is gebeurd"; the steps wait one message
                # (n_crisis.yml, session 32)
                r.say("invite_after_crisis")
                return r.events()
            # e.g. "hij wil 500 euro en anders ... ik wil dood": safety came first, now the script
            r.say("continue_to_script")
            first_script(r)
            r.set("stage", STAGE_SCRIPT)
            return r.events()
        if slots.get("stage") is None:
            texts.say(dispatcher, "invite_story", slots)
        elif after == "action_handoff" and slots.get("handoff_done"):
            texts.say(dispatcher, "carry_on_handoff", slots)
        elif after in ("utter_handoff_declined", "action_handoff"):
            texts.say(dispatcher, "carry_on_declined", slots)
        elif intent_of(tracker) in ("affirm", "deny", "dont_know", "prefer_not_to_say", "thank"):
            texts.say(dispatcher, "anything_else", slots)
        elif intent_of(tracker) == "express_distress" and (topic := answer_topic_of(text_of(tracker))):
            # "hij weet ook waar ik werk. ik ben echt bang": the fear has an answer (112 when he could
            # come), not only the menu (session 30, k_afsluiten.yml)
            answer_topic(r, topic)
            return r.events()
        else:
            dispatcher.utter_message(response="utter_offer_next")
        return []


def _crisis_just_before(tracker: Tracker) -> bool:
    """Was the person's message before this one read as suicidal (the crisis message came last)?"""
    intents = recent_intents(tracker, 2)
    return len(intents) == 2 and intents[0] == "express_suicidal"


def _threat_known(slots: Dict[str, Any]) -> bool:
    # after the safety message, a spread or a payment is also reason enough to give the script
    return threat_known(slots, also=("material_spread", "paid"))


def conversation_code(tracker: Tracker) -> Optional[str]:
    """The code to come back with: the case code, a code sent by the web app, or the stored one."""
    code = tracker.get_slot("case_code") or metadata_value(tracker, "conversation_code")
    if code:
        return str(code)
    if not _CONVERSATION_ID.match(tracker.sender_id or ""):
        return None
    try:  # the web app stores a code per conversation (bot/storage/conversations.py)
        from bot.settings import get_settings
        from bot.storage.conversations import ConversationStore

        found = ConversationStore.from_url(get_settings().database_url).get(tracker.sender_id)
        return found.get("code") if found else None
    except Exception:
        log.debug("no conversation code for %s", tracker.sender_id, exc_info=True)
        return None


_GOODBYE_WORDS = re.compile(
    r"\b(doei|dag|bye|ciao|doeg|later|slaap|welterusten|tot (morgen|later|ziens)|klaar|"
    r"stop|ik ga|ga maar|genoeg|bedankt|dankje|dank je|thanks|top)\b"
)
# "ok ik ga slapen nu. dankje" is a goodbye too (session 31: it got "Wil je nog iets weten?")
_BYE = re.compile(
    r"\b(doei|doeg|dag|bye|ciao|welterusten|slaap lekker|later|tot (morgen|later|ziens)|"
    r"ik ga (nu |maar |proberen te |even |dan )*(slapen|pitten|maffen))\b"
)
CLOSING_WORDS = 80  # the closing list fits a phone screen (issue 14); the rest is on request


def closing_items(slots: Dict[str, Any], budget: int = CLOSING_WORDS) -> List[str]:
    """The steps that apply to this person, short, in the order of the script.

    Each item has a rank (0 = must stay); while the list is longer than ``budget`` words, the
    item with the highest rank goes (the person can still ask about it)."""
    items = texts.raw("closing_items")
    name = platform_name(slots.get("platform"))
    ranked: List[tuple] = []  # (rank, text) in display order

    def add(rank: int, key: str, **fields: Any) -> None:
        ranked.append((rank, texts.fill(items[key], **fields)))

    writer = slots.get("writer") or "victim"
    advice = set(slots.get("advice_given") or [])
    if slots.get("suicide_risk"):
        add(0, "safety")
    if writer == "receiver":
        add(1, "receiver")
        add(4, "support")
    else:
        if writer == "on_behalf":
            add(3, "parent")
        # pictures or a call asked and money never: "stuur niets", and no word about paying (a girl of 14 asked
        # for a video got "Niet betalen" and "betaalverzoeken" in her closing list; t_jong.yml, session 36)
        images_only = (
            slots.get("demand_type") in IMAGE_DEMANDS
            and not slots.get("paid")
            and not slots.get("amount_demanded")
            and not slots.get("payment_method")
        )
        add(1, "stop_paying" if slots.get("paid") else ("dont_send" if images_only else "dont_pay"))
        if slots.get("demand_type") in CONTACT_DEMANDS:
            add(1, "no_meeting")
            add(2, "csg")
        add(1, "evidence_images" if images_only else "evidence")
        add(1, "block", platform_name=name)
        if slots.get("material_spread") or "removal" in advice:
            key = {"under_18": "removal_under_18", "adult": "removal_adult"}.get(slots.get("age_group"), "removal")
            add(2, key)
        add(3, "police")
        if writer == "victim" and slots.get("age_group") == "under_18":
            add(2, "young")
        else:
            add(4, "support")
    if slots.get("handoff_done") and slots.get("case_code"):
        add(0, "counsellor_done", case_code=slots["case_code"])
    else:
        add(2, "counsellor")

    def words() -> int:
        return 5 + sum(len(text.split()) + 1 for _, text in ranked)  # the header, a bullet per item

    while words() > budget and any(rank > 1 for rank, _ in ranked):
        worst = max(range(len(ranked)), key=lambda i: (ranked[i][0], i))
        del ranked[worst]
    return [text for _, text in ranked]


class ActionClosing(Action):
    """Goodbye: 'wat je nu kunt doen' for this person, and how to come back."""

    def name(self) -> Text:
        return "action_closing"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        slots = tracker.current_slot_values()
        if (
            slots.get("stage") is not None
            and tells_facts(tracker)
            and not _GOODBYE_WORDS.search(text_of(tracker).lower())
        ):
            # "ze geven me tot morgenavond" read as a goodbye: it is information (issue 15)
            return ActionInform().run(dispatcher, tracker, domain)
        engaged = slots.get("stage") is not None or slots.get("suicide_risk")
        if not engaged:
            texts.say(dispatcher, "goodbye_short", slots)
            return []
        items = closing_items(slots)
        header = texts.text("closing_header", slots)
        dispatcher.utter_message(text=header + "\n" + "\n".join(f"• {item}" for item in items))
        code = conversation_code(tracker)
        if code:
            texts.say(dispatcher, "come_back_code", slots, code=code)
        else:
            texts.say(dispatcher, "come_back", slots)
        texts.say(dispatcher, "goodbye", slots)
        r = Reply(dispatcher, tracker)
        if slots.get("writer") != "receiver" and texts.fill(texts.raw("closing_items")["police"]) in items:
            r.give("police")
        return r.events()


class ActionThank(Action):
    """Thanks: "Graag gedaan" (utter_thank; after a crisis it names 113 again), unless the thanks is
    also a goodbye ("ok thx doei" got "Wil je nog iets weten?" and no way back: session 30,
    k_afsluiten.yml): then the closing, with what to do now and how to come back."""

    def name(self) -> Text:
        return "action_thank"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if _BYE.search(text_of(tracker).lower()):
            return ActionClosing().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_thank")
        return []
