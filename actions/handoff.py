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

from bot.cases.facts import FACT_NAMES

log = logging.getLogger(__name__)

MSG_NO_CONSENT = ("Ik zet je gesprek alleen door naar een hulpverlener als jij dat wilt. "
                  "Zeg het gerust als je dat later toch wilt.")
MSG_OPEN = ("Dank je. Ik heb je gesprek doorgezet. Een hulpverlener komt er zo bij, hier in deze chat. "
            "Blijf gerust even wachten.")
MSG_CODE_OPEN = "Je gesprekscode is {code}. Daarmee kun je later terug naar dit gesprek."
# At night the person also hears that 113 is open now: nobody should wait for us in a crisis.
NIGHT_113 = ("Wordt het je nu te veel? 113 is nu al open, dag en nacht: bel 113 of 0800-0113 "
             "(allebei gratis), of chat via 113.nl.")
MSG_CLOSED = ("Dank je. Ik heb je gesprek doorgezet. Er is nu geen hulpverlener online. "
              "Een hulpverlener leest je gesprek {when}.")
MSG_CODE_CLOSED = ("Kom dan terug met je code: {code}. Schrijf hem ergens op, bijvoorbeeld in je notities. "
                   "Tot die tijd kun je hier met mij verder praten.")
MSG_UPDATED_OPEN = ("Ik heb wat je net vertelde doorgegeven aan de hulpverlener. "
                    "Die komt er zo bij, hier in deze chat.")
MSG_UPDATED_CLOSED = ("Ik heb wat je net vertelde doorgegeven aan de hulpverlener. "
                      "Een hulpverlener leest je gesprek {when}.")
MSG_ALREADY_OPEN = ("Je gesprek staat klaar voor een hulpverlener van Helpwanted. Die komt er zo bij, "
                    "hier in deze chat. Tot dan help ik je graag verder.")
MSG_ALREADY_CLOSED = ("Je gesprek staat klaar voor een hulpverlener van Helpwanted. Er is nu niemand online: "
                      "een hulpverlener leest je gesprek {when}. Tot dan help ik je graag verder.")
MSG_MARKED_URGENT_OPEN = ("Ik heb aan de hulpverlener doorgegeven dat het nu heel zwaar voor je is. "
                          "Je gesprek staat nu bovenaan: die ziet het als eerste.")
MSG_MARKED_URGENT_CLOSED = ("Ik heb aan de hulpverlener doorgegeven dat het nu heel zwaar voor je is. "
                            "Er is nu niemand online, maar je gesprek staat bovenaan: een hulpverlener leest het {when} "
                            "als eerste. Wacht daar niet op: 113 is nu open, dag en nacht.")
MSG_URGENT = ("Denk je aan zelfdoding? Wacht dan niet. Bel of chat nu met 113 Zelfmoordpreventie: "
              "bel 113 of gratis 0800-0113, dag en nacht. Ben je in direct gevaar? Bel 112.")
MSG_FAILED = ("Sorry, het lukt me nu niet om je gesprek door te zetten. Je kunt Helpwanted ook zelf bereiken: "
              "mail info@helpwanted.nl of bel 020-2615275. Ben je in direct gevaar? Bel 112. "
              "Denk je aan zelfdoding? Bel of chat met 113 (gratis: 0800-0113).")


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        facts = {name: tracker.get_slot(name) for name in FACT_NAMES}
        if facts.get("handoff_consent") is not True:
            dispatcher.utter_message(text=MSG_NO_CONSENT)
            return [SlotSet("handoff_done", False)]

        from bot.cases.service import CaseService  # imported here: no database work at import time

        try:
            case = CaseService.from_settings().open_case(tracker.sender_id, facts)
        except Exception:  # noqa: BLE001 - the person must always get an answer
            log.exception("could not open a case for conversation %s", tracker.sender_id)
            dispatcher.utter_message(text=MSG_FAILED)
            return [SlotSet("handoff_done", False)]

        created = case.get("created", True)
        urgent = case["risk"] == "urgent"
        if case["counsellors_available"]:
            dispatcher.utter_message(text=MSG_OPEN if created else MSG_UPDATED_OPEN)
            dispatcher.utter_message(text=MSG_CODE_OPEN.format(code=case["code"]))
        else:
            template = MSG_CLOSED if created else MSG_UPDATED_CLOSED
            text = template.format(when=when_text(case["next_opening"]))
            dispatcher.utter_message(text=text if urgent else text + "\n" + NIGHT_113)
            dispatcher.utter_message(text=MSG_CODE_CLOSED.format(code=case["code"]))
        if urgent:
            dispatcher.utter_message(text=MSG_URGENT)
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
    return [SlotSet("handoff_done", False), SlotSet("handoff_consent", None), ActiveLoop(None),
            SlotSet("requested_slot", None), FollowupAction("utter_ask_handoff_consent")]


def _waiting(dispatcher: CollectingDispatcher, tracker: Tracker, flag: bool = False) -> tuple:
    """(service, waiting case or None), or (None, None) after telling the person where else to go.

    ``flag``: first mark the open case urgent (suicidal language, issue 12)."""
    from bot.cases.service import CaseService  # imported here: no database work at import time

    try:
        service = CaseService.from_settings()
        if flag:
            service.flag_suicidal(tracker.sender_id)
        return service, service.waiting_case(tracker.sender_id)
    except Exception:  # noqa: BLE001 - the person must always get an answer
        log.exception("could not read the case of conversation %s", tracker.sender_id)
        dispatcher.utter_message(text=MSG_FAILED)
        return None, None


class ActionHandoffStatus(Action):
    """'I want a person' while a case was opened before: say what is true now (issue 12).

    Only a case that is new (in the queue) gets "je gesprek staat klaar", with when a
    counsellor will read it; after a hand-back or close the consent question comes again
    and a yes re-queues or opens a case (action_handoff)."""

    def name(self) -> Text:
        return "action_handoff_status"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        service, waiting = _waiting(dispatcher, tracker)
        if service is None:
            return []
        if waiting is None:
            return _ask_consent_again()
        if service.hours.is_open():
            dispatcher.utter_message(text=MSG_ALREADY_OPEN)
        else:
            when = when_text(service.hours.describe_next())
            dispatcher.utter_message(text=MSG_ALREADY_CLOSED.format(when=when) + "\n" + NIGHT_113)
        return []


class ActionSafetyUrgent(Action):
    """Suicidal language while a counsellor is coming: the case is urgent at once, no question.

    Runs right after utter_safety (data/rules/safety.yml). The web app's safety check does the
    same for every message the phrase list catches (bot/chat/api.py); this covers what only
    the classifier recognised. Without a waiting case the consent question comes instead."""

    def name(self) -> Text:
        return "action_safety_urgent"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        service, waiting = _waiting(dispatcher, tracker, flag=True)
        if service is None:
            return [SlotSet("suicide_risk", True)]
        if waiting is None:
            return [SlotSet("suicide_risk", True)] + _ask_consent_again()
        if service.hours.is_open():
            dispatcher.utter_message(text=MSG_MARKED_URGENT_OPEN)
        else:
            when = when_text(service.hours.describe_next())
            dispatcher.utter_message(text=MSG_MARKED_URGENT_CLOSED.format(when=when))
        return [SlotSet("suicide_risk", True)]
