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
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.cases.facts import FACT_NAMES

log = logging.getLogger(__name__)

MSG_NO_CONSENT = ("Ik zet je gesprek alleen door naar een hulpverlener als jij dat wilt. "
                  "Zeg het gerust als je dat later toch wilt.")
MSG_OPEN = ("Dank je. Ik heb je gesprek doorgezet. Een hulpverlener komt er zo bij, hier in deze chat. "
            "Blijf gerust even wachten.")
MSG_CODE_OPEN = "Je gesprekscode is {code}. Daarmee kun je later terug naar dit gesprek."
MSG_CLOSED = ("Dank je. Ik heb je gesprek doorgezet. Er is nu geen hulpverlener online. "
              "Een hulpverlener leest je gesprek {when}.")
MSG_CODE_CLOSED = ("Kom dan terug met je code: {code}. Schrijf hem ergens op, bijvoorbeeld in je notities. "
                   "Tot die tijd kun je hier met mij verder praten.")
MSG_UPDATED_OPEN = ("Ik heb wat je net vertelde doorgegeven aan de hulpverlener. "
                    "Die komt er zo bij, hier in deze chat.")
MSG_UPDATED_CLOSED = ("Ik heb wat je net vertelde doorgegeven aan de hulpverlener. "
                      "Een hulpverlener leest je gesprek {when}.")
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
        if case["counsellors_available"]:
            dispatcher.utter_message(text=MSG_OPEN if created else MSG_UPDATED_OPEN)
            dispatcher.utter_message(text=MSG_CODE_OPEN.format(code=case["code"]))
        else:
            template = MSG_CLOSED if created else MSG_UPDATED_CLOSED
            dispatcher.utter_message(text=template.format(when=case["next_opening"]))
            dispatcher.utter_message(text=MSG_CODE_CLOSED.format(code=case["code"]))
        if case["risk"] == "urgent":
            dispatcher.utter_message(text=MSG_URGENT)
        return [SlotSet("case_code", case["code"]), SlotSet("handoff_done", True)]
