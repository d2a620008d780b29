"""action_report and friends: acknowledgement, the script in order, the paths, advice_given."""
from action_helpers import extracted, first_variant, joined, slots_of, texts_of, with_message
from actions.extract import extract_updates
from actions.script import (
    ActionAfterFacts, ActionAnswerQuestion, ActionFactsDeclined, ActionInform, ActionReport, ActionStartFacts,
)


def prefilled(tracker_from, name, **slots):
    """A fixture tracker whose slots are what action_extract_facts made of its message."""
    tracker = tracker_from(name)
    tracker.slots.update(extract_updates(tracker))
    tracker.slots.update(slots)
    return tracker


def index_of(texts, fragment):
    return next(i for i, t in enumerate(texts) if fragment in t)


def test_first_report_gives_the_script_in_order(tracker_from, dispatcher, domain):
    events = ActionReport().run(dispatcher, prefilled(tracker_from, "report_payment_demand"), domain)
    texts = texts_of(dispatcher)
    # not greeted yet: a one-line intro first (bot, anonymous, 112)
    assert "chatbot" in texts[0] and "112" in texts[0]
    assert "niet jouw schuld" in texts[1]
    order = [index_of(texts, "deadline"), index_of(texts, "Stap 1"), index_of(texts, "Stap 2"),
             index_of(texts, "Stap 3"), index_of(texts, "Tips voor Instagram"), index_of(texts, "aangifte")]
    assert order == sorted(order)
    assert "Betaal niet" in texts[order[1]] or "Niet betalen" in texts[order[1]]
    assert "níet" in texts[order[2]] or "géén" in texts[order[2]]  # never keep the image itself
    assert "Verwijder je eigen account" in texts[order[3]] or "Laat je eigen account" in texts[order[3]]
    slots = slots_of(events)
    assert slots["advice_given"] == ["dont_pay", "keep_evidence", "stop_block_report", "platform_tips", "support"]
    assert slots["stage"] == "script"
    assert all(len(t) < 700 for t in texts)  # short messages, no wall of text
    assert "waarom" not in joined(dispatcher).lower()


def test_paid_path(tracker_from, dispatcher, domain):
    events = ActionReport().run(dispatcher, prefilled(tracker_from, "report_paid"), domain)
    text = joined(dispatcher)
    assert "bank" in text and ("niets meer" in text or "Stop nu met betalen" in text)
    assert "chatbot" not in texts_of(dispatcher)[0]  # greeted before
    assert "bank" in slots_of(events)["advice_given"]


def test_spread_path_gives_removal_and_hope(tracker_from, dispatcher, domain):
    events = ActionReport().run(dispatcher, prefilled(tracker_from, "report_images_shared", age_group="under_18"),
                                domain)
    text = joined(dispatcher)
    assert "Take It Down" in text and "Helpwanted" in text and "StopNCII" not in text
    assert "hopeloos" in text or "offline" in text
    assert "removal" in slots_of(events)["advice_given"]


def test_spread_path_for_adults_points_to_stopncii(tracker_from, dispatcher, domain):
    ActionReport().run(dispatcher, prefilled(tracker_from, "report_images_shared", age_group="adult"), domain)
    assert "StopNCII" in joined(dispatcher)


def test_parent_path(tracker_from, dispatcher, domain):
    events = ActionReport().run(dispatcher, prefilled(tracker_from, "report_on_behalf"), domain)
    text = joined(dispatcher)
    assert "straf niet" in text.lower() or "Straf niet" in text
    assert "telefoon niet af" in text
    assert "Stuur geen nieuwe foto's" in text or "Geen nieuwe foto's" in text or "Stuur niets meer" in text
    assert "Tips voor Snapchat" in text
    assert "parent_advice" in slots_of(events)["advice_given"]


def test_meeting_demand_mentions_112(tracker_from, dispatcher, domain):
    tracker = prefilled(tracker_from, "report_payment_demand", demand_type="meeting", amount_demanded=None,
                        deadline=None, deadline_within_24h=None)
    ActionReport().run(dispatcher, tracker, domain)
    text = joined(dispatcher).lower()
    assert ("spreek niet af" in text or "afspraak" in text or "niet afspreken" in text) and "112" in text


def test_deepfake_path(tracker_from, dispatcher, domain):
    tracker = with_message(tracker_from, "report_payment_demand",
                           "iemand heeft met ai een naaktfoto van mij gemaakt en wil 100 euro", "report_payment_demand",
                           [{"entity": "amount", "value": "100 euro"}])
    tracker.slots.update(extract_updates(tracker))
    ActionReport().run(dispatcher, tracker, domain)
    assert "nep" in joined(dispatcher) and "strafbaar" in joined(dispatcher)


def test_receiver_path(tracker_from, dispatcher, domain):
    events = ActionReport().run(dispatcher, prefilled(tracker_from, "report_received_image"), domain)
    text = joined(dispatcher)
    assert "niet door" in text and "Verwijder" in text and "Meld" in text
    assert "Stap 1" not in text
    slots = slots_of(events)
    assert slots["stage"] == "after" and "receiver_advice" in slots["advice_given"]


def test_second_report_only_adds_what_is_new(tracker_from, dispatcher, domain):
    tracker = prefilled(tracker_from, "report_paid", stage="after",
                        topics_done=["ack", "script", "intro"], advice_given=["dont_pay", "keep_evidence"])
    events = ActionReport().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    assert "Stap 2" not in text and "bank" in text
    assert "stage" not in slots_of(events)


def test_second_report_without_news_repeats_the_core(tracker_from, dispatcher, domain):
    tracker = prefilled(tracker_from, "report_payment_demand", stage="script",
                        topics_done=["ack", "script", "intro", "deadline", "platform:instagram"])
    ActionReport().run(dispatcher, tracker, domain)
    assert "niet betalen" in joined(dispatcher)


def test_start_and_declined(tracker_from, dispatcher, domain):
    assert slots_of(ActionStartFacts().run(dispatcher, tracker_from("greet"), domain)) == {"stage": "facts"}
    assert slots_of(ActionFactsDeclined().run(dispatcher, tracker_from("greet"), domain))["stage"] == "after"
    assert "sla ik de vraag over" in texts_of(dispatcher)[0]


def test_after_facts_adds_the_paths_the_answers_opened(tracker_from, dispatcher, domain):
    tracker = prefilled(tracker_from, "report_payment_demand", stage="facts", paid=True, amount_paid=100.0,
                        material_spread=True, age_group="under_18",
                        topics_done=["intro", "ack", "deadline", "platform:instagram", "script"])
    events = ActionAfterFacts().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    assert texts_of(dispatcher)[0].startswith("Dank je")
    assert "bank" in text and "Take It Down" in text
    assert slots_of(events)["stage"] == "after"


def test_inform_with_a_new_platform_gives_its_tips(tracker_from, dispatcher, domain):
    tracker = with_message(tracker_from, "greet", "het was op discord", "inform",
                           [{"entity": "platform", "value": "discord"}],
                           slots={"stage": "after", "topics_done": ["script"]})
    extracted(tracker)
    events = ActionInform().run(dispatcher, tracker, domain)
    assert "Tips voor Discord" in joined(dispatcher)
    assert "platform_tips" in slots_of(events)["advice_given"]


def test_inform_before_anything_invites_the_story(tracker_from, dispatcher, domain):
    tracker = with_message(tracker_from, "greet", "ik ben 15", "inform", [{"entity": "age", "value": "15"}])
    extracted(tracker)
    ActionInform().run(dispatcher, tracker, domain)
    assert "Dank je" in joined(dispatcher) and "Stap 1" not in joined(dispatcher)


def test_inform_with_a_threat_gives_the_script(tracker_from, dispatcher, domain):
    tracker = with_message(tracker_from, "greet", "hij wil 300 euro", "inform", [{"entity": "amount", "value": "300 euro"}])
    extracted(tracker)
    events = ActionInform().run(dispatcher, tracker, domain)
    assert "Stap 1" in joined(dispatcher)
    assert slots_of(events)["stage"] == "script"


def test_answers_to_questions(tracker_from, dispatcher, domain):
    cases = {
        "ask_should_pay": ("betaal niet", "dont_pay"),
        "ask_evidence": ("screenshots", "keep_evidence"),
        "ask_block": ("blokkeer", "stop_block_report"),
        "ask_police": ("0900-8844", "police"),
        "ask_removal": ("Helpwanted", "removal"),
        "ask_is_crime": ("strafbaar", None),
        "ask_anonymous": ("anoniem", None),
    }
    for intent, (fragment, advice) in cases.items():
        dispatcher.messages.clear()
        tracker = with_message(tracker_from, "greet", "vraagje?", intent)
        events = ActionAnswerQuestion().run(dispatcher, tracker, domain)
        assert fragment.lower() in joined(dispatcher).lower(), intent
        if advice:
            assert advice in slots_of(events)["advice_given"], intent


def test_block_question_with_known_platform_gets_platform_tips(tracker_from, dispatcher, domain):
    for platform, name in [("instagram", "Instagram"), ("snapchat", "Snapchat"), ("tiktok", "TikTok"),
                           ("discord", "Discord"), ("whatsapp", "WhatsApp"), ("telegram", "Telegram")]:
        dispatcher.messages.clear()
        tracker = with_message(tracker_from, "greet", "hoe blokkeer ik hem", "ask_block", slots={"platform": platform})
        ActionAnswerQuestion().run(dispatcher, tracker, domain)
        text = joined(dispatcher)
        assert f"Tips voor {name}" in text, platform
        assert "Bewijs" in text and "Blokkeren" in text or "blokkeren" in text.lower()


def test_should_pay_after_paying_mentions_the_bank(tracker_from, dispatcher, domain):
    tracker = with_message(tracker_from, "greet", "moet ik nog meer betalen", "ask_should_pay", slots={"paid": True})
    ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert "bank" in joined(dispatcher)


def test_is_crime_for_someone_who_received_an_image(tracker_from, dispatcher, domain):
    tracker = with_message(tracker_from, "greet", "is het strafbaar dat ik hem heb", "ask_is_crime",
                           slots={"writer": "receiver"})
    ActionAnswerQuestion().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    assert "jonger is dan 18" in text and "Verwijder" in text and "slachtoffer" not in text


def test_inform_without_facts_does_not_say_thanks(tracker_from, dispatcher, domain):
    tracker = extracted(with_message(tracker_from, "greet", "zxcv qwer", "inform"))
    ActionInform().run(dispatcher, tracker, domain)
    assert "Dank je" not in joined(dispatcher)
