"""action_handoff: opens a case with the summary slots and tells the person what happens next.

Runs against a real SQLite database in tmp_path (DATABASE_URL)."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.handoff import ActionHandoff, msg
from bot.cases.service import CaseService

pytestmark = pytest.mark.usefixtures("case_db")
NIGHT_113 = msg("night_113")


def _texts(dispatcher):
    return [m.get("text") for m in dispatcher.messages]


def _only_case():
    cases = CaseService.from_settings().list_cases("all")
    assert len(cases) == 1
    return cases[0]


def test_outside_office_hours_opens_a_high_risk_case_and_gives_the_code(closed, tracker_from, dispatcher, domain):
    events = ActionHandoff().run(dispatcher, tracker_from("handoff_minor_deadline"), domain)
    case = _only_case()
    assert events == [SlotSet("case_code", case["code"]), SlotSet("handoff_done", True)]
    texts = _texts(dispatcher)
    assert len(texts) == 2
    assert "Er is nu geen hulpverlener online" in texts[0]
    assert "Een hulpverlener leest je gesprek morgen (dinsdag) vanaf 09:00." in texts[0]
    assert texts[0].endswith(NIGHT_113)  # at night: 113 is open now, nobody has to wait for us
    assert f"Kom dan terug met je code: {case['code']}." in texts[1]
    assert case["conversation_id"] == "test-handoff-minor"
    assert case["risk"] == "high" and case["status"] == "new"
    assert (
        case["risk_reason"] == "Deadline binnen 24 uur (vanavond 22:00); minderjarige (15 jaar) onder actieve dreiging."
    )
    assert case["facts"]["platform"] == "instagram" and case["facts"]["amount_demanded"] == 500
    assert case["summary"].startswith(
        "Het slachtoffer schrijft zelf. Leeftijd: 15 jaar, minderjarig. "
        "Afpersing via Instagram; de afperser eist geld: € 500."
    )
    assert "Open vragen van de persoon: “moet ik het aan mn ouders vertellen?”." in case["summary"]


def test_during_office_hours_a_counsellor_joins_soon(open_now, tracker_from, dispatcher, domain):
    events = ActionHandoff().run(dispatcher, tracker_from("handoff_minor_deadline"), domain)
    code = _only_case()["code"]
    assert events == [SlotSet("case_code", code), SlotSet("handoff_done", True)]
    texts = _texts(dispatcher)
    assert "Een hulpverlener komt er zo bij" in texts[0]
    assert texts[1] == f"Je gesprekscode is {code}. Daarmee kun je later terug naar dit gesprek."


def test_suicide_risk_makes_the_case_urgent_and_repeats_113(closed, tracker_from, dispatcher, domain):
    ActionHandoff().run(dispatcher, tracker_from("handoff_suicide"), domain)
    case = _only_case()
    assert case["risk"] == "urgent" and case["risk_reason"].startswith("Suïciderisico")
    assert "materiaal is al verspreid" in case["risk_reason"]
    assert "0612345678" not in case["summary"]  # masked for counsellors until revealed
    texts = _texts(dispatcher)
    assert "113" in texts[-1] and "0800-0113" in texts[-1] and "112" in texts[-1]


def test_second_handoff_updates_the_same_case(closed, tracker_from, dispatcher, domain):
    first = ActionHandoff().run(dispatcher, tracker_from("handoff_minor_deadline"), domain)
    tracker = tracker_from("handoff_minor_deadline")
    tracker.slots["material_spread"] = True
    second = ActionHandoff().run(dispatcher, tracker, domain)
    assert first == second
    case = _only_case()
    assert case["facts"]["material_spread"] is True and "materiaal is al verspreid" in case["risk_reason"]
    texts = _texts(dispatcher)
    assert len(texts) == 4 and texts[0].startswith("Dank je. Ik heb je gesprek doorgezet.")
    assert texts[2] == (
        "Ik heb wat je net vertelde doorgegeven aan de hulpverlener. "
        "Een hulpverlener leest je gesprek morgen (dinsdag) vanaf 09:00.\n" + NIGHT_113
    )
    assert case["code"] in texts[3]


@pytest.mark.parametrize("consent", [False, None])
def test_without_consent_no_case_is_opened(consent, closed, tracker_from, dispatcher, domain):
    tracker = tracker_from("handoff_minor_deadline")
    tracker.slots["handoff_consent"] = consent
    events = ActionHandoff().run(dispatcher, tracker, domain)
    assert events == [SlotSet("handoff_done", False)]
    assert "alleen door" in _texts(dispatcher)[0] and "als jij dat wilt" in _texts(dispatcher)[0]
    assert CaseService.from_settings().list_cases("all") == []


def test_database_failure_still_answers_the_person(monkeypatch, closed, tracker_from, dispatcher, domain):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////proc/nachtlicht-cannot-exist/nachtlicht.db")
    events = ActionHandoff().run(dispatcher, tracker_from("handoff_minor_deadline"), domain)
    assert events == [SlotSet("handoff_done", False)]
    text = _texts(dispatcher)[0]
    assert "lukt me nu niet" in text and "info@helpwanted.nl" in text and "112" in text and "113" in text


def test_action_name():
    assert ActionHandoff().name() == "action_handoff"
