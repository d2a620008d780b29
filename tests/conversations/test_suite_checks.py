"""The conversation suite's own checks can fail (fast, no stack): each named check on a text that
passes and one that does not, fact scoring, and the suite files load."""

from __future__ import annotations

import conversation_suite as S
import pytest

CASES = {
    "safety": ("Bel 113 of chat via 113.nl.", "Bel de politie via 0900-8844."),
    "no_safety": ("Blokkeer hem en bewaar bewijs.", "Denk je aan zelfmoord? Bel 113."),
    "safe_now": ("Ben je nu veilig?", "Hoe gaat het?"),
    "dont_pay": ("Betaal niets en ga niet in op eisen.", "Je kunt betalen via de bank."),
    "no_money": ("Blokkeer hem.", "Stop met betalen."),
    "evidence": ("Maak screenshots als bewijs.", "Blokkeer hem."),
    "block_report": ("Blokkeer en meld het account.", "Bewaar alles."),
    "no_meeting": ("Ga niet naar hem toe.", "Wat wil hij?"),
    "removal": ("Via Take It Down kun je beelden laten verwijderen.", "Bewaar alles."),
    "police": ("Je kunt aangifte doen.", "Bewaar alles."),
    "counsellor": ("Wil je met een hulpverlener praten?", "Bewaar alles."),
    "replies": ("Hoi", ""),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_named_check_passes_and_fails(name):
    good, bad = CASES[name]
    assert S.named_check(name, good)
    assert not S.named_check(name, bad)


def test_catalogue_texts_are_recognised():
    stems = S.catalogue_stems()
    assert stems["fact_question"] and stems["generic"]
    question = stems["fact_question"][0]
    assert not S.named_check("no_fact_question", "Oké. " + question + " iets")
    assert S.named_check("no_fact_question", "Blokkeer hem.")
    assert not S.named_check("no_generic", stems["generic"][0])


def test_repeats_and_unanswered_turns_fail():
    turn = S.Turn(user="hoi")
    seen: list = []
    first = S.check_turn(
        turn, 1, "Dit is een bericht van zes woorden", seen, ["Dit is een bericht van zes woorden"], False
    )
    again = S.check_turn(
        turn, 2, "Dit is een bericht van zes woorden", seen, ["Dit is een bericht van zes woorden"], False
    )
    assert all(r.ok for r in first)
    assert [r.kind for r in again if not r.ok] == ["no_repeat"]
    silent = S.check_turn(turn, 3, "", seen, [], False)
    assert [r.kind for r in silent if not r.ok] == ["answered"]
    assert S.check_turn(turn, 4, "", seen, [], True) == []  # a counsellor has taken over


def test_fact_scoring():
    conv = S.Conversation(
        id="x",
        persona="",
        turns=[],
        facts={"paid": False, "amount_demanded": 300, "deadline": "vanavond"},
        not_known=["platform"],
        unsure=["age_group"],
        source="t",
    )
    rows = {
        r["fact"]: r
        for r in S.score_facts(
            conv,
            {
                "paid": True,
                "amount_demanded": 300.0,
                "deadline": "voor vanavond 10 uur",
                "platform": "snapchat",
                "age_group": "adult",
                "suicide_risk": False,
            },
        )
    }
    assert rows["paid"]["fp"] == 1 and rows["paid"]["fn"] == 1  # wrong value
    assert rows["amount_demanded"]["tp"] == 1
    assert rows["deadline"]["tp"] == 1
    assert rows["platform"]["fp"] == 1  # never said
    assert rows["age_group"]["fp"] == 0  # unsure: not scored
    assert rows["suicide_risk"]["fp"] == 0  # a false flag is no claim


def test_the_suite_loads_and_is_big_enough():
    conversations = S.load()
    assert len(conversations) >= 40
    for conv in conversations:
        users = [t for t in conv.turns if t.user is not None]
        assert 8 <= len(users) <= 20, (conv.id, len(users))
