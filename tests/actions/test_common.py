"""actions/common.py: reading the tracker (intent, text, entities, the bot's last action, facts
set this turn, metadata) and ``Reply``'s bookkeeping of texts, advice, topics and slots.

Trackers come from tests/fixtures/trackers/ (tests/actions/conftest.py ``load_tracker``);
events are added to them where a test needs a particular history.
"""

from __future__ import annotations

import pytest
from action_helpers import slots_of, texts_of, user_event

from actions import texts
from actions.common import (
    Reply,
    actions_since_user,
    entities_of,
    facts_set_now,
    intent_of,
    metadata_value,
    previous_bot_action,
    ran_action,
    text_of,
)


def action(name: str) -> dict:
    return {"event": "action", "name": name}


def slot(name: str, value) -> dict:
    return {"event": "slot", "name": name, "value": value}


def with_events(tracker_from, name: str, *extra: dict):
    """Fixture tracker ``name`` with ``extra`` events appended (after its latest user message)."""
    base = tracker_from(name)
    return tracker_from(name, events=list(base.events) + list(extra))


# ------------------------------------------------------------------------------ the latest message


def test_intent_and_text_of_the_latest_message(tracker_from):
    tracker = tracker_from("report_payment_demand")
    assert intent_of(tracker) == "report_payment_demand"
    assert text_of(tracker).startswith("iemand wil 500 euro van me via insta")


@pytest.mark.parametrize("latest", [{}, None, {"text": None, "intent": {}, "entities": None}])
def test_an_empty_latest_message_gives_no_intent_no_text_no_entities(tracker_from, latest):
    tracker = tracker_from("greet", latest_message=latest)
    assert intent_of(tracker) is None
    assert text_of(tracker) == ""
    assert entities_of(tracker, "platform") == []


def test_entities_of_gives_the_values_of_one_entity_in_message_order(tracker_from):
    tracker = tracker_from("report_paid")
    assert entities_of(tracker, "amount") == ["150 euro", "300"]
    assert entities_of(tracker, "payment_method") == ["tikkie"]
    assert entities_of(tracker, "platform") == []


def test_entities_of_reads_only_the_latest_message(tracker_from):
    # form_answer's first message had no entities; its latest ("snap") has a platform
    tracker = tracker_from("form_answer")
    assert entities_of(tracker, "platform") == ["snapchat"]
    event, parse = user_event("nee", "deny")
    tracker = tracker_from("form_answer", events=tracker.events + [event], latest_message=parse)
    assert entities_of(tracker, "platform") == []


# ------------------------------------------------------------------------------ the bot's actions


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("consent_affirm", "utter_ask_handoff_consent"),  # the question the user answers
        ("report_paid", "action_greet"),  # action_listen in between is skipped
        ("form_answer", "facts_form"),  # the form asked; later events do not count
        ("greet", None),  # only session start and listen before "hoi"
    ],
)
def test_previous_bot_action(tracker_from, fixture, expected):
    assert previous_bot_action(tracker_from(fixture)) == expected


def test_previous_bot_action_looks_before_the_latest_user_message_only(tracker_from):
    tracker = with_events(tracker_from, "consent_affirm", action("action_handoff"), action("action_listen"))
    assert previous_bot_action(tracker) == "utter_ask_handoff_consent"


def test_previous_bot_action_skips_extraction_and_session_start(tracker_from):
    base = tracker_from("consent_affirm")
    events = list(base.events)
    last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
    events[last_user:last_user] = [action("action_extract_facts"), action("action_extract_slots")]
    assert previous_bot_action(tracker_from("consent_affirm", events=events)) == "utter_ask_handoff_consent"


def test_previous_bot_action_without_a_user_message_is_none(tracker_from):
    tracker = tracker_from("greet", events=[action("action_session_start"), action("action_greet")])
    assert previous_bot_action(tracker) is None


def test_actions_since_user_lists_what_ran_this_turn(tracker_from):
    tracker = with_events(
        tracker_from,
        "consent_affirm",
        action("action_extract_facts"),
        action("action_handoff"),
        action("validate_facts_form"),
        action("facts_form"),
        action("utter_goodbye"),
        action("action_listen"),
    )
    assert actions_since_user(tracker) == ["action_handoff", "utter_goodbye"]


def test_actions_since_user_is_empty_at_the_start_of_a_turn(tracker_from):
    assert actions_since_user(tracker_from("consent_affirm")) == []
    assert actions_since_user(tracker_from("form_answer")) == []  # only the form ran


def test_ran_action_looks_at_the_whole_conversation(tracker_from):
    tracker = tracker_from("report_paid")
    assert ran_action(tracker, "action_greet")
    assert not ran_action(tracker, "action_report")
    assert not ran_action(tracker_from("report_paid", events=[]), "action_greet")


def test_ran_action_counts_actions_not_other_events_with_that_name(tracker_from):
    loop_only = tracker_from("greet", events=[{"event": "active_loop", "name": "facts_form"}])
    assert not ran_action(loop_only, "facts_form")
    assert ran_action(tracker_from("form_answer"), "facts_form")


# ------------------------------------------------------------------------------ facts this turn


def test_facts_set_now_lists_fact_slots_set_after_the_latest_message(tracker_from):
    tracker = with_events(
        tracker_from,
        "form_answer",  # already has platform and requested_slot after "snap"
        slot("amount_paid", 50.0),
        slot("stage", "facts"),  # not a fact
        slot("advice_given", ["dont_pay"]),  # bookkeeping, not something the user told
        slot("open_questions", ["mag ik dit melden?"]),
        slot("suicide_risk", True),
    )
    assert facts_set_now(tracker) == ["platform", "amount_paid", "suicide_risk"]


def test_facts_set_before_the_latest_message_do_not_count(tracker_from):
    base = tracker_from("consent_affirm")
    events = list(base.events)
    last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
    events.insert(last_user, slot("platform", "instagram"))
    assert facts_set_now(tracker_from("consent_affirm", events=events)) == []


# ------------------------------------------------------------------------------ metadata


def test_metadata_value_of_the_latest_user_message(tracker_from):
    assert metadata_value(tracker_from("closing"), "conversation_code") == "K7QM-2XPD"
    assert metadata_value(tracker_from("closing"), "nonexistent") is None


def test_metadata_value_falls_back_to_earlier_messages_and_the_newest_wins(tracker_from):
    first, _ = user_event("hoi", "greet", metadata={"conversation_code": "OLD1-OLD1", "channel": "web"})
    second, _ = user_event("hallo?", "greet", metadata={"conversation_code": "NEW2-NEW2"})
    third, _ = user_event("ben je er", "greet")  # no metadata at all
    tracker = tracker_from("greet", events=[first, action("action_listen"), second, third])
    assert metadata_value(tracker, "conversation_code") == "NEW2-NEW2"
    assert metadata_value(tracker, "channel") == "web"


def test_metadata_value_ignores_empty_values_and_bot_events(tracker_from):
    first, _ = user_event("hoi", "greet", metadata={"conversation_code": "OLD1-OLD1"})
    second, _ = user_event("hallo", "greet", metadata={"conversation_code": ""})
    bot = {"event": "bot", "text": "Hoi!", "metadata": {"conversation_code": "BOT0-BOT0"}}
    tracker = tracker_from("greet", events=[first, second, bot])
    assert metadata_value(tracker, "conversation_code") == "OLD1-OLD1"
    assert metadata_value(tracker_from("greet", events=[]), "conversation_code") is None


# ------------------------------------------------------------------------------ Reply


def test_reply_with_nothing_said_changes_no_slots(tracker_from, dispatcher):
    reply = Reply(dispatcher, tracker_from("closing"))
    assert reply.events() == []
    assert reply.sent == [] and dispatcher.messages == []


def test_reply_reads_slots_and_defaults_the_writer(tracker_from, dispatcher):
    reply = Reply(dispatcher, tracker_from("closing"))
    assert reply.slot("platform") == "instagram" and reply.slot("nonexistent") is None
    assert reply.writer == "victim"
    assert Reply(dispatcher, tracker_from("greet")).writer == "victim"  # slot not set
    on_behalf = Reply(dispatcher, tracker_from("greet", slots={"writer": "on_behalf"}))
    assert on_behalf.writer == "on_behalf"


def test_give_adds_advice_once_in_order_and_sets_the_slot(tracker_from, dispatcher):
    tracker = tracker_from("closing")  # advice already: dont_pay, keep_evidence, ...
    reply = Reply(dispatcher, tracker)
    reply.give("dont_pay", "police", None, "police")
    reply.give("safety")
    expected = ["dont_pay", "keep_evidence", "stop_block_report", "bank", "removal", "police", "safety"]
    assert reply.events() == [{"event": "slot", "timestamp": None, "name": "advice_given", "value": expected}]
    # the tracker's own slot value is not changed behind Rasa's back
    assert tracker.slots["advice_given"] == expected[:5]


def test_giving_only_known_advice_or_covering_known_topics_sets_nothing(tracker_from, dispatcher):
    reply = Reply(dispatcher, tracker_from("closing", slots={"advice_given": ["removal"], "topics_done": ["script"]}))
    reply.give("removal")
    reply.cover("script")
    assert reply.events() == []


def test_cover_and_done_track_topics_this_turn_and_before(tracker_from, dispatcher):
    reply = Reply(dispatcher, tracker_from("greet", slots={"topics_done": ["script"]}))
    assert reply.done("script") and not reply.done("removal")
    reply.cover("removal", "script")
    assert reply.done("removal")
    assert slots_of(reply.events()) == {"topics_done": ["script", "removal"]}


def test_set_overrides_the_tracker_slot_and_becomes_an_event(tracker_from, dispatcher):
    reply = Reply(dispatcher, tracker_from("closing"))
    reply.set("stage", "closing")
    reply.set("case_code", None)
    reply.set("stage", "done")  # the last value counts
    assert reply.slot("stage") == "done" and reply.slot("case_code") is None
    assert reply.events() == [
        {"event": "slot", "timestamp": None, "name": "stage", "value": "done"},
        {"event": "slot", "timestamp": None, "name": "case_code", "value": None},
    ]


def test_events_put_advice_and_topics_before_other_slots(tracker_from, dispatcher):
    reply = Reply(dispatcher, tracker_from("greet"))
    reply.set("stage", "after")
    reply.cover("removal")
    reply.give("dont_pay")
    assert [e["name"] for e in reply.events()] == ["advice_given", "topics_done", "stage"]


def test_say_sends_the_text_and_records_key_advice_and_topic(tracker_from, dispatcher):
    reply = Reply(dispatcher, tracker_from("report_payment_demand"))
    reply.say("ack_victim", advice=("no_blame",), topic="ack")
    reply.say("acute_danger")
    assert texts_of(dispatcher) == [texts.text("ack_victim"), texts.text("acute_danger")]
    assert reply.sent == ["ack_victim", "acute_danger"]
    assert reply.advice == ["no_blame"] and reply.done("ack")
    assert slots_of(reply.events()) == {"advice_given": ["no_blame"], "topics_done": ["ack"]}


def test_say_chooses_the_variant_with_slots_set_this_turn(tracker_from, dispatcher):
    reply = Reply(dispatcher, tracker_from("report_paid"))
    reply.say("ack_paid")
    reply.set("writer", "on_behalf")
    reply.say("ack_paid")
    victim, on_behalf = texts_of(dispatcher)
    assert "Je betaalde omdat je bang was" in victim
    assert on_behalf == texts.text("ack_paid", {"writer": "on_behalf"})
    assert "Het is niet de schuld van degene die wordt afgeperst" in on_behalf


def test_say_keeps_the_texts_buttons_and_adds_extra_buttons(tracker_from, dispatcher):
    reply = Reply(dispatcher, tracker_from("greet"))
    reply.set("safety_recent", True)
    extra = {"title": "Ik wil een mens", "payload": "/request_human"}
    reply.say("ask_facts_permission", extra_buttons=[extra])
    (message,) = dispatcher.messages
    assert message["text"].startswith("Je hoeft me nu niks uit te leggen")
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny", "/request_human"]


@pytest.fixture
def platform_text(monkeypatch):
    """A response whose text names the platform (like the script's 'blokkeren en melden bij ...')."""
    data = dict(texts.texts(), test_block=["Blokkeer en meld bij {platform_name}."])
    monkeypatch.setattr(texts, "_load", lambda: data)
    return "test_block"


@pytest.mark.parametrize(
    ("slots", "fields", "expected"),
    [
        ({"platform": "instagram"}, {}, "Blokkeer en meld bij Instagram."),
        ({"platform": None}, {}, "Blokkeer en meld bij de app."),
        ({"platform": "instagram"}, {"platform_name": "TikTok"}, "Blokkeer en meld bij TikTok."),
    ],
)
def test_say_fills_the_platform_name_from_the_platform_slot(
    tracker_from, dispatcher, platform_text, slots, fields, expected
):
    Reply(dispatcher, tracker_from("greet", slots=slots)).say(platform_text, **fields)
    assert texts_of(dispatcher) == [expected]


def test_say_uses_a_platform_set_this_turn(tracker_from, dispatcher, platform_text):
    reply = Reply(dispatcher, tracker_from("greet", slots={"platform": "instagram"}))
    reply.set("platform", "snapchat")
    reply.say(platform_text)
    assert texts_of(dispatcher) == ["Blokkeer en meld bij Snapchat."]


def test_say_text_sends_free_text_with_its_options(tracker_from, dispatcher):
    reply = Reply(dispatcher, tracker_from("greet"))
    buttons = [{"title": "Ja", "payload": "/affirm"}]
    reply.say_text("Een tekst die langer is dan twintig tekens.", advice=("safety",), topic="safety", buttons=buttons)
    (message,) = dispatcher.messages
    assert message["text"] == "Een tekst die langer is dan twintig tekens." and message["buttons"] == buttons
    assert reply.sent == ["Een tekst die langer"]  # the first 20 characters
    assert slots_of(reply.events()) == {"advice_given": ["safety"], "topics_done": ["safety"]}


def test_say_picks_a_variant_the_person_did_not_get_yet(tracker_from, dispatcher):
    """Issue 15: "Dank je dat je dat vertelt." twice in one conversation reads like a machine."""
    first, second = (v["text"] for v in texts.variants("inform_thanks", {}))
    fresh = Reply(dispatcher, tracker_from("greet"))
    fresh.say("inform_thanks")
    assert texts_of(dispatcher)[-1] == first  # the first variant (tests pick the first)
    told = with_events(tracker_from, "greet", {"event": "bot", "text": first})
    Reply(dispatcher, told).say("inform_thanks")
    assert texts_of(dispatcher)[-1] == second
    both = with_events(tracker_from, "greet", {"event": "bot", "text": first}, {"event": "bot", "text": second})
    Reply(dispatcher, both).say("inform_thanks")
    assert texts_of(dispatcher)[-1] == first  # all used: any variant (the web chat's choke point rewords it)


def test_text_seed_makes_the_choice_repeatable_whatever_was_picked_before(monkeypatch):
    """TEXT_SEED (the conversation suite): the same text at the same point of a conversation is
    the same variant, in any process and after any other picks; without it, variants at random."""
    import random as stdlib_random

    monkeypatch.setattr(texts, "random", stdlib_random)  # undo first_variant: the real choice
    monkeypatch.setattr(texts, "_seed", 7)
    said = {"iets dat al gezegd is"}
    first = [texts.pick("inform_thanks", {}, avoid=said)["text"] for _ in range(5)]
    stdlib_random.random()  # other code drawing random numbers changes nothing
    texts.pick("inform_thanks", {})  # nor another pick at another point
    again = texts.pick("inform_thanks", {}, avoid=said)["text"]
    assert len(set(first)) == 1 and again == first[0]
    choices = {texts.pick("inform_thanks", {}, avoid={"x"} | {str(n) for n in range(n)})["text"] for n in range(12)}
    assert len(choices) > 1  # the point in the conversation takes part: not always the same variant
    monkeypatch.setattr(texts, "_seed", None)
    unseeded = {texts.pick("inform_thanks", {})["text"] for _ in range(60)}
    assert len(unseeded) == len(texts.variants("inform_thanks", {}))
