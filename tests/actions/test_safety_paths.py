"""Safety inside the actions (issue 12): the form never takes suicidal words as an answer,
yes/no and platform answers are read only when they are plain, an open case becomes urgent
without a second question, and "a counsellor is coming" is said only when it is true.
Cases are stored in a real SQLite database in tmp_path."""

from __future__ import annotations

import pytest
from action_helpers import slots_of, texts_of, user_event
from rasa_sdk.events import ActionExecutionRejected, FollowupAction, SlotSet

from actions import texts
from actions.extract import extract_updates, safe_answered, safety_recent
from actions.fallback import intent_to_affirm
from actions.form import ValidateFactsForm, platform_like, read_answer
from actions.handoff import ActionHandoff, ActionHandoffStatus, ActionSafetyUrgent
from bot.cases.service import CaseService
from bot.language.text_facts import yes_no

pytestmark = pytest.mark.usefixtures("case_db")


def form_answer(tracker_from, text, intent, requested):
    base = tracker_from("form_answer")
    event, parse = user_event(text, intent)
    events = list(base.events)
    idx = max(i for i, e in enumerate(events) if e.get("event") == "user")
    events = events[:idx] + [
        event,
        {"event": "slot", "name": "requested_slot", "value": requested},
        {"event": "action", "name": "facts_form"},
    ]
    slots = {
        "requested_slot": requested,
        "writer": "victim",
        "demand_type": "money",
        "amount_demanded": 200.0,
        "stage": "facts",
    }
    return tracker_from("form_answer", events=events, latest_message=parse, slots=slots)


# --- the form ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, requested",
    [
        ("kwil dood", "platform"),
        ("nee, ik wil niet meer", "paid"),
        ("nee, ik wil niet meer", "deadline"),
        ("ja en daarna wil ik er niet meer zijn", "material_spread"),
        ("maakt niet uit, ik ben er morgen toch niet meer", "deadline"),
    ],
)
async def test_suicidal_words_are_never_an_answer_even_if_the_classifier_missed_them(
    tracker_from, dispatcher, domain, text, requested
):
    tracker = form_answer(tracker_from, text, "inform", requested)  # what an older model might say
    events = await ValidateFactsForm().run(dispatcher, tracker, domain)
    assert ActionExecutionRejected("facts_form") in events
    slots = slots_of(events)
    assert slots["suicide_risk"] is True and slots["requested_slot"] is None
    assert requested not in slots
    assert [m.get("response") for m in dispatcher.messages] == ["utter_safety"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ja", True),
        ("nee", False),
        ("ja, klopt", True),
        ("nee, nog niet", False),
        ("nee hoor", False),
        ("ja, 200 euro", True),
        ("nee, ik wil niet meer", None),
        ("ja maar weet niet hoeveel", None),
        ("nee, ik ben er morgen niet meer", None),
        ("ja, nee, weet niet", None),
        ("nee, wel een beetje", None),
    ],
)
def test_yes_no_only_when_the_rest_is_neutral(text, expected):
    assert yes_no(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("bumble", "bumble"),
        ("via bumble", "bumble"),
        ("op een datingsite", "datingsite"),
        ("Omegle", "omegle"),
        ("kwil dood", None),
        ("ik snap er niks meer van", None),
        ("hij zei niks", None),
        ("snapchat?", None),
        ("via de app", None),
        ("weet ik veel", None),
        ("ik wil niet meer", None),
    ],
)
def test_free_text_platform_only_when_it_looks_like_a_name(text, expected):
    assert platform_like(text) == expected


def test_unreadable_platform_answer_is_asked_again_not_stored():
    assert read_answer("platform", "ik snap er niks meer van", "nlu_fallback") == {}
    assert read_answer("platform", "kwil dood", "out_of_scope") == {}
    assert read_answer("platform", "via bumble", "inform") == {"platform": "bumble"}


# --- NLU ranking in the fallback ---------------------------------------------------------------
def unclear(tracker_from, text, second):
    """An unclear message with ``second`` (0.25) and express_suicidal (0.15) in the ranking."""
    tracker = tracker_from("nlu_fallback")
    tracker.latest_message = {
        "text": text,
        "intent": {"name": "nlu_fallback", "confidence": 0.3},
        "intent_ranking": [
            {"name": "nlu_fallback", "confidence": 0.3},
            {"name": second, "confidence": 0.25},
            {"name": "express_suicidal", "confidence": 0.15},
        ],
    }
    return tracker


def test_fallback_asks_about_suicide_when_it_is_anywhere_high_in_the_ranking(tracker_from):
    assert intent_to_affirm(unclear(tracker_from, "ik ben er klaar mee", "express_distress")) == "express_suicidal"


def test_fallback_asks_about_suicide_only_with_a_risk_word(tracker_from):
    """ "ik heb een mail gekregen van de ING" (unclear, suicidal 0.15 in the ranking) got "Denk je
    erover om jezelf iets aan te doen?" (conversation suite, session 15). Every suicidal message of
    the project has a risk word (tests/bot/test_nlu_components.py)."""
    text = "ik weet niet of ik hier goed zit maar ik heb een mail gekregen van de ING"
    assert intent_to_affirm(unclear(tracker_from, text, "out_of_scope")) == "out_of_scope"
    # also when the suicidal guess is the ranking's first: "sorry ik spreek dit in want ik zit in de auto"
    # (p_schrijfstijl.yml, session 33)
    tracker = unclear(tracker_from, "sorry ik spreek dit in want ik zit in de auto", "inform")
    tracker.latest_message["intent_ranking"][1:] = reversed(tracker.latest_message["intent_ranking"][1:])
    assert tracker.latest_message["intent_ranking"][1]["name"] == "express_suicidal"
    assert intent_to_affirm(tracker) == "inform"


# --- pacing -------------------------------------------------------------------------------------
def test_safety_recent_holds_for_three_messages(tracker_from):
    events = []
    for text, intent in [("hoi", "greet"), ("ik wil dood", "express_suicidal"), ("ja", "affirm"), ("ok", "affirm")]:
        events.append(user_event(text, intent)[0])
    tracker = tracker_from("greet", events=events, latest_message=events[-1]["parse_data"])
    assert safety_recent(tracker) is True
    events.append(user_event("en nu?", "ask_what_to_do")[0])
    tracker = tracker_from("greet", events=events, latest_message=events[-1]["parse_data"])
    assert safety_recent(tracker) is False
    assert (
        extract_updates(tracker_from("greet", events=events[:3], latest_message=events[2]["parse_data"], slots={}))[
            "safety_recent"
        ]
        is True
    )


# --- urgent without a second question ------------------------------------------------------------
def _tracker(tracker_from, sender):
    return tracker_from("suicidal", sender_id=sender)


def test_suicidal_with_a_waiting_case_makes_it_urgent_at_once(tracker_from, dispatcher, domain, closed):
    service = CaseService.from_settings()
    case = service.open_case("conv-urgent", {"handoff_consent": True, "platform": "snapchat"})
    assert case["risk"] == "normal"
    events = ActionSafetyUrgent().run(dispatcher, _tracker(tracker_from, "conv-urgent"), domain)
    assert events == [SlotSet("suicide_risk", True)]
    assert service.get(case["id"])["risk"] == "urgent"
    text = " ".join(texts_of(dispatcher))
    assert "als eerste" in text and "morgen (dinsdag) vanaf 09:00" in text and "113" in text
    assert "?" not in text  # no second question


def test_suicidal_after_hand_back_asks_consent_again_instead_of_a_false_promise(
    tracker_from, dispatcher, domain, open_now
):
    service = CaseService.from_settings()
    case = service.open_case("conv-back", {"handoff_consent": True})
    anna = {"id": None, "name": "anna"}
    service.take_over(case["id"], anna)
    service.hand_back(case["id"], anna)
    events = ActionSafetyUrgent().run(dispatcher, _tracker(tracker_from, "conv-back"), domain)
    assert FollowupAction("utter_ask_handoff_consent") in events and SlotSet("handoff_done", False) in events
    assert dispatcher.messages == []
    assert service.get(case["id"])["risk"] == "urgent"  # the counsellor still sees it


@pytest.mark.parametrize("how", ["hand_back", "close"])
def test_asking_for_a_person_after_hand_back_or_close_is_not_answered_with_already(
    tracker_from, dispatcher, domain, open_now, how
):
    service = CaseService.from_settings()
    case = service.open_case("conv-again", {"handoff_consent": True})
    anna = {"id": None, "name": "anna"}
    service.take_over(case["id"], anna)
    if how == "hand_back":
        service.hand_back(case["id"], anna)
    else:
        service.close(case["id"], anna, "advice_given")
    tracker = _tracker(tracker_from, "conv-again")
    events = ActionHandoffStatus().run(dispatcher, tracker, domain)
    assert FollowupAction("utter_ask_handoff_consent") in events
    assert dispatcher.messages == []
    # the yes that follows opens (close) or re-queues (hand-back) a case
    tracker.slots.update(handoff_consent=True)
    ActionHandoff().run(dispatcher, tracker, domain)
    waiting = service.waiting_case("conv-again")
    assert waiting is not None and waiting["status"] == "new"


def test_already_waiting_case_says_when_and_113_at_night(tracker_from, dispatcher, domain, closed):
    CaseService.from_settings().open_case("conv-wait", {"handoff_consent": True})
    assert ActionHandoffStatus().run(dispatcher, _tracker(tracker_from, "conv-wait"), domain) == []
    text = " ".join(texts_of(dispatcher))
    assert "morgen (dinsdag) vanaf 09:00" in text and "113" in text and "dag en nacht" in text


def test_already_waiting_case_during_office_hours(tracker_from, dispatcher, domain, open_now):
    CaseService.from_settings().open_case("conv-wait2", {"handoff_consent": True})
    ActionHandoffStatus().run(dispatcher, _tracker(tracker_from, "conv-wait2"), domain)
    assert "komt er zo bij" in " ".join(texts_of(dispatcher))


def test_without_the_database_the_person_still_gets_113_and_helpwanted(tracker_from, dispatcher, domain, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none")  # nothing listens there
    events = ActionSafetyUrgent().run(dispatcher, _tracker(tracker_from, "conv-down"), domain)
    assert events == [SlotSet("suicide_risk", True)]
    text = " ".join(texts_of(dispatcher))
    assert "113" in text and "112" in text and "020-2615275" in text


def test_fallback_and_out_of_scope_texts_name_113(domain):
    """The fallback texts named 112 but not 113 (issue 12)."""
    from actions import texts

    for variant in texts.raw("default_fallback"):
        assert "113" in texts.fill(variant if isinstance(variant, str) else variant["text"])
    for variant in texts.raw("out_of_scope"):
        assert "113" in texts.fill(variant if isinstance(variant, str) else variant["text"])
    # without a risk word no question about suicide (issue 15: a phishing mail got one); every
    # suicidal message of the project has a risk word (tests/bot/test_nlu_components.py)
    for variant in texts.raw("out_of_scope_plain"):
        assert "113" not in texts.fill(variant) and "zelf" not in variant


@pytest.mark.parametrize("response", ["ask_facts_permission", "utter_ask_resume_facts", "utter_offer_next"])
def test_right_after_a_disclosure_the_texts_are_gentle(domain, response):
    """Pacing (issue 12): while safety_recent, no jump into the questions or the practical menu."""
    if response.startswith("utter_"):
        gentle = [
            v
            for v in domain["responses"][response]
            if any(c.get("name") == "safety_recent" and c.get("value") is True for c in v.get("condition") or [])
        ]
    else:  # a text of actions/responses.yml
        gentle = [v for v in texts.raw(response) if isinstance(v, dict) and (v.get("when") or {}).get("safety_recent")]
    # one text, or one before and one after the safe-now question was answered (safe_answered)
    assert 1 <= len(gentle) <= 2
    for variant in gentle:
        payloads = {b["payload"] for b in variant.get("buttons") or []}
        assert not payloads & {"/ask_police", "/ask_removal", "/goodbye"}
        text = variant["text"]
        assert "hoeft" in text or "mens" in text  # optional, or a person instead: never a demand
        # a button never promises "later" while a yes starts the questions at once
        assert not any("later" in b["title"].lower() for b in variant.get("buttons") or [])


def test_the_safe_now_question_counts_as_answered_after_the_next_message(tracker_from):
    """Asked once: answered when the person wrote anything after "Ben je nu op een veilige plek?"
    (issue 15: "ja ik ben thuis op mn kamer" got the question again)."""
    events = [user_event("ik wil niet meer leven", "express_suicidal")[0]]
    events.append({"event": "bot", "text": "Ik ben er nog. " + texts.SAFE_NOW_QUESTION + " Ik blijf hier."})
    asked = tracker_from("greet", events=events, latest_message=events[0]["parse_data"])
    assert safe_answered(asked) is False
    events.append(user_event("ja ik ben thuis op mn kamer", "affirm")[0])
    answered = tracker_from("greet", events=events, latest_message=events[-1]["parse_data"])
    assert safe_answered(answered) is True
    assert extract_updates(answered)["safe_answered"] is True
    never = tracker_from("greet", events=events[:1], latest_message=events[0]["parse_data"])
    assert safe_answered(never) is False
