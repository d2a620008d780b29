import pytest

from bot.redact import BANK, EMAIL, NUMBER, PHONE, redact, redact_value


@pytest.mark.parametrize(
    "text, hidden",
    [
        ("bel me op 06-12345678", "06-12345678"),
        ("mn nummer is 0612345678", "0612345678"),
        ("06 12 34 56 78", "06 12 34 56 78"),
        ("app me +31 6 1234 5678", "+31 6 1234 5678"),
        ("+31612345678", "+31612345678"),
        ("0031 6 12345678", "0031 6 12345678"),
        ("vast nummer 020-1234567", "020-1234567"),
        ("(010) 123 45 67", "(010) 123 45 67"),
        ("bel +44 20 7946 0958", "+44 20 7946 0958"),
        ("612345678 is mijn nummer", "612345678"),
    ],
)
def test_phone_numbers_are_masked(text, hidden):
    out = redact(text)
    assert hidden not in out and PHONE in out


@pytest.mark.parametrize(
    "text, hidden",
    [
        ("mail me: jan.de.vries+x@gmail.com", "jan.de.vries+x@gmail.com"),
        ("MIJN MAIL IS Lisa_2009@Hotmail.NL", "Lisa_2009@Hotmail.NL"),
    ],
)
def test_email_addresses_are_masked(text, hidden):
    out = redact(text)
    assert hidden not in out and EMAIL in out


@pytest.mark.parametrize(
    "text, hidden",
    [
        ("hij wil het op NL91 ABNA 0417 1643 00", "NL91 ABNA 0417 1643 00"),
        ("iban nl91abna0417164300 aub", "nl91abna0417164300"),
        ("DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"),
    ],
)
def test_ibans_are_masked(text, hidden):
    out = redact(text)
    assert hidden not in out and BANK in out


def test_two_ibans_keep_the_words_between_them():
    assert redact("NL91 ABNA 0417 1643 00 of NL02RABO0123456789") == f"{BANK} of {BANK}"


def test_old_bank_numbers_and_long_digit_runs_are_masked():
    assert redact("rekening 123456789") == f"rekening {NUMBER}"


@pytest.mark.parametrize(
    "text",
    [
        "hij wil 500 euro voor 22:00",
        "op 22-11-2025 om 23:15",
        "1.000.000 euro",
        "ik ben 15",
        "€1500,00 via tikkie",
        "bel 113 of 0800-0113",
        "112",
        "Helpwanted: info@helpwanted.nl of 020-2615275",
        "politie 0900-8844",
        "ab12 abcd efgh ijkl m",
        "",
    ],
)
def test_ordinary_text_and_public_helpline_numbers_stay(text):
    assert redact(text) == text


def test_redact_value_walks_lists_and_dicts():
    value = {"contact_preference": "bel 0612345678", "open_questions": ["mail a@b.nl?"], "age": 15}
    assert redact_value(value) == {
        "contact_preference": f"bel {PHONE}",
        "open_questions": [f"mail {EMAIL}?"],
        "age": 15,
    }
    assert redact(None) == ""


@pytest.mark.parametrize(
    "text, hidden",
    [
        ("bel 06 - 12345678", "12345678"),
        ("06 - 12 34 56 78", "34 56"),
        ("06_12_34_56_78", "12_34"),
        ("06\u201312345678", "12345678"),
        ("06\u2014 12 34 56 78", "56 78"),
        ("mail jan [at] gmail [dot] com", "gmail"),
        ("jan (at) gmail.com", "gmail"),
        ("volg @jan_devries2009 op insta", "jan_devries2009"),
        ("ik woon Dorpsstraat 12a", "Dorpsstraat"),
        ("postcode 1234 AB", "1234 AB"),
    ],
)
def test_formats_the_security_review_found_are_masked(text, hidden):
    """Issue 16, finding 2: these slipped past the masking."""
    assert hidden not in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "bel 113 of 0800-0113",
        "info@helpwanted.nl",
        "hij wil 500 euro voor 22:00",
        "ik ga weg 2 dagen",
        "op 12-03-2026 om 14:00",
        "ik ben 15",
    ],
)
def test_ordinary_text_stays_readable(text):
    assert redact(text) == text


def test_risk_reason_is_masked_for_counsellors(database_url):
    """The risk reason quotes the deadline as typed; it showed a phone number unmasked."""
    from bot.cases.service import CaseService

    service = CaseService.from_settings()
    case = service.open_case("conv-risk", {"deadline": "vanavond, bel 0612345678", "deadline_within_24h": True})
    shown = service.get(case["id"])
    assert "0612345678" not in shown["risk_reason"] and "verborgen" in shown["risk_reason"]
    assert "0612345678" not in service.list_cases("all")[0]["risk_reason"]
    assert "0612345678" in service.get(case["id"], reveal=True)["risk_reason"]


@pytest.mark.parametrize(
    "text",
    [
        "Ik at pizza. Toen ging ik slapen",
        "onderweg 500 euro",
        "Kerkhof 3 dagen",
        "van 09.00 - 17.00",
        "10.000 - 20.000 euro",
        "1000 - 25000 euro",
        "1500 EU",
        "2023 NL",
    ],
)
def test_no_false_masks_from_the_review(text):
    assert redact(text) == text


def test_crafted_text_is_masked_quickly():
    import time

    t = time.perf_counter()
    redact("a-a-" * 500)
    redact(("Dorpsstraat " * 300)[:2000])
    assert time.perf_counter() - t < 0.1
