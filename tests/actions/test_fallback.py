"""Dutch two-stage fallback."""

from action_helpers import joined, with_message
from rasa_sdk.events import UserUtteranceReverted

from actions.fallback import ActionDefaultAskAffirmation, ActionDefaultAskRephrase, ActionDefaultFallback


def test_affirmation_asks_in_dutch_with_buttons(tracker_from, dispatcher, domain):
    assert ActionDefaultAskAffirmation().run(dispatcher, tracker_from("nlu_fallback"), domain) == []
    msg = dispatcher.messages[0]
    assert "Bedoel je" in msg["text"] and "dreigt" in msg["text"]
    assert [b["payload"] for b in msg["buttons"]] == ["/report_blackmail", "/out_of_scope"]
    assert "report_blackmail" not in msg["text"]


def test_unclear_suicidal_message_is_asked_directly_with_113(tracker_from, dispatcher, domain):
    tracker = tracker_from("nlu_fallback")
    tracker.latest_message["intent_ranking"][1]["name"] = "express_suicidal"
    ActionDefaultAskAffirmation().run(dispatcher, tracker, domain)
    msg = dispatcher.messages[0]
    assert "113" in msg["text"]
    assert msg["buttons"][0]["payload"] == "/express_suicidal"


def test_unknown_intent_gets_the_rephrase_prompt(tracker_from, dispatcher, domain):
    tracker = with_message(tracker_from, "greet", "bla", "nlu_fallback")
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.4}]
    ActionDefaultAskAffirmation().run(dispatcher, tracker, domain)
    assert "andere manier" in joined(dispatcher) or "anders zeggen" in joined(dispatcher)


def test_rephrase_and_final_fallback_are_never_a_dead_end(tracker_from, dispatcher, domain):
    ActionDefaultAskRephrase().run(dispatcher, tracker_from("nlu_fallback"), domain)
    events = ActionDefaultFallback().run(dispatcher, tracker_from("nlu_fallback"), domain)
    assert events == [UserUtteranceReverted()]
    final = dispatcher.messages[-1]["text"]
    assert "hulpverlener" in final and "info@helpwanted.nl" in final and "112" in final
