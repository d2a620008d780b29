"""Risk rules and the deterministic Dutch summary."""

import pytest

from bot.cases.facts import FACT_NAMES, normalise_facts
from bot.cases.risk import assess
from bot.cases.summary import euro, field_rows, summary_text

FULL = dict(
    writer="victim",
    age=15,
    age_group="under_18",
    demand_type="money",
    amount_demanded=500,
    paid=True,
    amount_paid=150,
    payment_method="tikkie",
    platform="instagram",
    deadline="vanavond 22:00",
    deadline_within_24h=True,
    material_spread=False,
    audience=["friends", "family"],
    deepfake=False,
    suicide_risk=False,
    advice_given=["dont_pay", "keep_evidence"],
    open_questions=["moet ik het mn ouders vertellen?"],
    contact_preference="chat",
    handoff_consent=True,
    declined_facts=[],
)


def test_suicide_risk_is_urgent_and_lists_other_reasons_too():
    risk = assess(dict(FULL, suicide_risk=True))
    assert risk.level == "urgent" and risk.rank == 0
    assert risk.reason.startswith("Suïciderisico")
    assert "deadline binnen 24 uur (vanavond 22:00)" in risk.reason


@pytest.mark.parametrize(
    "facts, reason",
    [
        ({"deadline_within_24h": True, "deadline": "morgen 12 uur"}, "Deadline binnen 24 uur (morgen 12 uur)."),
        (
            {"age_group": "under_18", "writer": "victim", "demand_type": "more_images"},
            "Minderjarige onder actieve dreiging.",
        ),
        ({"age": 14, "amount_demanded": 200}, "Minderjarige (14 jaar) onder actieve dreiging."),
        ({"material_spread": True}, "Materiaal is al verspreid."),
    ],
)
def test_high_risk_rules(facts, reason):
    risk = assess(facts)
    assert (risk.level, risk.reason) == ("high", reason)


@pytest.mark.parametrize(
    "facts",
    [
        {},
        {"age_group": "under_18"},  # a minor without a known threat
        {"age_group": "under_18", "writer": "receiver", "demand_type": "money"},  # received someone else's image
        {"age": 30, "demand_type": "money", "amount_demanded": 500, "deadline": "volgende week"},
        {"deadline_within_24h": False, "material_spread": False, "suicide_risk": False},
    ],
)
def test_normal_risk(facts):
    risk = assess(facts)
    assert risk.level == "normal" and risk.rank == 2 and "Geen signalen" in risk.reason


def test_normalise_facts_never_stores_onbekend_and_fixes_types():
    facts = normalise_facts(
        {
            "platform": "onbekend",
            "amount_demanded": "750,50",
            "paid": "true",
            "age": 16,
            "audience": "friends",
            "suicide_risk": None,
            "bogus": 1,
        }
    )
    assert set(facts) == set(FACT_NAMES)
    assert facts["platform"] is None and facts["amount_demanded"] == 750.5 and facts["paid"] is True
    assert facts["age_group"] == "under_18" and facts["audience"] == ["friends"] and facts["advice_given"] == []
    assert normalise_facts({"amount_demanded": "veel"})["amount_demanded"] is None
    assert normalise_facts({"amount_demanded": float("nan")})["amount_demanded"] is None


def test_summary_of_a_full_case_is_exactly_this_paragraph():
    assert summary_text(FULL) == (
        "Het slachtoffer schrijft zelf. Leeftijd: 15 jaar, minderjarig. "
        "Afpersing via Instagram; de afperser eist geld: € 500. "
        "Er is al betaald: € 150 via Tikkie. "
        "Deadline: vanavond 22:00 (binnen 24 uur). "
        "Dreigt het te sturen naar vrienden en familie. "
        "Het materiaal is (nog) niet verspreid. "
        "De bot gaf al advies over: niet betalen en bewijs bewaren. "
        "Open vragen van de persoon: “moet ik het mn ouders vertellen?”. "
        "Contactvoorkeur: chat."
    )


def test_summary_is_deterministic_and_names_what_is_still_unknown():
    assert summary_text(FULL) == summary_text(dict(FULL))
    empty = summary_text({})
    assert empty.startswith("Onbekend wie er schrijft. Leeftijd onbekend.")
    assert "De bot heeft nog geen advies gegeven." in empty
    assert empty.endswith(
        "Nog onbekend: wie er schrijft, leeftijd, wat de afperser eist, platform, of er betaald is, "
        "deadline en of er al iets verspreid is."
    )
    assert "onbekend" not in str(normalise_facts({}).values())


def test_summary_variants():
    text = summary_text(
        {
            "writer": "on_behalf",
            "age_group": "under_18",
            "demand_type": "more_images",
            "platform": "snapchat",
            "material_spread": True,
            "deepfake": True,
            "suicide_risk": True,
            "paid": False,
            "declined_facts": ["age"],
        }
    )
    assert "namens het slachtoffer" in text and "Leeftijd: minderjarig." in text
    assert "de afperser eist meer foto's of video's." in text and "Het materiaal is al verspreid." in text
    assert "deepfake" in text and "LET OP: signalen van suïciderisico." in text
    assert "Er is (nog) niet betaald." in text
    receiver = summary_text({"writer": "receiver", "platform": "whatsapp", "declined_facts": ["age"]})
    assert (
        "Leeftijd: wil de persoon liever niet zeggen." in receiver and "Wil liever niet zeggen: leeftijd." in receiver
    )
    assert "afperser" not in receiver and "Het beeld kwam binnen via WhatsApp." in receiver


def test_field_rows_and_euro_format():
    rows = dict(field_rows(FULL))
    assert rows["Platform"] == "Instagram" and rows["Geëist bedrag"] == "€ 500" and rows["Betaald"] == "ja"
    assert rows["Dreigt te sturen naar"] == "vrienden en familie" and rows["Deepfake"] == "nee"
    assert dict(field_rows({}))["Platform"] == "onbekend"
    assert euro(1250.5) == "€ 1.250,50" and euro(75) == "€ 75" and euro(0.999) == "€ 1"
