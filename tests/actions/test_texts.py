"""The texts: complete, Dutch contact details right, and the advice rules of helpline-facts.md."""
import re

import yaml

from actions import texts
from tests_paths import ROOT


def all_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from all_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from all_strings(v)


def every_text():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return list(all_strings(texts.texts())) + list(all_strings(domain["responses"]))


def test_never_advise_to_pay_and_never_ask_why():
    for text in every_text():
        low = text.lower()
        assert "waarom heb je" not in low and "waarom stuurde" not in low, text
        assert not re.search(r"\b(betaal maar|je kunt beter betalen|betaal gewoon)\b", low), text


def every_person_text():
    """Everything a person can read: Rasa's texts and the web app's own notices (bot/chat/texts.py)."""
    from bot.chat.texts import MESSAGES

    return every_text() + list(MESSAGES.values())


# Advice that destroys evidence or makes a copy of the image (issue 14). One lint over every
# text, so no path can give it: a new text with such advice fails here, wherever it is used.
EVIDENCE_LOSS = [
    (r"(?<!níet ')(?<!niet ')(?<!geen ')opslaan in chat", "Snapchat's 'Opslaan in chat' also saves the image itself"),
    (r"(kun|kan|mag) je (daarna |dan )?(de |je |het )?(match|chat|gesprek|account)\w* (verwijderen|wissen)",
     "deleting the match, chat or account destroys the evidence"),
    # "Verwijder het account ... en de chat niet" is fine; "verwijder de chat zodat ... niet" is not
    (r"\bverwijder (de|je|het|jullie) (match|chat|gesprek|account|berichten)\b(?!(?:(?!zodat|omdat|want)[^.:])*\bniet\b)",
     "deleting the match, chat or account destroys the evidence"),
    (r"(?<!géén )(?<!geen )screenshot\w* van (de|je|het|die) (naakt\w*|foto|video|filmpje|beelden?)\b",
     "a screenshot of the image is a copy of it (illegal when the person is under 18)"),
    (r"\b(stuur|bewaar) (de|je|het|die) (naakt\w*|foto|video|filmpje|beelden?) (door|op)\b",
     "forwarding or keeping the image"),
    (r"betalen (kan|zal) (helpen|werken)|het beste (is|kun je) (te )?betalen", "never suggest that paying helps"),
]


def test_no_text_gives_advice_that_destroys_evidence_or_copies_the_image():
    for text in every_person_text():
        low = text.lower()
        for pattern, why in EVIDENCE_LOSS:
            assert not re.search(pattern, low), f"{why}: {text}"


def test_the_evidence_lint_catches_what_it_is_for():
    bad = ["Melden: kies 'Rapporteer'. Daarna kun je de match verwijderen.",
           "Houd een bericht ingedrukt en kies 'Opslaan in chat'.",
           "Maak een screenshot van de naaktfoto voor de politie.",
           "Verwijder de chat zodat je er niet meer aan denkt."]
    for text in bad:
        assert any(re.search(p, text.lower()) for p, _ in EVIDENCE_LOSS), text
    good = ["Verwijder de chat niet: dat is bewijs.", "Maak géén screenshot van de foto zelf.",
            "Kies níet 'Opslaan in chat': dan bewaar je ook de foto."]
    for text in good:
        assert not any(re.search(p, text.lower()) for p, _ in EVIDENCE_LOSS), text


def test_no_formal_u_in_texts_for_the_person():
    for text in every_person_text():
        assert not re.search(r"\b(u|uw)\b", text.lower()), text


def test_numbers_are_the_ones_in_helpline_facts():
    joined = "\n".join(every_text())
    for number in re.findall(r"\b0\d{2,3}-\d{4,7}\b", joined):
        assert number in {"0800-0113", "020-2615275", "0900-8844", "0800-0188", "0800-0432"}, number
    assert "info@helpwanted.nl" in joined and "113.nl" in joined and "112" in joined


def test_frequent_texts_have_two_variants():
    for key in ["ack_victim", "step1_dont_pay", "step2_evidence", "step3_block", "script_next", "deadline",
                "facts_start", "facts_thanks", "answer_should_pay", "answer_evidence", "answer_block",
                "answer_police", "answer_is_crime", "answer_anonymous", "invite_story", "anything_else",
                "rephrase", "default_fallback", "greet", "goodbye"]:
        assert len(texts.variants(key)) >= 2, key


def test_conditional_variants():
    assert "Take It Down" in texts.text("removal", {"age_group": "under_18"})
    assert "StopNCII" in texts.text("removal", {"age_group": "adult"})
    assert "afperser" in texts.text("ask_amount_demanded", {"writer": "on_behalf"})
    assert "{" not in texts.text("counsellors_offline", {}, next_opening="x", next_opening_cap="X")


def test_platform_tips_cover_the_required_platforms_with_evidence_first():
    for platform in ["instagram", "snapchat", "tiktok", "discord", "whatsapp", "telegram"]:
        tips = texts.entry("platform_tips", platform)
        assert tips.index("Bewijs") < tips.index("Blokkeren" if "Blokkeren:" in tips else "blokkeren"), platform
        assert "Melden" in tips or "Rapporteren" in tips


def test_every_variant_keeps_the_key_message():
    must = {
        "step1_dont_pay": ["niet"], "step1_paid": ["bank"], "step1_meeting": ["112"],
        "step2_evidence": ["screenshot", "níet" ], "step3_block": ["blokkeer", "account"],
        "answer_should_pay": ["niet betal", "betaal niet"], "answer_police": ["0900-8844"],
        "ack_victim": ["niet jouw schuld", "niet bij jou"], "deadline": ["deadline"],
    }
    for key, fragments in must.items():
        for variant in texts.variants(key) + [v for v in map(dict, [x for x in texts.raw(key) if isinstance(x, dict)])]:
            low = variant["text"].lower()
            if key == "step2_evidence":
                assert "screenshot" in low and ("níet" in low or "géén" in low), variant
            elif key in ("answer_should_pay", "ack_victim"):
                assert any(f in low for f in fragments), variant
            else:
                assert all(f.lower() in low for f in fragments), variant


def test_every_text_is_used_and_every_used_text_exists():
    import pathlib

    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "actions").glob("*.py"))
    dynamic = {f"ask_{slot}" for slot in ["writer", "demand_type", "amount_demanded", "paid", "amount_paid",
                                          "platform", "deadline", "material_spread", "age_group"]}
    for key in texts.texts():
        assert key in dynamic or f'"{key}"' in code, f"unused text {key}"
    for key in re.findall(r'(?:say|text|raw|entry|variants)\(\s*(?:dispatcher,\s*)?"([a-z_0-9]+)"', code):
        assert key in texts.texts(), f"missing text {key}"
    assert pathlib.Path(texts.RESPONSES_FILE).exists()
