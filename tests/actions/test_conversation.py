"""action_continue (never a dead end) and action_closing ('wat je nu kunt doen')."""

from action_helpers import joined, slots_of, texts_of, with_message

from actions.conversation import ActionClosing, ActionContinue, ActionThank, closing_items


def test_continue_before_anything_invites_the_story(tracker_from, dispatcher, domain):
    ActionContinue().run(dispatcher, tracker_from("suicidal"), domain)
    assert "Vertel" in joined(dispatcher) or "vertellen" in joined(dispatcher)


def test_continue_after_safety_is_gentle(tracker_from, dispatcher, domain):
    tracker = tracker_from("suicidal", slots={"suicide_risk": True})
    ActionContinue().run(dispatcher, tracker, domain)
    assert "Ik blijf hier" in joined(dispatcher)


def test_continue_offers_next_steps(tracker_from, dispatcher, domain):
    tracker = with_message(tracker_from, "greet", "ik ben zo bang", "express_distress", slots={"stage": "after"})
    ActionContinue().run(dispatcher, tracker, domain)
    assert dispatcher.messages[-1]["response"] == "utter_offer_next"


def test_continue_after_a_loose_no(tracker_from, dispatcher, domain):
    tracker = with_message(tracker_from, "greet", "nee", "deny", slots={"stage": "after"})
    ActionContinue().run(dispatcher, tracker, domain)
    assert "hulpverlener" in joined(dispatcher)


def test_closing_lists_the_steps_that_apply(tracker_from, dispatcher, domain):
    events = ActionClosing().run(dispatcher, tracker_from("closing"), domain)
    texts = texts_of(dispatcher)
    steps = texts[0]
    assert steps.startswith("Wat je nu kunt doen") or steps.startswith("Dit kun je nu doen")
    assert "Betaal niets meer" in steps and "betaalbewijs" in steps
    assert len(steps.split()) <= 80  # fits a phone screen (issue 14)
    assert "Instagram" in steps
    assert "takeitdown" in steps.lower() and "stopncii" not in steps.lower()
    assert "0900-8844" in steps
    assert "info@helpwanted.nl" in steps
    assert "K7QM-2XPD" in texts[1]  # the code from the web app's metadata, to come back
    assert "police" in slots_of(events)["advice_given"]


def test_closing_for_parent_and_receiver():
    parent = closing_items({"writer": "on_behalf", "stage": "after"})
    assert any("niet straffen" in i for i in parent)
    receiver = closing_items({"writer": "receiver", "stage": "after"})
    assert any("niet doorsturen" in i for i in receiver)
    assert not any("bank" in i for i in receiver)


def test_closing_for_a_demand_of_pictures_says_send_nothing_and_nothing_about_paying():
    # a girl of 14 asked for a video got "Niet betalen" and "betaalverzoeken" in her closing list (t_jong.yml,
    # session 36); with money asked the list keeps both
    import re

    images = closing_items({"writer": "victim", "demand_type": "webcam", "stage": "after"})
    assert any("Niets meer sturen" in i for i in images)
    assert not any(re.search(r"betaal|geld", i) for i in images), images
    money = closing_items({"writer": "victim", "demand_type": "money", "amount_demanded": 200.0, "stage": "after"})
    assert any("Niet betalen" in i for i in money) and any("betaalverzoeken" in i for i in money)


def test_closing_with_suicide_risk_and_open_case():
    items = closing_items({"suicide_risk": True, "handoff_done": True, "case_code": "ABCD-EFGH", "stage": "script"})
    assert "113" in items[0]
    assert any("ABCD-EFGH" in i for i in items)


def test_goodbye_without_a_story_is_short(tracker_from, dispatcher, domain):
    tracker = with_message(tracker_from, "greet", "doei", "goodbye")
    ActionClosing().run(dispatcher, tracker, domain)
    assert len(dispatcher.messages) == 1
    assert "Helpwanted" in joined(dispatcher)


def test_closing_without_code_tells_how_to_come_back(tracker_from, dispatcher, domain):
    tracker = tracker_from("closing", events=[e for e in tracker_from("closing").events if e.get("event") != "user"])
    ActionClosing().run(dispatcher, tracker, domain)
    assert "kom gewoon terug" in texts_of(dispatcher)[1]


def test_continue_after_the_counsellor_question(tracker_from, dispatcher, domain):
    declined = with_message(
        tracker_from, "greet", "nee", "deny", slots={"stage": "after"}, latest_action_name="utter_handoff_declined"
    )
    ActionContinue().run(dispatcher, declined, domain)
    assert "hulpverlener" not in joined(dispatcher)  # they just said no to that
    dispatcher.messages.clear()
    handed_off = with_message(
        tracker_from,
        "greet",
        "ja",
        "affirm",
        slots={"stage": "after", "handoff_done": True},
        latest_action_name="action_handoff",
    )
    ActionContinue().run(dispatcher, handed_off, domain)
    assert "tot de hulpverlener er is" in joined(dispatcher)


def test_after_safety_a_threat_already_told_gets_the_script(tracker_from, dispatcher, domain):
    tracker = with_message(
        tracker_from,
        "greet",
        "ja",
        "affirm",
        slots={"suicide_risk": True, "amount_demanded": 500.0, "demand_type": "money"},
        latest_action_name="action_handoff",
    )
    events = ActionContinue().run(dispatcher, tracker, domain)
    assert "\n1. " in joined(dispatcher)
    assert slots_of(events)["stage"] == "script"


def test_thanks_that_says_goodbye_gets_the_closing(tracker_from, dispatcher, domain):
    """ "ok thx doei" got "Wil je nog iets weten?" and no way back (session 30, k_afsluiten.yml)."""
    bye = with_message(tracker_from, "greet", "ok thx doei", "thank", slots={"stage": "after", "demand_type": "money"})
    ActionThank().run(dispatcher, bye, domain)
    said = joined(dispatcher)
    assert "terug" in said and "Niet betalen" in said
    dispatcher.messages.clear()
    # "ok ik ga slapen nu. dankje" is a goodbye too (session 31, k_afsluiten.yml on session 24's kind)
    sleep = with_message(tracker_from, "greet", "ok ik ga slapen nu. dankje 💛", "thank", slots={"stage": "after"})
    ActionThank().run(dispatcher, sleep, domain)
    assert "terug" in joined(dispatcher)
    dispatcher.messages.clear()
    thanks = with_message(tracker_from, "greet", "dankjewel!", "thank", slots={"stage": "after"})
    ActionThank().run(dispatcher, thanks, domain)
    assert dispatcher.messages == [{**dispatcher.messages[0], "response": "utter_thank"}]


def test_fear_with_a_known_question_gets_its_answer_after_the_comfort(tracker_from, dispatcher, domain):
    tracker = with_message(
        tracker_from,
        "greet",
        "hij weet ook waar ik werk. ik ben echt bang",
        "express_distress",
        slots={"stage": "after", "demand_type": "meeting"},
    )
    ActionContinue().run(dispatcher, tracker, domain)
    assert "112" in joined(dispatcher)


def _after_crisis(tracker_from, text, intent, extra=()):
    """The 'suicidal' fixture (a crisis message whose report was told too), then `text`."""
    from action_helpers import user_event

    base = tracker_from("suicidal")
    events = list(base.events)
    for said, meaning in [*extra, (text, intent)]:
        event, parse = user_event(said, meaning, ())
        events.append(event)
    slots = dict(
        base.slots, suicide_risk=True, safety_recent=True, demand_type="money", amount_demanded=250, stage=None
    )
    return tracker_from("suicidal", events=events, latest_message=parse, slots=slots)


def test_after_a_crisis_with_the_threat_told_the_bot_does_not_ask_what_happened(tracker_from, dispatcher, domain):
    # "ik wil dood. iemand op snap ... wil 250 euro", then "idk. ik zit op mn kamer" got "Als je wilt,
    # kun je me vertellen wat er is gebeurd" (n_crisis.yml, session 32)
    ActionContinue().run(dispatcher, _after_crisis(tracker_from, "idk. ik zit op mn kamer", "dont_know"), domain)
    text = joined(dispatcher)
    assert "bedreigt" in text and "Ik blijf hier" in text
    assert "wat er is gebeurd" not in text and "Dit zijn de eerste stappen" not in text


def test_the_message_after_that_gets_the_steps(tracker_from, dispatcher, domain):
    tracker = _after_crisis(
        tracker_from, "ik wil gwn dat het stopt", "affirm", extra=[("idk. ik zit op mn kamer", "dont_know")]
    )
    events = ActionContinue().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    assert "Daar kun je echt iets aan doen" in text and "Betaal" in text and "screenshot" in text.lower()
    assert any(e.get("name") == "stage" and e.get("value") for e in events)
