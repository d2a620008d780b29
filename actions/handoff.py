"""Hand the conversation to a human counsellor: open a case with a summary.

Runs after the person agreed (slot ``handoff_consent`` is true; the consent question and
the explanation of what a counsellor will see are in the flows/domain). Reads the summary
slots of docs/contracts.md, opens (or updates) the case and tells the person what happens
next: during office hours a counsellor joins soon; outside office hours when someone will
read it and the code to come back with.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import texts
from bot.cases.facts import FACT_NAMES

log = logging.getLogger(__name__)


# The texts live in actions/responses.yml (handoff_*), with helpline facts from texts/helplines.yml.
def msg(key: str, **fields: Any) -> str:
    return texts.text(f"handoff_{key}", **fields)


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        facts = {name: tracker.get_slot(name) for name in FACT_NAMES}
        if facts.get("handoff_consent") is not True:
            dispatcher.utter_message(text=msg("no_consent"))
            return [SlotSet("handoff_done", False)]

        from bot.cases.service import CaseService  # imported here: no database work at import time

        try:
            case = CaseService.from_settings().open_case(tracker.sender_id, facts)
        except Exception:
            log.exception("could not open a case for conversation %s", tracker.sender_id)
            dispatcher.utter_message(text=msg("failed"))
            return [SlotSet("handoff_done", False)]

        created = case.get("created", True)
        urgent = case["risk"] == "urgent"
        if case["counsellors_available"]:
            dispatcher.utter_message(text=msg("open" if created else "updated_open"))
            dispatcher.utter_message(text=msg("code_open", code=case["code"]))
        else:
            text = msg("closed" if created else "updated_closed", when=when_text(case["next_opening"]))
            dispatcher.utter_message(text=text if urgent else text + "\n" + msg("night_113"))
            dispatcher.utter_message(text=msg("code_closed", code=case["code"]))
        if urgent:
            dispatcher.utter_message(text=msg("urgent"))
        return [SlotSet("case_code", case["code"]), SlotSet("handoff_done", True)]


def when_text(next_opening: str) -> str:
    """'morgen (dinsdag) vanaf 09:00' as is; no known opening time said honestly."""
    if next_opening == "zodra er weer iemand is":
        return "zodra er weer iemand is (wanneer dat is, weet ik nu niet)"
    return next_opening


def _ask_consent_again() -> List[Dict[Text, Any]]:
    """No case is waiting (handed back or closed): a new one needs the person's yes again."""
    # The facts form steps aside too: otherwise its next question would come first and take
    # the person's "ja" to the consent question as its answer.
    return [
        SlotSet("handoff_done", False),
        SlotSet("handoff_consent", None),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        FollowupAction("utter_ask_handoff_consent"),
    ]


def _waiting(dispatcher: CollectingDispatcher, tracker: Tracker, flag: bool = False) -> tuple:
    """(service, waiting case or None), or (None, None) after telling the person where else to go.

    ``flag``: first mark the open case urgent (suicidal language, issue 12)."""
    from bot.cases.service import CaseService  # imported here: no database work at import time

    try:
        service = CaseService.from_settings()
        if flag:
            service.flag_suicidal(tracker.sender_id)
        return service, service.waiting_case(tracker.sender_id)
    except Exception:
        log.exception("could not read the case of conversation %s", tracker.sender_id)
        dispatcher.utter_message(text=msg("failed"))
        return None, None


class ActionHandoffStatus(Action):
    """'I want a person' while a case was opened before: say what is true now (issue 12).

    Only a case that is new (in the queue) gets "je gesprek staat klaar", with when a
    counsellor will read it; after a hand-back or close the consent question comes again
    and a yes re-queues or opens a case (action_handoff)."""

    def name(self) -> Text:
        return "action_handoff_status"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        service, waiting = _waiting(dispatcher, tracker)
        if service is None:
            return []
        if waiting is None:
            return _ask_consent_again()
        if service.hours.is_open():
            dispatcher.utter_message(text=msg("already_open"))
        else:
            when = when_text(service.hours.describe_next())
            dispatcher.utter_message(text=msg("already_closed", when=when) + "\n" + msg("night_113"))
        return []


class ActionSafetyUrgent(Action):
    """Suicidal language while a counsellor is coming: the case is urgent at once, no question.

    Runs right after utter_safety (data/rules/safety.yml). The web app's safety check does the
    same for every message the phrase list catches (bot/web/chat/api.py); this covers what only
    the classifier recognised. Without a waiting case the consent question comes instead."""

    def name(self) -> Text:
        return "action_safety_urgent"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        service, waiting = _waiting(dispatcher, tracker, flag=True)
        if service is None:
            return [SlotSet("suicide_risk", True)]
        if waiting is None:
            return [SlotSet("suicide_risk", True)] + _ask_consent_again()
        if service.hours.is_open():
            dispatcher.utter_message(text=msg("marked_urgent_open"))
        else:
            when = when_text(service.hours.describe_next())
            dispatcher.utter_message(text=msg("marked_urgent_closed", when=when))
        return [SlotSet("suicide_risk", True)]
