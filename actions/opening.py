"""The opening of a conversation: welcome, and whether counsellors are available now.

Says that this is a bot, that the person is anonymous, when people are available (office
hours come from settings, see bot/office_hours.py) and "in acute danger? call 112". It
never asks for details. A second "hoi" later in the conversation gets a short hello.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import texts
from bot.office_hours import OfficeHours


def _already_greeted(tracker: Tracker) -> bool:
    events = tracker.events or []
    return sum(1 for e in events if e.get("event") == "action" and e.get("name") == "action_greet") > 0 or bool(
        tracker.get_slot("stage")
    )


class ActionGreet(Action):
    def name(self) -> Text:
        return "action_greet"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        slots = tracker.current_slot_values()
        if _already_greeted(tracker):
            texts.say(dispatcher, "greet_again", slots)
            return []
        hours = OfficeHours.from_settings()
        available = hours.is_open()
        texts.say(dispatcher, "greet", slots)
        if available:
            texts.say(dispatcher, "counsellors_online", slots)
        else:
            when = hours.describe_next()
            if hours.next_opening() is None:  # no time known: promise none
                texts.say(dispatcher, "counsellors_offline_unknown", slots)
            else:
                texts.say(
                    dispatcher,
                    "counsellors_offline",
                    slots,
                    next_opening=when,
                    next_opening_cap=when[:1].upper() + when[1:],
                )
        texts.say(dispatcher, "acute_danger", slots)
        return [SlotSet("counsellors_available", available)]
