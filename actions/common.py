"""Shared helpers for Nachtlicht's custom actions: reading the tracker, collecting replies."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import texts
from bot.language.text_facts import add_unique, platform_name

# Demands for more images or webcam acts get the images advice; demands to meet, for sex or a
# relationship get "never meet", 112 and the Centrum Seksueel Geweld (helpline-facts.md).
IMAGE_DEMANDS = ("more_images", "webcam")
CONTACT_DEMANDS = ("meeting", "sex", "relationship")
# Bot actions that are not "the bot said something" (for finding the question a user answers).
_SILENT = {"action_listen", "action_extract_slots", "action_session_start", "action_extract_facts"}


def intent_of(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message or {}).get("intent", {}).get("name")


def recent_intents(tracker: Tracker, last: int) -> List[Optional[str]]:
    """The classifier's intents of the last ``last`` user messages, oldest first (this one included)."""
    users = [e for e in tracker.events or [] if e.get("event") == "user"][-last:]
    return [((e.get("parse_data") or {}).get("intent") or {}).get("name") for e in users]


def text_of(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def entities_of(tracker: Tracker, name: str) -> List[Any]:
    return [e.get("value") for e in (tracker.latest_message or {}).get("entities") or [] if e.get("entity") == name]


def _latest_user_index(events: List[Dict[str, Any]]) -> int:
    for i in range(len(events) - 1, -1, -1):
        if events[i].get("event") == "user":
            return i
    return -1


def first_message(tracker: Tracker) -> bool:
    """Is the latest message the person's first of the conversation (as every blind evaluation sends it)?"""
    return sum(1 for e in tracker.events or [] if e.get("event") == "user") <= 1


def previous_bot_action(tracker: Tracker) -> Optional[str]:
    """The last action the bot ran before the latest user message (action_listen skipped)."""
    events = tracker.events or []
    for event in reversed(events[: max(_latest_user_index(events), 0)]):
        if event.get("event") == "action" and event.get("name") not in _SILENT:
            return event.get("name")
    return None


def answers_a_safety_turn(tracker: Tracker) -> bool:
    """Did the bot's last turn, right before the latest user message, give the crisis message
    (utter_safety) or the web app's check question or safety note (a system message naming 113)?
    Then the person is answering about themself: "ja. vooral vannacht" is not the demand's deadline."""
    events = tracker.events or []
    latest = _latest_user_index(events)
    earlier = [i for i, e in enumerate(events[: max(latest, 0)]) if e.get("event") == "user"]
    for event in events[(earlier[-1] + 1 if earlier else 0) : max(latest, 0)]:
        if event.get("event") == "action" and event.get("name") == "utter_safety":
            return True
        system = (event.get("metadata") or {}).get("nachtlicht_system")
        if event.get("event") == "bot" and system and "113" in (event.get("text") or ""):
            return True
    return False


def actions_since_user(tracker: Tracker) -> List[str]:
    """Names of actions run since the latest user message (loop and listen excluded)."""
    events = tracker.events or []
    start = _latest_user_index(events)
    return [
        e.get("name")
        for e in events[start + 1 :]
        if e.get("event") == "action"
        and e.get("name") not in _SILENT
        and e.get("name") not in ("facts_form", "validate_facts_form")
    ]


def facts_set_now(tracker: Tracker) -> List[str]:
    """Fact slots set from the latest user message (by action_extract_facts)."""
    from bot.cases.facts import FACT_NAMES

    events = tracker.events or []
    start = _latest_user_index(events)
    return [
        e.get("name")
        for e in events[start + 1 :]
        if e.get("event") == "slot"
        and e.get("name") in FACT_NAMES
        and e.get("name") not in ("advice_given", "open_questions")
    ]


def slot_values_around(tracker: Tracker, name: str) -> Tuple[List[Any], List[Any]]:
    """The values the slot ``name`` was set to before the latest user message, and since it (this turn's
    facts, set by action_extract_facts), each in order."""
    events = tracker.events or []
    start = _latest_user_index(events)
    values = [(i, e.get("value")) for i, e in enumerate(events) if e.get("event") == "slot" and e.get("name") == name]
    return [v for i, v in values if i < start], [v for i, v in values if i > start]


def new_demand_now(tracker: Tracker) -> bool:
    """Did the latest message change the amount demanded that was held before it ("nu wil hij 1500"
    after 500)? A first amount is no new demand: its advice came with the script or the questions."""
    before, now = slot_values_around(tracker, "amount_demanded")
    return bool(before) and before[-1] is not None and bool(now) and now[-1] is not None and now[-1] != before[-1]


def new_method_now(tracker: Tracker) -> Optional[str]:
    """The way to pay the latest message named for the first time ("nu zegt ze ik moet gift card kopen",
    after a demand in bitcoin), when nothing is said to be paid; else None (session 33)."""
    before, now = slot_values_around(tracker, "payment_method")
    if not now or not now[-1] or now[-1] in before or tracker.get_slot("paid") is True:
        return None  # "ik heb betaald met een cadeaukaart" is a payment, with its own advice
    return now[-1]


def say_new_demand(r: "Reply") -> None:
    """ "Betaal niet" again for a new demand, once (every path that hears one calls this: the report
    path and the facts form). "nu wil hij 1500. voor vrijdag" after 300 + 500 paid got only the
    deadline's text in the form (session 29, i_anders.yml); after paying, the text says "niet nog een keer"."""
    topic = new_demand_topic(r.slot("amount_demanded"))
    if r.done(topic):
        return
    if r.slot("paid") is True:
        r.say("demand_again_after_paying", advice=("dont_pay",), topic=topic)
    elif r.slot("demand_type") in (None, "money"):
        r.say("demand_raised", advice=("dont_pay",), topic=topic)


def new_demand_topic(amount: Any) -> str:
    """Once per amount, not once per conversation: "eerst 300 en nog 500 betaald" took the text for
    the 500, and "nu wil hij 1500" then got none (session 29, i_anders.yml)."""
    return f"demand:again:{amount}"


def ran_action(tracker: Tracker, name: str) -> bool:
    return any(e.get("event") == "action" and e.get("name") == name for e in tracker.events or [])


def metadata_value(tracker: Tracker, key: str) -> Optional[Any]:
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            value = (event.get("metadata") or {}).get(key)
            if value:
                return value
    return None


class Reply:
    """Sends texts and keeps track of the advice given (slot advice_given) and topics covered."""

    def __init__(self, dispatcher: CollectingDispatcher, tracker: Tracker):
        self.dispatcher = dispatcher
        self.tracker = tracker
        self.slots: Dict[str, Any] = dict(tracker.current_slot_values())
        self._advice_before = list(self.slots.get("advice_given") or [])
        self._topics_before = list(self.slots.get("topics_done") or [])
        self.advice = list(self._advice_before)
        self.topics = list(self._topics_before)
        self.extra: Dict[str, Any] = {}
        self.sent: List[str] = []

    # --- reading ---
    def slot(self, name: str) -> Any:
        if name in self.extra:
            return self.extra[name]
        return self.slots.get(name)

    @property
    def writer(self) -> str:
        return self.slot("writer") or "victim"

    def done(self, topic: str) -> bool:
        return topic in self.topics

    def said(self) -> set:
        """Every bot text of this conversation so far, this turn included (lowercased, single spaces)."""
        earlier = [e.get("text") for e in self.tracker.events or [] if e.get("event") == "bot"]
        now = [m.get("text") for m in getattr(self.dispatcher, "messages", [])]
        return {texts.flat(t) for t in earlier + now if t}

    # --- writing ---
    def say(
        self,
        key: str,
        advice: tuple = (),
        topic: Optional[str] = None,
        extra_buttons: Optional[list] = None,
        **fields: Any,
    ) -> None:
        slots = dict(self.slots, **self.extra)
        fields.setdefault("platform_name", platform_name(self.slot("platform")))
        self.sent.append(key)
        texts.say(self.dispatcher, key, slots, extra_buttons=extra_buttons, avoid=self.said(), **fields)
        self.give(*advice)
        if topic:
            self.cover(topic)

    def say_text(self, text: str, advice: tuple = (), topic: Optional[str] = None, **kwargs: Any) -> None:
        self.sent.append(text[:20])
        self.dispatcher.utter_message(text=text, **kwargs)
        self.give(*advice)
        if topic:
            self.cover(topic)

    def give(self, *advice: str) -> None:
        self.advice = add_unique(self.advice, *advice)

    def cover(self, *topics: str) -> None:
        self.topics = add_unique(self.topics, *topics)

    def set(self, slot: str, value: Any) -> None:
        self.extra[slot] = value

    def events(self) -> List[Dict[str, Any]]:
        out = []
        if self.advice != self._advice_before:
            out.append(SlotSet("advice_given", self.advice))
        if self.topics != self._topics_before:
            out.append(SlotSet("topics_done", self.topics))
        for slot, value in self.extra.items():
            out.append(SlotSet(slot, value))
        return out
