"""The facts form: gentle questions that can always be skipped.

``validate_facts_form`` reads the answer to the question just asked, skips questions on
"weet ik niet" (slot ``skipped_facts``) or "zeg ik liever niet" (slot ``declined_facts``,
contract), asks once more with a hint when an answer cannot be read and then skips it,
and chooses the next question (``required_slots`` depends on what is known). Messages that
are not answers (safety, questions, "I want a person", goodbye) make the form step aside
(a manual ``ActionExecutionRejected``) so the rules in data/rules/ answer them first.
The ``action_ask_<slot>`` actions ask each question with "Weet ik niet" / "Zeg ik liever
niet" buttons, worded for the person writing (victim, parent or professional, receiver).
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActionExecutionRejected, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import texts
from actions.common import Reply, actions_since_user, entities_of, intent_of, new_demand_now, say_new_demand, text_of
from bot.language.money import normalise_amount
from bot.language.safety_phrases import is_suicidal
from bot.language.text_facts import (
    QUESTION_INTENTS,
    add_unique,
    age_group_for,
    amounts_in_text,
    canonical_demand,
    canonical_platform,
    deadline_within_24h,
    denies_paid,
    denies_spread,
    find_age_group,
    find_demand,
    find_platform,
    find_writer,
    looks_like_deadline,
    no_deadline,
    norm,
    probably_no,
    wants_questions,
    wants_to_stop_questions,
    yes_no,
)

FORM = "facts_form"
ORDER = (
    "writer",
    "demand_type",
    "amount_demanded",
    "paid",
    "amount_paid",
    "platform",
    "deadline",
    "material_spread",
    "age_group",
)
RECEIVER_ORDER = ("platform", "age_group")
# Messages that are not an answer: the form steps aside and a rule answers them.
INTERRUPTIONS = {
    "express_suicidal",
    "request_counsellor",
    "goodbye",
    "bot_challenge",
    "express_distress",
    *QUESTION_INTENTS,
}
SOCIAL = {"thank", "greet"}


def required_facts(slots: Dict[str, Any]) -> List[str]:
    """The questions still worth asking, in order (answered ones included; Rasa skips those)."""
    if slots.get("questions_stopped"):
        return []  # "stop met de vragen" holds for the rest of the conversation (issue 15)
    skipped = set(slots.get("skipped_facts") or []) | set(slots.get("declined_facts") or [])
    order = RECEIVER_ORDER if slots.get("writer") == "receiver" else ORDER
    out = []
    for name in order:
        if name in skipped:
            continue
        if name == "amount_demanded" and slots.get("demand_type") != "money":
            continue
        if name == "paid" and slots.get("demand_type") not in (None, "money"):
            continue
        if name == "amount_paid" and slots.get("paid") is not True:
            continue
        if name == "deadline" and slots.get("deadline_within_24h") is False and not slots.get("deadline"):
            continue  # "no deadline" was already said
        out.append(name)
    return out


def next_question(slots: Dict[str, Any]) -> Optional[str]:
    return next((name for name in required_facts(slots) if slots.get(name) is None), None)


MAX_ASKS = 2  # one question is asked at most twice; the second time says so (texts: ask_again)


def times_asked(tracker: Tracker, slot: str) -> int:
    """How often the form asked for ``slot`` so far in this conversation: bot messages that end with
    one of its questions (Rasa runs the form's ask action inside the form, so the tracker holds its
    message, not an action event of its own)."""
    questions = {texts.flat(texts.fill(v["text"])) for v in texts.all_variants(f"ask_{slot}")}
    said = [texts.flat(e.get("text")) for e in tracker.events or [] if e.get("event") == "bot"]
    return sum(1 for text in said if any(text.endswith(q) for q in questions))


# Words that never name an app or site: a free-text answer with one of them is asked again
# ("ik snap er niks van", "kwil dood" are no platforms; the counsellor would see them as one).
_NOT_A_NAME = set(
    """
ik je jij hij zij ze we wij jullie me mij mn m'n mijn zijn haar hem het de een dat die dit deze er
niet niks niets geen wel nog al ook maar en of want dus toch echt gewoon gwn ff even weet snap denk
wil wou ben is was heb had ga gaat kan kun moet mag zal zou doe doet wordt word dood leven stop
ja nee ok oke hoi sorry help waarom wat hoe wie waar wanneer idk kwil kben kga
app apps site website internet online telefoon chat
""".split()
)
_COUNT = re.compile(r"^\d+(x|keer|e|ste|de)?$")  # "2x", "3": a number is no app's name
_NAME_WORD = re.compile(r"^[a-z0-9][a-z0-9._\-]{0,24}$")


def platform_like(text: str) -> Optional[str]:
    """A short, name-like answer to "via welke app of site?" ("via bumble", "een datingsite"), or None."""
    from bot.language.safety_phrases import is_suicidal  # loaded on first use

    if not text or "?" in text or is_suicidal(text):
        return None
    t = norm(text).strip(" .!")
    t = re.sub(r"^(via|op|in|met|bij|over)\s+", "", t)
    t = re.sub(r"^(de|het|een|die|dat)\s+", "", t)
    words = t.split()
    if not 0 < len(words) <= 2 or any(w in _NOT_A_NAME or not _NAME_WORD.match(w) or _COUNT.match(w) for w in words):
        return None
    return " ".join(words)


class _Answer(NamedTuple):
    """An answer to the question for ``slot``, as the readers below see it."""

    slot: str
    text: str
    low: str  # norm(text)
    intent: Optional[str]
    yn: Optional[bool]  # yes or no, from the intent (affirm/deny) or else from the words
    tracker: Optional[Tracker]


def read_answer(slot: str, text: str, intent: Optional[str], tracker: Optional[Tracker] = None) -> Dict[str, Any]:
    """Slot values read from an answer to the question for ``slot`` ({} when unreadable)."""
    t = norm(text)
    if slot != "paid" and denies_paid(text) and not denies_spread(text):
        # "nee niks betaald" to another question answers whether they paid (action_extract_facts
        # records paid = no), not the question asked: "nee" is no answer to "al verspreid?"
        return {}
    yn = True if intent == "affirm" else False if intent == "deny" else yes_no(text)
    reader = _READERS.get(slot)
    return reader(_Answer(slot, text, t, intent, yn, tracker)) if reader else {}


def _read_writer(a: _Answer) -> Dict[str, Any]:
    if a.intent == "report_on_behalf":
        return {"writer": "on_behalf"}
    if a.intent == "report_received_image":
        return {"writer": "receiver"}
    writer = find_writer(a.text)
    if writer:
        return {"writer": writer}
    if a.yn is True:
        return {"writer": "victim"}
    return {}


def _read_demand_type(a: _Answer) -> Dict[str, Any]:
    if a.intent in ("report_payment_demand",):
        return {"demand_type": "money"}
    demands = [
        d for d in (canonical_demand(str(v)) for v in (entities_of(a.tracker, "demand") if a.tracker else [])) if d
    ]
    if demands:
        return {"demand_type": demands[-1]}
    kind = find_demand(a.text)
    if kind:
        return {"demand_type": kind}
    if a.yn is False or re.search(r"\b(niks|niets)\b", a.low):
        return {"_skip": True}
    return {}


def _read_amount(a: _Answer) -> Dict[str, Any]:
    """The answer to amount_demanded or amount_paid."""
    if a.yn is False or re.search(r"\b(niks|niets|nog niks|nog niets|0)\b", a.low) and a.slot == "amount_paid":
        return {"_skip": True}
    value = normalise_amount(a.text)
    if value is None:
        found = amounts_in_text(a.text)
        value = normalise_amount(found[0]) if found else None
    if value is None and a.tracker is not None:
        for v in entities_of(a.tracker, "amount"):
            value = normalise_amount(str(v))
            if value is not None:
                break
    return {a.slot: value} if value is not None else {}


def _read_paid(a: _Answer) -> Dict[str, Any]:
    if a.intent == "report_paid":
        return {"paid": True}
    if a.yn is not None:
        return {"paid": a.yn}
    if re.search(r"\b(betaald|overgemaakt|gestort)\b", a.low) and not re.search(r"\b(niet|geen|nooit)\b", a.low):
        return {"paid": True}
    if re.search(r"\b(niet|geen|nooit|niks|niets)\b", a.low):
        return {"paid": False}
    return {}


def _read_platform(a: _Answer) -> Dict[str, Any]:
    platform = canonical_platform(a.text) or find_platform(a.text)
    if platform:
        return {"platform": platform}
    name = platform_like(a.text)
    if a.intent in ("inform", "nlu_fallback", "out_of_scope") and name and a.yn is None:
        return {"platform": name}
    return {}


def _read_deadline(a: _Answer) -> Dict[str, Any]:
    if no_deadline(a.text) or a.yn is False:
        return {"deadline_within_24h": False, "_skip": True}
    if looks_like_deadline(a.text):
        written = a.text.strip()[:80]
        return {"deadline": written, "deadline_within_24h": deadline_within_24h(written)}
    return {}


def _read_material_spread(a: _Answer) -> Dict[str, Any]:
    if denies_spread(a.text) or probably_no(a.text):
        return {"material_spread": False}
    if a.intent == "report_images_shared":
        return {"material_spread": True}
    if a.yn is not None:
        return {"material_spread": a.yn}
    return {}


def _read_age_group(a: _Answer) -> Dict[str, Any]:
    age, group = find_age_group(a.text)
    if group:
        out: Dict[str, Any] = {"age_group": group}
        if age is not None:
            out["age"] = age
        return out
    if a.yn is not None:  # "Ben je jonger dan 18?" -> ja / nee
        return {"age_group": "under_18" if a.yn else "adult"}
    return {}


# The reader of the answer to each question (a slot not listed reads as {}).
_READERS: Dict[str, Callable[[_Answer], Dict[str, Any]]] = {
    "writer": _read_writer,
    "demand_type": _read_demand_type,
    "amount_demanded": _read_amount,
    "amount_paid": _read_amount,
    "paid": _read_paid,
    "platform": _read_platform,
    "deadline": _read_deadline,
    "material_spread": _read_material_spread,
    "age_group": _read_age_group,
}


class ValidateFactsForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_facts_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        return required_facts(tracker.current_slot_values())

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        slots = dict(tracker.current_slot_values())
        requested = slots.get("requested_slot")
        intent = intent_of(tracker)
        answering = bool(requested) and not actions_since_user(tracker)
        updates: Dict[str, Any] = {}

        if answering:
            if intent in INTERRUPTIONS:
                # Not an answer: let the rules respond first (safety message, question, handoff, ...).
                return [ActionExecutionRejected(FORM)]
            text = text_of(tracker)
            if not text.startswith("/") and is_suicidal(text):
                # Defence in depth: the NLU pipeline turns these into express_suicidal already;
                # should it not have (an older model), the words are still never an answer and
                # 113/112 comes in this turn. The questions stop (gentle pacing, issue 12).
                dispatcher.utter_message(response="utter_safety")
                return [
                    SlotSet("suicide_risk", True),
                    SlotSet("safety_recent", True),
                    SlotSet("requested_slot", None),
                    ActionExecutionRejected(FORM),
                ]
            updates = self._read(dispatcher, tracker, slots, requested, intent)
            if updates.pop("_stop", False):
                texts.say(dispatcher, "facts_stop", slots)
                return [SlotSet(k, v) for k, v in updates.items()] + [
                    SlotSet("questions_stopped", True),
                    SlotSet("requested_slot", None),
                ]

        slots.update(updates)
        nxt = next_question(slots)
        if nxt is not None and times_asked(tracker, nxt) >= MAX_ASKS:
            # asked twice and still open: let it rest, the next question (or none) instead of the
            # same question a third time after "ok", another fact or a question of the person's own
            # (conversation suite: "Hoeveel geld vragen ze?" four times in four turns, issue 15)
            updates["skipped_facts"] = add_unique(slots.get("skipped_facts"), nxt)
            slots.update(updates)
            nxt = next_question(slots)
        events = [SlotSet(k, v) for k, v in updates.items()]
        events.append(SlotSet("requested_slot", nxt))
        return events

    def _read(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        slots: Dict[str, Any],
        requested: str,
        intent: Optional[str],
    ) -> Dict[str, Any]:
        text = text_of(tracker)
        if text.startswith("/"):
            text = ""
        updates: Dict[str, Any] = {}
        if wants_to_stop_questions(text):
            return {"_stop": True}
        if wants_questions(text):  # "stel maar vragen dan" while a question is open: ask it again, no retry hint
            return {"retried_facts": list(slots.get("retried_facts") or [])}
        if intent == "prefer_not_to_say":
            updates["declined_facts"] = add_unique(slots.get("declined_facts"), requested)
            texts.say(dispatcher, "facts_skip_ok", slots)
            return updates
        if intent == "dont_know":
            updates["skipped_facts"] = add_unique(slots.get("skipped_facts"), requested)
            return updates

        previous = tracker.get_slot(requested)
        answer = read_answer(requested, text, intent, tracker)
        skip = answer.pop("_skip", False)
        if previous is not None:
            answer.pop(requested, None)  # already read from this message's entities: keep that value
        updates.update({k: v for k, v in answer.items() if v is not None})
        if skip:
            updates["skipped_facts"] = add_unique(slots.get("skipped_facts"), requested)
        if requested == "age_group" and updates.get("age") is not None and "age_group" not in updates:
            updates["age_group"] = age_group_for(updates["age"])

        # new, weighty news in the middle of the form gets a short acknowledgement
        spread = updates.get("material_spread", slots.get("material_spread"))
        if (
            spread is True
            and "spread_noted" not in (slots.get("topics_done") or [])
            and "spread" not in (slots.get("topics_done") or [])
        ):
            texts.say(dispatcher, "spread_in_form", slots)
            updates["topics_done"] = add_unique(slots.get("topics_done"), "spread_noted")

        topics = list(updates.get("topics_done") or slots.get("topics_done") or [])
        if new_demand_now(tracker):
            # a new amount told in the middle of the form ("nu wil hij 1500. voor vrijdag") gets "betaal
            # niet" again, through the report path's own helper (actions/common.py say_new_demand)
            r = Reply(dispatcher, tracker)
            r.topics = list(topics)
            r.extra.update({k: updates[k] for k in ("paid", "amount_demanded", "demand_type") if k in updates})
            say_new_demand(r)
            if r.topics != topics:
                topics = r.topics
                updates["topics_done"] = topics
                updates["advice_given"] = add_unique(updates.get("advice_given", slots.get("advice_given")), *r.advice)
        if requested == "deadline" and (updates.get("deadline") or previous) and "deadline" not in topics:
            texts.say(dispatcher, "deadline_in_form", slots)
            updates["topics_done"] = add_unique(topics, "deadline")

        answered = skip or requested in updates or previous is not None
        if answered:
            return updates
        if intent in SOCIAL:
            if intent == "thank":
                texts.say(dispatcher, "facts_thank_reply", slots)
            updates["retried_facts"] = list(slots.get("retried_facts") or [])
            return updates
        filled_other = any(k not in ("topics_done",) for k in updates) or self._extracted_other(tracker)
        if filled_other:
            return updates or {"retried_facts": list(slots.get("retried_facts") or [])}
        retried = list(slots.get("retried_facts") or [])
        if requested in retried:
            updates["skipped_facts"] = add_unique(slots.get("skipped_facts"), requested)
            texts.say(dispatcher, "facts_skip_ok", slots)
        else:
            updates["retried_facts"] = add_unique(retried, requested)
            hint = texts.entry("retry_hint", requested) or ""
            texts.say(dispatcher, "retry", slots, hint=hint)
        return updates

    @staticmethod
    def _extracted_other(tracker: Tracker) -> bool:
        """Did action_extract_facts fill another fact from this message?"""
        events = tracker.events or []
        idx = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
        return any(e.get("event") == "slot" and e.get("name") in ORDER for e in events[idx + 1 :])


class _AskFact(Action):
    slot = ""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        slots = tracker.current_slot_values()
        question = texts.pick(f"ask_{self.slot}", slots)
        if times_asked(tracker, self.slot):
            # the second (and last, MAX_ASKS) time: said so, not the same message word for word
            again = texts.text("ask_again", slots)
            question["text"] = f"{again} {question['text']}"
        buttons = (question.get("buttons") or []) + [dict(b) for b in texts.raw("skip_buttons")]
        dispatcher.utter_message(text=question["text"], buttons=buttons)
        return []


class ActionAskWriter(_AskFact):
    slot = "writer"


class ActionAskDemandType(_AskFact):
    slot = "demand_type"


class ActionAskAmountDemanded(_AskFact):
    slot = "amount_demanded"


class ActionAskPaid(_AskFact):
    slot = "paid"


class ActionAskAmountPaid(_AskFact):
    slot = "amount_paid"


class ActionAskPlatform(_AskFact):
    slot = "platform"


class ActionAskDeadline(_AskFact):
    slot = "deadline"


class ActionAskMaterialSpread(_AskFact):
    slot = "material_spread"


class ActionAskAgeGroup(_AskFact):
    slot = "age_group"
