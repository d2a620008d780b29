"""Advice that fits the person (issue 14): demand type, payment method, who is writing, age,
and a first reply short enough for a phone.

Network-free: the actions run on saved tracker fixtures with the slots a conversation would have."""

import pytest
import yaml
from action_helpers import joined, slots_of, texts_of, with_message
from tests_paths import ROOT

from actions import texts
from actions.extract import extract_updates
from actions.script import ActionAfterFacts, ActionAnswerQuestion, ActionFactsDeclined, ActionReport
from bot.language.text_facts import find_writer_role


def tracker_with(tracker_from, name="report_payment_demand", **slots):
    """A fixture tracker with exactly these slots (nothing left from the fixture)."""
    tracker = tracker_from(name)
    tracker.slots = dict(slots)
    return tracker


# --- Demand type ------------------------------------------------------------------------------
@pytest.mark.parametrize("demand", ["meeting", "sex", "relationship"])
def test_a_demand_to_meet_or_for_sex_gets_never_meet_112_and_csg(tracker_from, dispatcher, domain, demand):
    tracker = tracker_with(tracker_from, writer="victim", demand_type=demand)
    events = ActionReport().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    assert "Spreek niet af" in text and "112" in text
    assert "Centrum Seksueel Geweld" in text and "0800-0188" in text and "dag en nacht" in text
    assert "videobellen" not in text  # not the images/webcam advice
    assert "csg" in slots_of(events)["advice_given"]


def test_a_demand_for_more_images_gets_the_images_advice_without_csg(tracker_from, dispatcher, domain):
    ActionReport().run(dispatcher, tracker_with(tracker_from, writer="victim", demand_type="more_images"), domain)
    text = joined(dispatcher)
    assert "Stuur niets meer" in text and "0800-0188" not in text


def test_a_meeting_demand_learned_in_the_form_gets_csg_after_the_questions(tracker_from, dispatcher, domain):
    tracker = tracker_with(
        tracker_from, writer="victim", demand_type="sex", topics_done=["script", "ack"], stage="facts"
    )
    ActionAfterFacts().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    assert "niet af" in text and "0800-0188" in text


# --- Payment method ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "method, must, must_not",
    [
        ("bank", ["Bel je bank", "terughalen"], ["cadeaukaart"]),
        ("tikkie", ["Tikkie", "bank"], ["wallet"]),
        ("giftcard", ["codes", "bonnetje", "blokkeren"], ["bank"]),
        ("crypto", ["wallet-adres", "transactie-ID"], ["bank"]),
        ("paypal", ["geschil"], ["bank"]),
        (None, ["bank", "codes", "wallet-adres"], []),
    ],
)
def test_after_paying_the_steps_fit_how_it_was_paid(tracker_from, dispatcher, domain, method, must, must_not):
    tracker = tracker_with(
        tracker_from,
        "report_paid",
        writer="victim",
        paid=True,
        demand_type="money",
        payment_method=method,
        topics_done=["intro"],
    )
    events = ActionReport().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    for fragment in must:
        assert fragment in text, (method, fragment)
    for fragment in must_not:
        assert fragment not in text, (method, fragment)
    assert "bank" in slots_of(events)["advice_given"]


def test_a_payment_method_told_later_gets_its_own_steps_once(tracker_from, dispatcher, domain):
    tracker = tracker_with(
        tracker_from,
        writer="victim",
        paid=True,
        payment_method="giftcard",
        stage="facts",
        topics_done=["script", "paid", "paid_method:unknown"],
    )
    events = ActionAfterFacts().run(dispatcher, tracker, domain)
    assert "codes" in joined(dispatcher)
    tracker.slots.update(slots_of(events))
    dispatcher.messages.clear()
    ActionAfterFacts().run(dispatcher, tracker, domain)
    assert "codes" not in joined(dispatcher)


def test_should_i_pay_after_paying_does_not_send_everyone_to_the_bank(tracker_from, dispatcher, domain):
    tracker = with_message(
        tracker_from,
        "report_paid",
        "moet ik nog meer betalen?",
        "ask_should_pay",
        slots={"paid": True, "payment_method": "crypto", "topics_done": []},
    )
    ActionAnswerQuestion().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    assert "wallet-adres" in text and "bank" not in text


# --- Who is writing ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, role",
    [
        ("mijn dochter van 14 wordt afgeperst", "parent"),
        ("ik ben moeder en mn zoon wordt bedreigd", "parent"),
        ("ik ben docent, een leerling van mij wordt gechanteerd", "professional"),
        ("mijn cliënt wordt afgeperst met een video", "professional"),
        ("mn beste vriendin wordt afgeperst", "peer"),
        ("een klasgenoot van mij wordt bedreigd met naaktfotos", "peer"),
        ("iemand dreigt mijn foto te delen", None),
    ],
)
def test_writer_role(text, role):
    assert find_writer_role(text) == role


def test_the_role_is_read_from_a_report_on_behalf(tracker_from):
    tracker = with_message(
        tracker_from, "report_on_behalf", "mijn vriendin wordt afgeperst met haar nudes", "report_on_behalf"
    )
    updates = extract_updates(tracker)
    assert updates.get("writer") in ("on_behalf", None) and updates["writer_role"] == "peer"


def test_a_friend_gets_peer_advice_not_parent_advice(tracker_from, dispatcher, domain):
    tracker = tracker_with(tracker_from, "report_on_behalf", writer="on_behalf", writer_role="peer")
    ActionReport().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    assert "Stuur niets door" in text and "volwassene" in text
    assert "als ouder" not in text and "telefoon niet af" not in text
    assert "jouw schuld" not in text


def test_a_professional_gets_advice_for_a_professional(tracker_from, dispatcher, domain):
    tracker = tracker_with(tracker_from, "report_on_behalf", writer="on_behalf", writer_role="professional")
    ActionReport().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    assert "zonder de jongere" in text and "Bekijk of bewaar de beelden zelf niet" in text


def test_under_18_gets_an_adult_they_trust_and_de_kindertelefoon(tracker_from, dispatcher, domain):
    tracker = tracker_with(
        tracker_from, writer="victim", age_group="under_18", demand_type="money", topics_done=["script"], stage="facts"
    )
    events = ActionFactsDeclined().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    assert "0800-0432" in text and "Kindertelefoon" in text
    assert "volwassene die je vertrouwt" in text and "vertrouwenspersoon" in text
    assert "kindertelefoon" in slots_of(events)["advice_given"]


def test_a_parent_of_a_minor_does_not_get_the_text_for_minors(tracker_from, dispatcher, domain):
    tracker = tracker_with(
        tracker_from,
        writer="on_behalf",
        writer_role="parent",
        age_group="under_18",
        topics_done=["script"],
        stage="facts",
    )
    ActionFactsDeclined().run(dispatcher, tracker, domain)
    assert "Je bent jonger dan 18" not in joined(dispatcher)


def test_a_receiver_is_not_guilty_and_notes_and_reports_before_deleting(tracker_from, dispatcher, domain):
    ActionReport().run(dispatcher, tracker_with(tracker_from, "report_received_image", writer="receiver"), domain)
    advice = texts_of(dispatcher)[-2] if "Verwijder" in texts_of(dispatcher)[-2] else joined(dispatcher)
    low = advice.lower()
    assert "niet jouw schuld" in low or "niet strafbaar" in low
    note = min(i for i in (low.find("schrijf op"), low.find("noteer")) if i >= 0)
    assert note < low.index("meld") < low.index("verwijder")


# --- Short turns ------------------------------------------------------------------------------
def longest_permission_question(domain):
    """The question that follows the first reply (its longest variant outside a crisis)."""
    variants = [v["text"] for v in texts.raw("ask_facts_permission") if not v.get("when")]
    return max(variants, key=lambda t: len(t.split()))


TYPICAL_REPORTS = {
    "money, deadline, Instagram": dict(
        writer="victim",
        demand_type="money",
        amount_demanded=200.0,
        deadline="vanavond",
        deadline_within_24h=True,
        platform="instagram",
    ),
    "already paid with gift cards": dict(
        writer="victim",
        demand_type="money",
        paid=True,
        amount_paid=150.0,
        payment_method="giftcard",
        platform="snapchat",
    ),
    "parent, more images on Roblox": dict(
        writer="on_behalf", writer_role="parent", demand_type="more_images", platform="roblox", age_group="under_18"
    ),
    "video already spread by an ex": dict(writer="victim", material_spread=True, platform="whatsapp"),
    "demand to meet": dict(writer="victim", demand_type="meeting", platform="snapchat"),
}


@pytest.fixture
def longest_variant(monkeypatch):
    """Every text picks its longest variant: the word count is the worst case."""

    class Longest:
        @staticmethod
        def choice(options):
            return max(options, key=lambda o: len(o["text"].split()))

    monkeypatch.setattr(texts, "random", Longest)


FIRST_REPLY_WORDS = 150


def first_reply_words(tracker_from, dispatcher, domain, slots):
    ActionReport().run(dispatcher, tracker_with(tracker_from, **slots), domain)
    bubbles = texts_of(dispatcher) + [longest_permission_question(domain)]
    return bubbles, sum(len(b.split()) for b in bubbles)


@pytest.mark.parametrize("report", list(TYPICAL_REPORTS))
def test_the_first_reply_to_a_report_is_short_and_names_the_three_steps(
    tracker_from, dispatcher, domain, longest_variant, report
):
    bubbles, words = first_reply_words(tracker_from, dispatcher, domain, TYPICAL_REPORTS[report])
    assert words <= FIRST_REPLY_WORDS, (report, words, bubbles)
    assert all(len(b.split()) <= 80 for b in bubbles)
    text = "\n".join(bubbles)
    assert "\n1. " in text and "\n2. " in text and "\n3. " in text
    assert "zonder de naaktfoto in beeld" in text
    assert len(bubbles) <= 6, bubbles


def test_details_are_offered_as_buttons_after_the_questions(domain):
    offers = [v for v in domain["responses"]["utter_offer_next"] if not v.get("condition")]
    for variant in offers:
        payloads = [b["payload"] for b in variant["buttons"]]
        assert "/ask_evidence" in payloads and "/ask_block" in payloads


def test_first_reply_word_counts_are_reported(tracker_from, domain, longest_variant, capsys):
    """Prints the worst-case word count per typical report (for the closing note; run with -s)."""
    from rasa_sdk.executor import CollectingDispatcher

    counts = {}
    for report, slots in TYPICAL_REPORTS.items():
        bubbles, counts[report] = first_reply_words(tracker_from, CollectingDispatcher(), domain, slots)
        with capsys.disabled():
            print(f"\nfirst reply, {report}: {counts[report]} words in {len(bubbles)} bubbles", end="")
    assert max(counts.values()) <= FIRST_REPLY_WORDS


def test_domain_yaml_is_still_readable():
    assert yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["slots"]["writer_role"]


# --- Identifiers for takedown and the bank ---------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("hij heet @jan_2009 op insta", ["handle: @jan_2009"]),
        ("zijn profiel: https://www.instagram.com/jan_2009/", ["link: https://www.instagram.com/jan_2009/"]),
        ("ik moest het overmaken naar NL91 ABNA 0417 1643 00", ["iban: NL91ABNA0417164300"]),
        (
            "stuur btc naar bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
            ["wallet: bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"],
        ),
        ("ik heb de paysafecard code 1234 5678 9012 3456 gestuurd", ["giftcard_code: 1234 5678 9012 3456"]),
        ("steam code ABCDE-12345-FGHIJ", ["giftcard_code: ABCDE-12345-FGHIJ"]),
        # not identifiers: an invalid IBAN, amounts and times, our own conversation code, an e-mail address
        ("NL12 ABCD 1234 5678 90", []),
        ("hij wil 300 euro voor 22:00 vanavond", []),
        ("mijn code is K7QM-2XPD-H4RT-9WBN", []),
        ("mail me op kim@example.nl", []),
    ],
)
def test_identifiers_are_read_from_what_people_type(text, expected):
    from bot.language.text_facts import find_identifiers

    assert find_identifiers(text) == expected


def test_identifiers_are_collected_over_the_conversation(tracker_from):
    tracker = with_message(
        tracker_from,
        "report_payment_demand",
        "het account is @jan_2009 en hij wil het op NL91ABNA0417164300",
        "report_payment_demand",
        slots={"identifiers": ["link: instagram.com/jan_2009"]},
    )
    updates = extract_updates(tracker)
    assert updates["identifiers"] == ["link: instagram.com/jan_2009", "handle: @jan_2009", "iban: NL91ABNA0417164300"]


@pytest.mark.parametrize(
    "slots",
    [
        dict(
            writer="victim",
            paid=True,
            demand_type="meeting",
            material_spread=True,
            age_group="under_18",
            suicide_risk=True,
            platform="instagram",
            handoff_done=True,
            case_code="ABCD-EFGH-JKLM-NPQR",
        ),
        dict(
            writer="on_behalf",
            writer_role="parent",
            demand_type="sex",
            material_spread=True,
            age_group="adult",
            platform="whatsapp",
            advice_given=["removal"],
        ),
        dict(writer="victim", demand_type="money", platform="snapchat"),
        dict(writer="receiver", suicide_risk=True),
    ],
)
def test_the_closing_list_fits_a_phone_screen(slots):
    """At most ~80 words (issue 14); 113 and the case code are never the ones dropped."""
    from actions.conversation import closing_items

    items = closing_items(slots)
    assert 5 + sum(len(i.split()) + 1 for i in items) <= 80, items
    if slots.get("suicide_risk"):
        assert "113" in items[0]
    if slots.get("case_code"):
        assert any(slots["case_code"] in i for i in items)


def test_after_the_questions_the_extorters_details_may_be_typed_once(tracker_from, dispatcher, domain):
    tracker = tracker_with(tracker_from, writer="victim", demand_type="money", topics_done=["script"], stage="facts")
    events = ActionAfterFacts().run(dispatcher, tracker, domain)
    text = joined(dispatcher)
    assert "gebruikersnaam" in text and "IBAN" in text and "Hoeft niet" in text
    tracker.slots.update(slots_of(events))
    dispatcher.messages.clear()
    ActionAfterFacts().run(dispatcher, tracker, domain)
    assert "gebruikersnaam" not in joined(dispatcher)


def test_no_question_for_details_when_they_are_known_or_for_a_receiver(tracker_from, dispatcher, domain):
    known = tracker_with(tracker_from, writer="victim", identifiers=["handle: @jan"], topics_done=["script"])
    ActionAfterFacts().run(dispatcher, known, domain)
    receiver = tracker_with(tracker_from, "report_received_image", writer="receiver")
    ActionAfterFacts().run(dispatcher, receiver, domain)
    assert "IBAN" not in joined(dispatcher)


def test_no_details_pushed_right_after_a_disclosure(tracker_from, dispatcher, domain):
    """ "Nu even niet" to the gentle question after suicidal words: no platform tips or removal now."""
    tracker = tracker_with(
        tracker_from,
        writer="victim",
        platform="instagram",
        material_spread=True,
        age_group="under_18",
        safety_recent=True,
        topics_done=["script"],
        stage="script",
    )
    events = ActionFactsDeclined().run(dispatcher, tracker, domain)
    assert len(texts_of(dispatcher)) == 1 and "Tips voor" not in joined(dispatcher)
    assert slots_of(events)["stage"] == "after"


@pytest.mark.parametrize(
    "text, writer",
    [
        ("mijn vriendin wordt afgeperst door iemand op insta, hij wil dat ze naar hem toe komt", "on_behalf"),
        ("mn broertje wordt gechanteerd met een filmpje", "on_behalf"),
        ("mijn ex-vriend dreigt mijn naaktfoto's te delen", "victim"),
        ("mijn vriend zegt dat hij mijn foto's online zet als ik niet betaal", "victim"),
    ],
)
def test_a_report_about_a_friend_who_is_extorted_is_on_behalf(tracker_from, text, writer):
    """Found on the running system: a friend writing was told "het slachtoffer schrijft zelf"."""
    tracker = with_message(tracker_from, "report_payment_demand", text, "report_blackmail", slots={"writer": None})
    assert extract_updates(tracker).get("writer") == writer


def test_a_new_demand_after_paying_gets_do_not_pay_again(tracker_from, dispatcher, domain):
    """ "200 betaald. bitcoin." then "nu 800. voor maandag." got only the deadline and platform tips
    (conversation suite g_kort.yml, session 28)."""
    tracker = tracker_with(
        tracker_from,
        writer="victim",
        paid=True,
        amount_paid=200.0,
        amount_demanded=800.0,
        demand_type="money",
        stage="facts",
        topics_done=["script", "paid"],
    )
    tracker.events.append({"event": "slot", "name": "amount_demanded", "value": 800.0})
    events = ActionAfterFacts().run(dispatcher, tracker, domain)
    assert "niet nog een keer" in joined(dispatcher).lower()
    tracker.slots.update(slots_of(events))
    dispatcher.messages.clear()
    ActionAfterFacts().run(dispatcher, tracker, domain)
    assert "niet nog een keer" not in joined(dispatcher).lower()  # once
