"""The comparison configs must stay in step with config.yml, or the pipeline comparison in
docs/nlu.md compares something other than what runs in production."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SPACY_FRONT = ["SpacyNLP", "SpacyTokenizer", "SpacyFeaturizer"]
NOT_IN_CV = {
    "FallbackClassifier",
    "bot.nlu.report_net.ReportNetClassifier",
    "bot.nlu.report_verifier.ReportVerifier",
    "bot.nlu.question_topics.QuestionTopicClassifier",
    "bot.nlu.safety_net.SuicideSafetyNet",
}


def load(path: str) -> dict:
    return yaml.safe_load((ROOT / path).read_text())


def names(pipeline: list) -> list:
    return [c["name"] for c in pipeline]


def test_production_config_uses_the_dutch_spacy_pipeline():
    prod = load("config.yml")["pipeline"]
    assert names(prod)[:3] == SPACY_FRONT
    assert prod[0]["model"] == "nl_core_news_sm"
    assert names(prod)[-1] == "bot.nlu.safety_net.SuicideSafetyNet"  # must stay last
    # after the fallback, before safety: the report net, the report verifier (session 24: it reads
    # the net's verdict), then the question topics (issue 15)
    assert names(prod)[-4:-1] == [
        "bot.nlu.report_net.ReportNetClassifier",
        "bot.nlu.report_verifier.ReportVerifier",
        "bot.nlu.question_topics.QuestionTopicClassifier",
    ]


def test_whitespace_candidate_differs_from_production_only_in_the_tokenizer():
    prod, cand = load("config.yml"), load("configs/candidates/whitespace_ngrams.yml")
    assert names(cand["pipeline"])[0] == "WhitespaceTokenizer"
    assert cand["pipeline"][1:] == prod["pipeline"][3:]
    assert cand["policies"] == prod["policies"]


def test_cv_configs_are_production_minus_fallback_and_safety_net():
    prod = [c for c in load("config.yml")["pipeline"] if c["name"] not in NOT_IN_CV]
    assert load("configs/cv/spacy_ngrams.yml")["pipeline"] == prod
    assert load("configs/cv/whitespace_ngrams.yml")["pipeline"] == [{"name": "WhitespaceTokenizer"}] + prod[3:]
    spacy_only = load("configs/cv/spacy.yml")["pipeline"]
    assert spacy_only == [c for c in prod if c["name"] != "CountVectorsFeaturizer"]
    for path in ("configs/cv/spacy.yml", "configs/cv/spacy_ngrams.yml", "configs/cv/whitespace_ngrams.yml"):
        assert not NOT_IN_CV & set(names(load(path)["pipeline"])), path


def test_rasa_init_candidate_is_rasa_init_plus_the_production_nets():
    """The blind comparison (docs/nlu.md) runs `rasa init`'s classifier with the same
    deterministic parts after it as production, so the nets cannot drift between them."""
    bench = load("bench/rasa_init_config.yml")["pipeline"]
    cand = load("configs/candidates/rasa_init_nets.yml")
    prod = load("config.yml")
    front = [c for c in bench if c["name"] not in ("ResponseSelector", "FallbackClassifier")]
    diet = dict(front[names(front).index("DIETClassifier")], random_seed=42)
    front[names(front).index("DIETClassifier")] = diet
    assert cand["pipeline"][: len(front)] == front
    prod_tail = prod["pipeline"][names(prod["pipeline"]).index("bot.nlu.money_spans.MoneySpans") :]
    cand_tail = cand["pipeline"][len(front) :]
    fallback = next(c for c in bench if c["name"] == "FallbackClassifier")
    assert cand_tail == [fallback if c["name"] == "FallbackClassifier" else c for c in prod_tail]
    assert cand["policies"] == prod["policies"]


def test_large_diet_candidate_differs_from_production_only_in_diet_size():
    prod, cand = load("config.yml"), load("configs/candidates/spacy_large_diet.yml")
    diet = {"epochs": 100, "transformer_size": 256, "number_of_transformer_layers": 2}
    assert cand["pipeline"] == [dict(c, **diet) if c["name"] == "DIETClassifier" else c for c in prod["pipeline"]]
    assert cand["policies"] == prod["policies"]
