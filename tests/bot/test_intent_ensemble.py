"""The averaging of several DIET rankings (bench/diet_seeds.py, a candidate not in config.yml) on real Rasa Messages."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bench.diet_seeds import ENSEMBLE_KEY, AverageRankings, StashRanking, average


def ranked(message: Message, pairs: list) -> Message:
    ranking = [{"name": n, "confidence": c} for n, c in pairs]
    message.set(INTENT, ranking[0])
    message.set(INTENT_RANKING_KEY, ranking)
    return message


def test_average_counts_a_missing_intent_as_zero_and_breaks_ties_by_name():
    out = average(
        [
            [{"name": "report_blackmail", "confidence": 0.6}, {"name": "out_of_scope", "confidence": 0.4}],
            [{"name": "out_of_scope", "confidence": 0.8}, {"name": "greet", "confidence": 0.2}],
        ]
    )
    assert [(e["name"], round(e["confidence"], 3)) for e in out] == [
        ("out_of_scope", 0.6),
        ("report_blackmail", 0.3),
        ("greet", 0.1),
    ]
    tie = average([[{"name": "b", "confidence": 0.5}, {"name": "a", "confidence": 0.5}]])
    assert [e["name"] for e in tie] == ["a", "b"]
    assert average([]) == [] and average([[], []]) == []


def test_two_members_outvote_one_and_the_stash_leaves_no_trace():
    m = Message(data={TEXT: "hij wil 200 euro anders deelt hij mijn foto"})
    stash, final = StashRanking({}), AverageRankings({})
    stash.process([ranked(m, [("report_payment_demand", 0.9), ("report_blackmail", 0.1)])])
    stash.process([ranked(m, [("report_blackmail", 0.55), ("report_payment_demand", 0.45)])])
    final.process([ranked(m, [("report_payment_demand", 0.7), ("report_blackmail", 0.3)])])
    assert m.get(INTENT)["name"] == "report_payment_demand"
    assert abs(m.get(INTENT)["confidence"] - (0.9 + 0.45 + 0.7) / 3) < 1e-9
    assert m.get(ENSEMBLE_KEY) == {"members": ["report_payment_demand", "report_blackmail", "report_payment_demand"]}
    assert "_stashed_intent_rankings" not in m.data
    assert "_stashed_intent_rankings" not in m.as_dict_nlu()


def test_a_message_without_any_ranking_is_left_alone():
    m = Message(data={TEXT: "/greet"})
    AverageRankings({}).process([m])
    assert m.get(INTENT) is None and m.get(ENSEMBLE_KEY) is None
