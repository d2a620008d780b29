"""action_report and friends: acknowledgement, the script in order, the paths, advice_given."""

from action_helpers import extracted, joined, slots_of, texts_of, with_message

from actions.extract import extract_updates
from actions.script import (
    ActionAfterFacts,
    ActionAnswerQuestion,
    ActionFactsDeclined,
    ActionInform,
    ActionReport,
    ActionStartFacts,
)


def prefilled(tracker_from, name, **slots):
    """A fixture tracker whose slots are what action_extract_facts made of its message."""
    tracker = tracker_from(name)
    tracker.slots.update(extract_updates(tracker))
    tracker.slots.update(slots)
    return tracker


def index_of(texts, fragment):
    return next(i for i, t in enumerate(texts) if fragment in t)


def words(dispatcher):
    return sum(len(t.split()) for t in texts_of(dispatcher))


def test_first_report_gives_the_three_steps_in_one_short_list(tracker_from, dispatcher, domain):
    events = ActionReport().run(dispatcher, prefilled(tracker_from, "report_payment_demand"), domain)
    texts = texts_of(dispatcher)
    # not greeted yet: a one-line intro first (bot, anonymous, 112)
    assert "chatbot" in texts[0] and "112" in texts[0]
    assert "niet jouw schuld" in texts[1]
    steps = next(t for t in texts if "\n1. " in t)
    one, two, three = steps.index("\n1. "), steps.index("\n2. "), steps.index("\n3. ")
    assert one < two < three
    assert "Betaal niet" in steps or "Niet betalen" in steps
    assert "zonder de naaktfoto in beeld" in steps  # evidence without copying the image
    assert "Verwijder de chat en je account niet" in steps or "Laat de chat en je eigen account staan" in steps
    assert index_of(texts, "deadline") < texts.index(steps)
    slots = slots_of(events)
    assert slots["advice_given"] == ["dont_pay", "keep_evidence", "stop_block_report"]
    assert slots["stage"] == "script"
    assert "Tips voor" not in joined(dispatcher)  # details come after the questions or on request
    assert all(len(t.split()) <= 80 for t in texts)
    assert "waarom" not in joined(dispatcher).lower()


def test_paid_path(tracker_from, dispatcher, domain):
    events = ActionReport().run(dispatcher, prefilled(tracker_from, "report_paid"), domain)
    text = joined(dispatcher)
    assert "niets meer" in text and "betaalbewijs" in text
    assert "chatbot" not in texts_of(dispatcher)[0]  # greeted before
    assert "bank" in slots_of(events)["advice_given"]


def test_spread_path_says_removal_is_possible_then_details_after_the_questions(tracker_from, dispatcher, domain):
    tracker = prefilled(tracker_from, "report_images_shared", age_group="under_18")
    events = ActionReport().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    assert "offline" in text and "Helpwanted" in text
    assert "removal" in slots_of(events)["advice_given"]
    dispatcher.messages.clear()
    tracker.slots.update(slots_of(events))
    ActionFactsDeclined().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    assert "takeitdown.ncmec.org" in text and "stopncii" not in text.lower()
    assert "vingerafdruk" in text and "gaat niet mee" in text  # the image is not uploaded
    assert "Privéchats niet" in text  # only participating platforms, not private chats
    assert "hopeloos" in text


def test_spread_path_for_adults_points_to_stopncii(tracker_from, dispatcher, domain):
    tracker = prefilled(tracker_from, "report_images_shared", age_group="adult", topics_done=["script"])
    ActionFactsDeclined().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    assert "stopncii.org" in text
    # chosen by the age when the image was made, not today's age
    assert "jonger dan 18 toen de beelden zijn gemaakt" in text and "takeitdown" in text


def test_parent_path(tracker_from, dispatcher, domain):
    events = ActionReport().run(dispatcher, prefilled(tracker_from, "report_on_behalf"), domain)
    text = joined(dispatcher)
    assert "straf niet" in text.lower() or "Straf niet" in text
    assert "telefoon niet af" in text
    assert "niets meer sturen" in text and "Niet ingaan op eisen" in text
    assert "jouw schuld" not in text
    assert "parent_advice" in slots_of(events)["advice_given"]


def test_meeting_demand_mentions_112(tracker_from, dispatcher, domain):
    tracker = prefilled(
        tracker_from,
        "report_payment_demand",
        demand_type="meeting",
        amount_demanded=None,
        deadline=None,
        deadline_within_24h=None,
    )
    ActionReport().run(dispatcher, tracker, domain)
    text = joined(dispatcher).lower()
    assert ("spreek niet af" in text or "afspraak" in text or "niet afspreken" in text) and "112" in text


def test_deepfake_path(tracker_from, dispatcher, domain):
    tracker = with_message(
        tracker_from,
        "report_payment_demand",
        "iemand heeft met ai een naaktfoto van mij gemaakt en wil 100 euro",
        "report_payment_demand",
        [{"entity": "amount", "value": "100 euro"}],
    )
    tracker.slots.update(extract_updates(tracker))
    ActionReport().run(dispatcher, tracker, domain)
    assert "nep" in joined(dispatcher) and "strafbaar" in joined(dispatcher)


def test_receiver_path(tracker_from, dispatcher, domain):
    events = ActionReport().run(dispatcher, prefilled(tracker_from, "report_received_image"), domain)
    text = joined(dispatcher)
    assert "niet door" in text and "Verwijder" in text and "Meld" in text
    assert "\n1. " not in text
    slots = slots_of(events)
    assert slots["stage"] == "after" and "receiver_advice" in slots["advice_given"]


def test_second_report_only_adds_what_is_new(tracker_from, dispatcher, domain):
    tracker = prefilled(
        tracker_from,
        "report_paid",
        stage="after",
        topics_done=["ack", "script", "intro"],
        advice_given=["dont_pay", "keep_evidence"],
    )
    events = ActionReport().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    assert "\n2. " not in text and "betaal" in text.lower()
    assert "stage" not in slots_of(events)


def test_second_report_without_news_repeats_the_core(tracker_from, dispatcher, domain):
    tracker = prefilled(
        tracker_from,
        "report_payment_demand",
        stage="script",
        topics_done=["ack", "script", "demand:money", "intro", "deadline", "platform:instagram"],
    )
    ActionReport().run(dispatcher, tracker, domain)
    assert "niet betalen" in joined(dispatcher)


def test_start_and_declined(tracker_from, dispatcher, domain):
    assert slots_of(ActionStartFacts().run(dispatcher, tracker_from("greet"), domain)) == {"stage": "facts"}
    assert slots_of(ActionFactsDeclined().run(dispatcher, tracker_from("greet"), domain))["stage"] == "after"
    assert "sla ik de vraag over" in texts_of(dispatcher)[0]


def test_after_facts_adds_the_paths_the_answers_opened(tracker_from, dispatcher, domain):
    tracker = prefilled(
        tracker_from,
        "report_payment_demand",
        stage="facts",
        paid=True,
        amount_paid=100.0,
        material_spread=True,
        age_group="under_18",
        topics_done=["intro", "ack", "deadline", "platform:instagram", "script"],
    )
    events = ActionAfterFacts().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    assert texts_of(dispatcher)[0].startswith("Dank je")
    assert "betaal" in text.lower() and "takeitdown" in text
    assert "Kindertelefoon" in text and "0800-0432" in text  # under 18: part of the advice
    assert slots_of(events)["stage"] == "after"


def test_inform_with_a_new_platform_gives_its_tips(tracker_from, dispatcher, domain):
    tracker = with_message(
        tracker_from,
        "greet",
        "het was op discord",
        "inform",
        [{"entity": "platform", "value": "discord"}],
        slots={"stage": "after", "topics_done": ["script"]},
    )
    extracted(tracker)
    events = ActionInform().run(dispatcher, tracker, domain)
    assert "Tips voor Discord" in joined(dispatcher)
    assert "platform_tips" in slots_of(events)["advice_given"]


def test_inform_before_anything_invites_the_story(tracker_from, dispatcher, domain):
    tracker = with_message(tracker_from, "greet", "ik ben 15", "inform", [{"entity": "age", "value": "15"}])
    extracted(tracker)
    ActionInform().run(dispatcher, tracker, domain)
    assert "Dank je" in joined(dispatcher) and "\n1. " not in joined(dispatcher)


def test_inform_with_a_threat_gives_the_script(tracker_from, dispatcher, domain):
    tracker = with_message(
        tracker_from, "greet", "hij wil 300 euro", "inform", [{"entity": "amount", "value": "300 euro"}]
    )
    extracted(tracker)
    events = ActionInform().run(dispatcher, tracker, domain)
    assert "\n1. " in joined(dispatcher)
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
    for platform, name in [
        ("instagram", "Instagram"),
        ("snapchat", "Snapchat"),
        ("tiktok", "TikTok"),
        ("discord", "Discord"),
        ("whatsapp", "WhatsApp"),
        ("telegram", "Telegram"),
    ]:
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
    tracker = with_message(
        tracker_from, "greet", "is het strafbaar dat ik hem heb", "ask_is_crime", slots={"writer": "receiver"}
    )
    ActionAnswerQuestion().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    assert "jonger is dan 18" in text and "Verwijder" in text and "slachtoffer" not in text


def test_is_crime_after_bullying_is_no_answer_about_extortion(tracker_from, dispatcher, domain):
    """ "is dat eigenlijk strafbaar wat ze doen?" about an ordinary photo in the class app got "Iemand afpersen
    met naaktbeelden is strafbaar" (q_gaandeweg.yml, session 34)."""
    text = "is dat eigenlijk strafbaar wat ze doen?"
    bullied = {"topics_done": ["asked:bullying"], "age_group": "under_18"}
    tracker = with_message(tracker_from, "greet", text, "ask_is_crime", slots=bullied)
    ActionAnswerQuestion().run(dispatcher, tracker, domain)
    said = joined(dispatcher)
    assert "pesten" in said and "0800-0432" in said and "afpers" not in said.lower()
    # a threat told after all: the answer about extortion
    dispatcher.messages.clear()
    threat = dict(bullied, demand_type="more_images")
    ActionAnswerQuestion().run(
        dispatcher, with_message(tracker_from, "greet", text, "ask_is_crime", slots=threat), domain
    )
    assert "strafbaar" in joined(dispatcher) and "pesten" not in joined(dispatcher)


def test_a_picture_sent_before_a_threat_gets_no_script_and_after_one_send_nothing_more(
    tracker_from, dispatcher, domain
):
    """ "ik heb er wel 1 gestuurd gister. in mn bh" before any threat got the script with "Betaal niets"
    (q_gaandeweg.yml, session 34); after a threat the same words get "stuur niets meer"."""
    text = "ik heb er wel 1 gestuurd gister. in mn bh. hij zei dat ik mooi was"
    ActionAnswerQuestion().run(dispatcher, with_message(tracker_from, "greet", text, "ask_other"), domain)
    said = joined(dispatcher)
    assert "nee zeggen" in said and "Dreigt iemand" in said and "betaal" not in said.lower()
    dispatcher.messages.clear()
    threat = with_message(tracker_from, "greet", text, "ask_other", slots={"demand_type": "more_images"})
    ActionAnswerQuestion().run(dispatcher, threat, domain)
    said = joined(dispatcher)
    assert "Stuur vanaf nu niets meer" in said and "niet jouw schuld" in said and "betaal" not in said.lower()


def test_inform_without_facts_does_not_say_thanks(tracker_from, dispatcher, domain):
    tracker = extracted(with_message(tracker_from, "greet", "zxcv qwer", "inform"))
    ActionInform().run(dispatcher, tracker, domain)
    assert "Dank je" not in joined(dispatcher)


def test_a_receiver_who_did_not_pass_it_on_is_praised_for_it(tracker_from, dispatcher, domain):
    """ "ik ben 14 btw. en ik heb m niet doorgestuurd echt niet" (report_paid 0.37) made a receiver a victim and
    got the whole script with "Betaal niet" (r_omstanders.yml on session 36's kind)."""
    known = {"writer": "receiver", "topics_done": ["greeting", "intro", "receiver"], "stage": "after_script"}
    text = "ik ben 14 btw. en ik heb m niet doorgestuurd echt niet"
    tracker = extracted(with_message(tracker_from, "greet", text, "report_paid", slots=known))
    assert tracker.slots.get("writer") == "receiver"
    ActionReport().run(dispatcher, tracker, domain)
    said = joined(dispatcher)
    assert "Goed dat je hem niet hebt doorgestuurd" in said and "etaal" not in said, said
