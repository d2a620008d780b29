"""The opening of a conversation: welcome, and whether counsellors are available now."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.office_hours import OfficeHours


class ActionGreet(Action):
    def name(self) -> Text:
        return "action_greet"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        hours = OfficeHours.from_settings()
        available = hours.is_open()
        dispatcher.utter_message(response="utter_greet")
        if available:
            dispatcher.utter_message(text="Er zijn nu ook hulpverleners van Helpwanted bereikbaar. Wil je liever met een mens praten? Zeg het maar.")
        else:
            dispatcher.utter_message(
                text=f"Er is nu geen hulpverlener online. Een mens kan je gesprek {hours.describe_next()} lezen. Ik help je nu alvast."
            )
        dispatcher.utter_message(response="utter_acute_danger")
        return [SlotSet("counsellors_available", available)]
