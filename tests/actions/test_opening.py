from datetime import datetime
from zoneinfo import ZoneInfo

from action_helpers import joined, texts_of
from rasa_sdk.events import SlotSet

from actions.opening import ActionGreet
from bot.office_hours import OfficeHours

AMS = ZoneInfo("Europe/Amsterdam")


def test_greet_outside_office_hours_says_when_a_person_reads(monkeypatch, tracker_from, dispatcher, domain):
    monkeypatch.setenv("OFFICE_HOURS", "mon-fri 09:00-17:00")
    monkeypatch.setattr(OfficeHours, "is_open", lambda self, now=None: False)
    monkeypatch.setattr(OfficeHours, "describe_next", lambda self, now=None: "morgen (dinsdag) vanaf 09:00")
    events = ActionGreet().run(dispatcher, tracker_from("greet"), domain)
    assert events == [SlotSet("counsellors_available", False)]
    texts = texts_of(dispatcher)
    assert "chatbot" in texts[0] and "anoniem" in texts[0]
    assert "geen hulpverlener online" in texts[1].lower() and "09:00" in texts[1]
    assert "112" in texts[-1]
    # it never asks for details before helping
    assert "naam" not in texts[0].replace("je hoeft je naam niet", "").replace("geen naam", "")


def test_greet_during_office_hours_offers_a_person(monkeypatch, tracker_from, dispatcher, domain):
    monkeypatch.setattr(OfficeHours, "is_open", lambda self, now=None: True)
    events = ActionGreet().run(dispatcher, tracker_from("greet"), domain)
    assert events == [SlotSet("counsellors_available", True)]
    assert "bereikbaar" in texts_of(dispatcher)[1]


def test_second_greeting_is_short(tracker_from, dispatcher, domain):
    tracker = tracker_from("greet")
    tracker.events.insert(3, {"event": "action", "name": "action_greet"})
    assert ActionGreet().run(dispatcher, tracker, domain) == []
    assert len(dispatcher.messages) == 1 and "112" not in joined(dispatcher)


def test_office_hours_schedule_and_closed_days():
    hours = OfficeHours.parse("ma-vr 09:00-17:00; za 10:00-12:00", "2026-12-25", "Europe/Amsterdam")
    assert hours.is_open(datetime(2026, 11, 23, 10, 0, tzinfo=AMS))  # Monday
    assert not hours.is_open(datetime(2026, 11, 23, 2, 0, tzinfo=AMS))  # Monday night
    assert not hours.is_open(datetime(2026, 12, 25, 10, 0, tzinfo=AMS))  # closed day (Friday)
    assert hours.is_open(datetime(2026, 11, 28, 11, 0, tzinfo=AMS))  # Saturday window
    assert not hours.is_open(datetime(2026, 11, 29, 11, 0, tzinfo=AMS))  # Sunday
    nxt = hours.next_opening(datetime(2026, 11, 23, 23, 30, tzinfo=AMS))
    assert nxt == datetime(2026, 11, 24, 9, 0, tzinfo=AMS)
    assert hours.describe_next(datetime(2026, 11, 23, 23, 30, tzinfo=AMS)) == "morgen (dinsdag) vanaf 09:00"
    # Christmas Eve evening: next opening skips the closed day to Saturday
    assert hours.next_opening(datetime(2026, 12, 24, 18, 0, tzinfo=AMS)) == datetime(2026, 12, 26, 10, 0, tzinfo=AMS)


def test_greet_never_says_a_person_reads_before_consent(monkeypatch, tracker_from, dispatcher, domain):
    """Issue 14: 'Een mens kan je gesprek … lezen' was said before any consent."""
    monkeypatch.setattr(OfficeHours, "is_open", lambda self, now=None: False)
    ActionGreet().run(dispatcher, tracker_from("greet"), domain)
    offline = texts_of(dispatcher)[1]
    assert "lezen" not in offline and "leest" not in offline
    assert "als jij dat wilt" in offline or "als je dat wilt" in offline


def test_greet_with_no_known_opening_time_promises_no_time(monkeypatch, tracker_from, dispatcher, domain):
    monkeypatch.setattr(OfficeHours, "is_open", lambda self, now=None: False)
    monkeypatch.setattr(OfficeHours, "next_opening", lambda self, now=None: None)
    ActionGreet().run(dispatcher, tracker_from("greet"), domain)
    offline = texts_of(dispatcher)[1]
    assert "geen hulpverlener online" in offline and "zodra" not in offline and "info@helpwanted.nl" in offline


def test_opening_hours_in_dutch_for_the_helpwanted_number():
    assert OfficeHours.parse("mon-fri 09:00-17:00").describe_schedule() == "maandag t/m vrijdag 9:00-17:00"
    both = OfficeHours.parse("ma-vr 09:00-17:00; za 10:00-12:30").describe_schedule()
    assert both == "maandag t/m vrijdag 9:00-17:00 en zaterdag 10:00-12:30"
    assert OfficeHours.parse("").describe_schedule() == "op wisselende tijden"
