"""Rasa NLU components: several DIET intent rankings averaged (a candidate of session 16 that was
measured on the development sets and NOT adopted: fewer look-alikes read as a report, more reports
missed, docs/nlu.md "Session 16"). Rerun:

    PYTHONPATH=. .venv/bin/python -m rasa train --config bench/diet_seeds.yml --domain domain.yml \
        --data data --out /tmp/cand --fixed-model-name seeds
    PYTHONPATH=. .venv/bin/python scripts/evaluate_devset.py --per-file --model /tmp/cand/seeds.tar.gz \
        scripts/nlu_devset_*.yml

Why: DIET's training is not reproducible across CPUs. The same code and data gave, on the
blind set, false alarms from 0.099 to 0.140 and family recall from 0.893 to 0.909 depending
on the machine kind that trained it. Averaging the rankings of DIETs trained with different
seeds damps that spread (each member's swings are partly independent).

Pipeline: DIET (seed 42, also the entities) → ``StashRanking`` → DIET (seed 43,
``entity_recognition: false``) → ``StashRanking`` → … → DIET → ``AverageRankings``, then
FallbackClassifier, which sees the averaged confidence. Each DIET reports its top 10 of our
27 intents; an intent missing from a member's top 10 counts 0 there. The members' own top
intents stay in ``intent_ensemble`` for review and evaluation.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.rule_component import RuleComponent

ENSEMBLE_KEY = "intent_ensemble"
_STASH = "_stashed_intent_rankings"  # not in the parse output


def average(rankings: List[List[Dict[str, Any]]]) -> List[Dict[str, Any]]:
    """The mean of several rankings, best first (an intent missing in one counts 0 there)."""
    rankings = [r for r in rankings if r]
    if not rankings:
        return []
    total: Dict[str, float] = {}
    for ranking in rankings:
        for entry in ranking:
            if entry.get("name"):
                total[entry["name"]] = total.get(entry["name"], 0.0) + float(entry.get("confidence") or 0.0)
    mixed = [{"name": n, "confidence": c / len(rankings)} for n, c in total.items()]
    # name as tie-breaker: the same input always gives the same order
    return sorted(mixed, key=lambda e: (-e["confidence"], e["name"]))


def _current(message: Message) -> List[Dict[str, Any]]:
    ranking = message.get(INTENT_RANKING_KEY) or []
    if not ranking and (message.get(INTENT) or {}).get("name"):
        ranking = [message.get(INTENT)]
    return [dict(e) for e in ranking]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class StashRanking(RuleComponent):
    """Keeps the ranking of the DIET before it for ``AverageRankings``."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            message.set(_STASH, (message.get(_STASH) or []) + [_current(message)])
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class AverageRankings(RuleComponent):
    """Averages the stashed rankings with the one of the DIET right before it."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            members = (message.get(_STASH) or []) + [_current(message)]
            message.data.pop(_STASH, None)
            ranking = average(members)
            if not ranking:
                continue
            message.set(ENSEMBLE_KEY, {"members": [m[0]["name"] if m else None for m in members]}, add_to_output=True)
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[:10], add_to_output=True)
        return messages
