"""Unambiguous money expressions and the MoneySpans NLU component (bot/language/money.py)."""

import pytest

from bot.language.money import money_spans, normalise_amount


def spans(text):
    return [text[s:e] for s, e in money_spans(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("hij wil 500 euro voor vanavond", ["500 euro"]),
        ("€ 50,- via tikkie", ["€ 50,-"]),
        ("stuur 2k of ik post het", ["2k"]),
        ("60 ballen en anders", ["60 ballen"]),
        ("ik ben 15 en hij wil 1.500,- voor vrijdag", ["1.500,-"]),
        ("vijfhonderd ballen", ["vijfhonderd ballen"]),
        ("twee duizend euro", ["twee duizend euro"]),
        ("300eu op mn rekening", ["300eu"]),
        ("eerst 50€ en toen $200", ["50€", "$200"]),
        ("1.250,50 euro", ["1.250,50 euro"]),
        ("2,5k", ["2,5k"]),
    ],
)
def test_finds_money_with_the_guides_span(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "hij wil 200",  # bare number: DIET's call, not a pattern's
        "de 2e keer dat hij het vraagt",
        "ik ben 16 jaar",
        "om 10.30 uur",
        "hij wil 10 foto's",
        "binnen 24 uur",
        "",
    ],
)
def test_leaves_ages_times_counts_and_bare_numbers_alone(text):
    assert spans(text) == []


def test_every_found_span_normalises_to_an_amount():
    text = "500 euro, €1.500,-, 2k, 60 ballen, vijfhonderd euro, 300eu, $200"
    assert [normalise_amount(s) for s in spans(text)] == [500, 1500, 2000, 60, 500, 300, 200]


def test_component_fixes_cut_short_and_mislabelled_spans_and_keeps_others():
    from bot.nlu.money_spans import MoneySpans

    component = MoneySpans(MoneySpans.get_default_config())
    text = "ik ben 15 en hij wil 60 ballen via paypal voor 500 euro"
    diet = [
        {"entity": "age", "start": 7, "end": 9, "value": "15"},
        {"entity": "amount", "start": 21, "end": 23, "value": "60"},  # cut short
        {"entity": "payment_method", "start": 35, "end": 41, "value": "paypal"},
        {"entity": "deadline", "start": 46, "end": 49, "value": "500"},  # mislabelled
    ]
    fixed = component.fix(text, diet)
    assert [(e["entity"], text[e["start"] : e["end"]]) for e in fixed] == [
        ("age", "15"),
        ("amount", "60 ballen"),
        ("payment_method", "paypal"),
        ("amount", "500 euro"),
    ]
    assert component.fix("hoi", []) == []


@pytest.mark.parametrize(
    "text, number, kind",
    [
        ("hoe doe ik aangifte als ik 15 ben", "15", "age"),
        ("geld of mn pics gaan naar mn moeder, ik ben 13", "13", "age"),
        ("ben pas 14 en hij wil geld", "14", "age"),
        ("het staat op tiktok en heeft al 2000 views", "2000", "count"),
        ("al 4 keer betaald", "4", "count"),
        ("een nude van een meisje uit de 3e", "3", "count"),
        ("heb al 3 paysafecards gestuurd van 50 elk", "3", "count"),
        ("heb al 3 paysafecards gestuurd van 50 elk", "50", "amount"),
        ("hij wil 200 anders", "200", "amount"),
        ("een bedrag van 500", "500", "amount"),
        # session 14: the age of someone named, under 100 only
        ("mn broertje is 14 en iemand op discord wil 50 euro", "14", "age"),
        ("Onze zoon is 16 en heeft gisteren betaald", "16", "age"),
        ("vader hier. zoon 15 afgeperst", "15", "age"),
        ("de vader van een jongen van 13", "13", "age"),
        ("is het strafbaar als we allebei 17 zijn", "17", "age"),
        ("het is 300 zegt hij", "300", "amount"),
        ("hij wil dat ik 1 vriend tag", "1", "count"),
        ("zet hij het in een groep met 500 mensen", "500", "count"),
        # session 26 (conversation suite): a helpline number of texts/helplines.yml is no amount
        ("kan ik hier ook met een echt iemand praten of alleen bij 113?", "113", "phone"),
        ("moet ik 112 bellen", "112", "phone"),
    ],
)
def test_bare_number_kind(text, number, kind):
    from bot.language.money import bare_number_kind

    start = text.index(number)
    assert bare_number_kind(text, start, start + len(number)) == kind


def test_component_drops_counts_and_relabels_ages():
    from bot.nlu.money_spans import MoneySpans

    component = MoneySpans(MoneySpans.get_default_config())
    text = "al 4 keer betaald, ik ben 15, hij wil 200"
    diet = [
        {"entity": "amount", "start": 3, "end": 4, "value": "4"},
        {"entity": "amount", "start": 26, "end": 28, "value": "15"},
        {"entity": "amount", "start": 38, "end": 41, "value": "200"},
    ]
    fixed = component.fix(text, diet)
    assert [(e["entity"], text[e["start"] : e["end"]]) for e in fixed] == [("age", "15"), ("amount", "200")]


def test_component_makes_a_number_nobody_can_be_old_an_amount():
    """ "300" as the answer after "geld" was tagged as an age by one machine kind's DIET (session 14)."""
    from bot.nlu.money_spans import MoneySpans

    component = MoneySpans(MoneySpans.get_default_config())
    for text, kind in (("300", "amount"), ("1.000", "amount"), ("15", "age"), ("ik ben 99", "age")):
        start = text.rfind(" ") + 1
        fixed = component.fix(text, [{"entity": "age", "start": start, "end": len(text), "value": text[start:]}])
        assert [e["entity"] for e in fixed] == [kind], text


def test_component_drops_diet_amounts_that_hold_no_money():
    """Words, times and numbers in a message about something else are no amounts (session 14)."""
    from bot.nlu.money_spans import MoneySpans

    component = MoneySpans(MoneySpans.get_default_config())
    for text, surface, kept in (
        ("anders zet hij mn video in een groep met duizenden mensen", "duizenden", False),
        ("hij wil het voor 17.00 uur", "17.00 uur", False),
        ("kun je mijn huiswerk maken, hoofdstuk 4 opgave 12", "12", False),
        ("test test 123", "123", True),  # three words: a short answer may be an amount
        ("hij wil 200 anders gaat het naar mn ma", "200", True),
        ("eerst 75 en toen nog 150 betaald", "150", True),
    ):
        start = text.index(surface)
        diet = [{"entity": "amount", "start": start, "end": start + len(surface), "value": surface}]
        assert bool(component.fix(text, diet)) is kept, text


def test_a_helpline_number_is_no_amount_unless_it_is_money():
    """ "of alleen bij 113?" gave the case an amount demanded of 113 (conversation suite, d_midden.yml).
    The numbers come from texts/helplines.yml; with a money marker the same digits are an amount."""
    from bot.helplines import numbers
    from bot.language.money import find_amounts, helpline_digits

    assert {"113", "112", "0800-0113"} <= numbers()
    # the same source read twice (bot/language may not import bot.helplines): nothing drifts
    assert {"".join(c for c in n if c.isdigit()) for n in numbers()} <= helpline_digits()
    for text in (
        "oke. kan ik hier ook met een echt iemand praten of alleen bij 113?",
        "bel 0800-0113",
        "ik heb 112 gebeld",
    ):
        assert find_amounts(text) == [], text
    assert [v for _, v, _ in find_amounts("ik heb 113 euro betaald, hij wil nu €112")] == [113.0, 112.0]
    assert [v for _, v, _ in find_amounts("hij wil 300, ik heb 113 gebeld")] == [300.0]


def test_component_drops_a_helpline_number_tagged_as_an_age_or_an_amount():
    """ "of alleen bij 113?": this kind's DIET tagged 113 as an age, which became an amount (nobody is
    100 or older) and the case's amount demanded (conversation suite, d_midden.yml, session 26)."""
    from bot.nlu.money_spans import MoneySpans

    component = MoneySpans(MoneySpans.get_default_config())
    text = "oke. kan ik hier ook met een echt iemand praten of alleen bij 113?"
    start = text.index("113")
    for entity in ("age", "amount"):
        assert component.fix(text, [{"entity": entity, "start": start, "end": start + 3, "value": "113"}]) == []
