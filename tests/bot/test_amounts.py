import pytest

from bot.language.money import find_amounts, normalise_amount


@pytest.mark.parametrize(
    "text, expected",
    [
        ("500", 500.0),
        ("€750", 750.0),
        ("€ 750", 750.0),
        ("1.500", 1500.0),
        ("1,500", 1500.0),
        ("1.250,50", 1250.5),
        ("12,50", 12.5),
        ("500,-", 500.0),
        ("2k", 2000.0),
        ("2,5k", 2500.0),
        ("1.5k", 1500.0),
        ("2 duizend", 2000.0),
        ("300 eu", 300.0),
        ("500 euro", 500.0),
        ("50euro", 50.0),
        ("$200", 200.0),
        ("50 ballen", 50.0),
        ("honderd euro", 100.0),
        ("vijftig ballen", 50.0),
        ("tweehonderdvijftig", 250.0),
        ("twee honderd", 200.0),
        ("vijfentwintig euro", 25.0),
        ("duizend", 1000.0),
        ("drieduizend vijfhonderd", 3500.0),
        ("elfhonderd", 1100.0),
        ("1.000.000", 1_000_000.0),
        (750, 750.0),
    ],
)
def test_amounts_are_normalised_to_euros(text, expected):
    assert normalise_amount(text) == expected


@pytest.mark.parametrize("text", [None, "", "een paar honderd", "veel geld", "ongeveer wat", "geen idee", "-5"])
def test_unclear_amounts_are_none(text):
    assert normalise_amount(text) is None


def test_find_amounts_in_a_sentence():
    found = [value for _chunk, value, _pos in find_amounts("eerst 150 euro en nu willen ze €2.000")]
    assert found == [150.0, 2000.0]
