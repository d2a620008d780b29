"""scripts/cv_authors.py: development sets turned into training examples (silver labels) and the
folds over authors. Pure functions and a fake parser; no model needed."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import cv_authors as cv  # noqa: E402

from bot.language.trainer_files import nlu_examples  # noqa: E402


def test_every_author_is_in_exactly_one_fold_and_no_blind_file_is():
    files = [f for fold in cv.FOLDS for f in fold]
    assert len(files) == len(set(files))
    assert all((ROOT / f).exists() for f in files)
    assert not any("tests/nlu/blind/" in f or f.endswith("test_set.yml") for f in files)
    # every development file of the project is in a fold (a new one must be placed)
    dev = {str(p.relative_to(ROOT)) for p in (ROOT / "scripts").glob("nlu_devset_*.yml")}
    dev |= {str(p.relative_to(ROOT)) for p in (ROOT / "bench" / "training_candidates").glob("*.yml")}
    assert dev <= set(files)


def test_spans_keep_the_longest_of_overlapping_entities():
    text = "hij wil 300 euro via tikkie"
    ents = [
        {"start": 8, "end": 11, "entity": "amount"},
        {"start": 8, "end": 16, "entity": "amount"},
        {"start": 21, "end": 27, "entity": "payment_method"},
        {"start": 3, "end": 3, "entity": "amount"},  # empty: dropped
    ]
    spans = cv._spans(ents, text)
    assert spans == [(8, 16, "amount"), (21, 27, "payment_method")]
    assert cv._markup(text, spans) == "hij wil [300 euro](amount) via [tikkie](payment_method)"


def test_amounts_that_cannot_be_read_as_euros_are_not_trained():
    text = "hij wil zoveel of 300 euro"
    spans = cv._readable([(8, 14, "amount"), (18, 26, "amount")], text)
    assert spans == [(18, 26, "amount")]


class FakeAgent:
    """The production model's reading, as scripts/cv_authors.py uses it."""

    def __init__(self, readings: dict):
        self.readings = readings

    async def parse_message(self, text):
        intent, net, entities = self.readings.get(text, ("out_of_scope", None, []))
        return {"intent": {"name": intent}, "entities": entities, "safety_net": net}


def test_silver_labels(tmp_path):
    path = tmp_path / "dev.yml"
    path.write_text(
        yaml.safe_dump(
            {
                "payment": ["hij wil 50 euro", "hij wil 50 euro anders maak ik er een eind aan"],
                "other": ["is sexting strafbaar", "mijn account is gehackt en hij wil geld", "[link](x)"],
                "on_behalf": ["mijn zoon wordt gechanteerd"],
            },
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    agent = FakeAgent(
        {
            "hij wil 50 euro": ("report_blackmail", None, [{"start": 8, "end": 15, "entity": "amount"}]),
            # the net always wins: a report that names suicide is not taught as a report
            "hij wil 50 euro anders maak ik er een eind aan": ("express_suicidal", {"by": "phrases"}, []),
            "is sexting strafbaar": ("ask_is_crime", None, []),
            "mijn account is gehackt en hij wil geld": ("report_payment_demand", None, []),
            "mijn zoon wordt gechanteerd": ("report_blackmail", None, []),
        }
    )
    rows = asyncio.run(cv.silver(agent, str(path)))
    assert rows == [
        ("report_payment_demand", "hij wil 50 euro", [(8, 15, "amount")]),  # gold intent, silver entity
        ("ask_is_crime", "is sexting strafbaar", []),  # a look-alike keeps a reading that is no report
        ("out_of_scope", "mijn account is gehackt en hij wil geld", []),  # a false alarm is taught away
        ("report_on_behalf", "mijn zoon wordt gechanteerd", []),
    ]
    out = tmp_path / "out.yml"
    seen = {"is sexting strafbaar"}  # already in data/nlu: not twice
    assert cv.write_nlu(rows, out, "test", seen) == 3
    written = nlu_examples(out, annotated=True)
    assert ("report_payment_demand", "hij wil [50 euro](amount)") in written
    assert ("ask_is_crime", "is sexting strafbaar") not in written
    assert nlu_examples(out) == [(i, t.replace("[50 euro](amount)", "50 euro")) for i, t in written]


def test_windows_keep_whole_sentences_within_the_word_cap():
    text = "Ik ben 15. Hij heeft mijn foto. Hij wil 50 euro anders stuurt hij hem door. Help."
    assert cv.windows(text, 40) == [(0, len(text))]  # fits: the whole message
    got = [text[a:b] for a, b in cv.windows(text, 9)]
    # "Hij heeft mijn foto." alone is inside the first window, so it is not a window of its own
    assert got == ["Ik ben 15. Hij heeft mijn foto.", "Hij wil 50 euro anders stuurt hij hem door.", "Help."]
    with pytest.raises(ValueError):
        cv.windows(text, 0)
    long = " ".join(["woord"] * 12) + ". Kort."
    assert [long[a:b] for a, b in cv.windows(long, 5)][0] == "woord woord woord woord woord"


def test_annotated_examples_become_text_and_spans():
    text, spans = cv._unmark("hij wil [50 euro](amount) via [tikkie](payment_method)")
    assert text == "hij wil 50 euro via tikkie"
    assert [(text[s:t], e) for s, t, e in spans] == [("50 euro", "amount"), ("tikkie", "payment_method")]
    assert cv._markup(text, spans) == "hij wil [50 euro](amount) via [tikkie](payment_method)"


class RankingAgent:
    """A parser whose confidence for report_blackmail is given per text."""

    def __init__(self, confidence: dict):
        self.confidence = confidence

    async def parse_message(self, text):
        c = self.confidence.get(text, 0.1)
        ranking = [{"name": "report_blackmail", "confidence": c}, {"name": "out_of_scope", "confidence": 1 - c}]
        ents = [{"start": text.find("Insta"), "end": text.find("Insta") + 5, "entity": "platform"}] * ("Insta" in text)
        return {"intent": {"name": ranking[0 if c > 0.5 else 1]["name"]}, "intent_ranking": ranking, "entities": ents}


def test_a_long_message_is_trained_as_the_window_read_most_as_its_label(tmp_path):
    story = "Ik ken hem van school. We spraken op Insta. Hij dreigt mijn naaktfoto te delen."
    look = "Mijn oom zit op Insta. Een nepaccount wil geld voor een prijs. Ik twijfel."
    path = tmp_path / "dev.yml"
    path.write_text(yaml.safe_dump({"blackmail": [story], "other": [look]}), encoding="utf-8")
    agent = RankingAgent(
        {
            "We spraken op Insta. Hij dreigt mijn naaktfoto te delen.": 0.9,
            "Een nepaccount wil geld voor een prijs. Ik twijfel.": 0.6,
        }
    )
    rows = asyncio.run(cv.silver(agent, str(path), max_words=10))
    assert rows[0][:2] == ("report_blackmail", "We spraken op Insta. Hij dreigt mijn naaktfoto te delen.")
    assert [(rows[0][1][s:t], e) for s, t, e in rows[0][2]] == [("Insta", "platform")]  # entities of the window
    # a look-alike: the window most like a report is kept, as a hard negative
    assert rows[1][:2] == ("out_of_scope", "Een nepaccount wil geld voor een prijs. Ik twijfel.")
    # without a cap the whole message is kept
    whole = asyncio.run(cv.silver(agent, str(path)))
    assert [r[1] for r in whole] == [story, look]
    # annotated files keep their gold entities, cut to the window
    nlu = tmp_path / "gold.yml"
    nlu.write_text(
        'version: "3.1"\nnlu:\n- intent: report_blackmail\n  examples: |\n'
        "    - Ik ken hem van school. We spraken op [Insta](platform). Hij dreigt mijn naaktfoto te delen.\n",
        encoding="utf-8",
    )
    (row,) = asyncio.run(cv.silver(agent, str(nlu), max_words=10))
    assert cv._markup(row[1], row[2]) == "We spraken op [Insta](platform). Hij dreigt mijn naaktfoto te delen."


def test_reports_written_for_someone_else_are_taught_as_on_behalf(tmp_path, monkeypatch):
    # the real file of that kind says so in its header (docs/annotation.md: report_on_behalf)
    for f in cv.WRITTEN_FOR_SOMEONE:
        assert "FOR someone else" in (ROOT / f).read_text(encoding="utf-8").split("\npayment:")[0]
    path = tmp_path / "others.yml"
    path.write_text(yaml.safe_dump({"payment": ["mijn zoon moet 500 euro betalen"]}), encoding="utf-8")
    agent = FakeAgent({})
    assert asyncio.run(cv.silver(agent, str(path)))[0][0] == "report_payment_demand"
    monkeypatch.setattr(cv, "WRITTEN_FOR_SOMEONE", {str(path)})
    assert asyncio.run(cv.silver(agent, str(path)))[0][0] == "report_on_behalf"


def test_author_file_names_are_flat_and_distinct():
    files = [f for fold in cv.FOLDS for f in fold]
    names = [cv.author_file_name(f) for f in files]
    assert len(set(names)) == len(names)
    assert all(n.startswith("author_") and "/" not in n and n.endswith(".yml") for n in names)
    assert cv.author_file_name("scripts/nlu_devset_teens.yml") == "author_teens.yml"
    assert cv.author_file_name("tests/nlu/seen/blind_2026_12_03/author_a_teens.yml") == "author_retired_a_teens.yml"


def test_folds_and_baseline_start_from_the_hand_written_files_only(tmp_path):
    nlu = tmp_path / "nlu"
    nlu.mkdir()
    for name in ("greet.yml", "author_teens.yml", "report_blackmail.yml", "author_retired_a_teens.yml"):
        (nlu / name).write_text('version: "3.1"\nnlu: []\n')
    assert [f.name for f in cv._hand_written(nlu)] == ["greet.yml", "report_blackmail.yml"]


def test_a_window_that_loses_what_made_the_message_a_report_is_not_trained(tmp_path):
    """Session 21: the window a model read most as on behalf was a parent's opening ("my daughter is
    quiet"), without the threat; the data checks of tests/bot/test_report_net.py would fail on it."""
    opening = "Mijn dochter is al weken stil en eet slecht. Ik dacht aan liefdesverdriet."
    threat = "Toen kwam er een bericht: als je niet komt weet heel je school hoe je eruitziet zonder kleren."
    assert cv._keeps_label("report_on_behalf", threat)
    assert not cv._keeps_label("report_on_behalf", opening)
    assert not cv._keeps_label("report_images_shared", "Vanochtend keek niemand me aan.")
    path = tmp_path / "dev.yml"
    path.write_text(yaml.safe_dump({"on_behalf": [f"{opening} {threat}"]}), encoding="utf-8")
    agent = RankingAgent({opening: 0.99, threat: 0.2})  # the model prefers the opening
    (row,) = asyncio.run(cv.silver(agent, str(path), max_words=18))
    assert row[1] == threat
    # no window keeps the label: the message is left out, not trained as a wrong example
    path.write_text(yaml.safe_dump({"on_behalf": [f"{opening} {opening}"]}), encoding="utf-8")
    assert asyncio.run(cv.silver(agent, str(path), max_words=18)) == []


def test_no_message_of_the_old_test_set_is_written_as_training_data(tmp_path):
    """A message of tests/nlu/test_set.yml in the training data would make the old set's figures seen."""
    norm = cv._key
    hand = {norm(t) for f in cv._hand_written(ROOT / "data" / "nlu") for _, t in nlu_examples(f)}
    intent, text = next((i, t) for i, t in nlu_examples(ROOT / "tests" / "nlu" / "test_set.yml") if norm(t) not in hand)
    seen = cv._seen_texts()
    assert norm(text) in seen
    out = tmp_path / "author_x.yml"
    assert cv.write_nlu([(intent, text, []), ("greet", "een nieuwe zin van niemand", [])], out, "t", seen) == 1


def test_devset_figures_say_when_the_file_is_training_data(tmp_path, monkeypatch):
    import evaluate_devset

    (tmp_path / "data" / "nlu").mkdir(parents=True)
    (tmp_path / "scripts").mkdir()
    dev = tmp_path / "scripts" / "nlu_devset_teens.yml"
    dev.write_text("payment: []\n")
    monkeypatch.setattr(evaluate_devset, "ROOT", tmp_path)
    assert evaluate_devset._trained_on(str(dev)) is None
    (tmp_path / "data" / "nlu" / "author_teens.yml").write_text(
        'version: "3.1"\n# Generated by scripts/cv_authors.py --write data/nlu from scripts/nlu_devset_teens.yml\nnlu: []\n'
    )
    assert evaluate_devset._trained_on(str(dev)) == "data/nlu/author_teens.yml"
    assert evaluate_devset._trained_on("/elders/nlu_devset_teens.yml") is None


def test_reports_only_keeps_the_report_rows_and_nothing_else():
    rows = [
        ("report_payment_demand", "hij wil 50 euro", [(8, 15, "amount")]),
        ("ask_is_crime", "is sexting strafbaar", []),
        ("out_of_scope", "maar ik heb nooit iets gestuurd", []),
        ("report_on_behalf", "mijn zoon wordt gechanteerd", []),
        ("report_images_shared", "mijn foto staat online", []),
    ]
    assert cv.reports_only(rows) == [rows[0], rows[3], rows[4]]
    assert cv.reports_only([]) == []


def test_hard_negatives_keep_the_reports_and_only_the_look_alikes_read_as_a_report(tmp_path):
    dev = tmp_path / "dev.yml"
    dev.write_text(
        yaml.safe_dump(
            {
                "payment": ["hij wil 50 euro"],
                "other": ["is sexting strafbaar", "mijn account is gehackt en hij wil geld", "pfff ik weet het niet"],
            },
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    labelled = tmp_path / "labelled.yml"
    labelled.write_text(
        'version: "3.1"\nnlu:\n- intent: out_of_scope\n  examples: |\n'
        "    - mijn vriend wil een foto van me\n    - hoe laat is het\n"
        "- intent: report_blackmail\n  examples: |\n    - hij zet mijn [video](demand) online\n",
        encoding="utf-8",
    )
    agent = FakeAgent(
        {
            "hij wil 50 euro": ("report_blackmail", None, [{"start": 8, "end": 15, "entity": "amount"}]),
            "is sexting strafbaar": ("ask_is_crime", None, []),
            "mijn account is gehackt en hij wil geld": ("report_payment_demand", None, []),
            "pfff ik weet het niet": ("nlu_fallback", None, []),  # no report reading: not a hard negative
            "mijn vriend wil een foto van me": ("report_blackmail", None, []),
            "hoe laat is het": ("out_of_scope", None, []),
            "hij zet mijn video online": ("report_blackmail", None, []),
        }
    )
    rows = cv.without_entities(asyncio.run(cv.silver(agent, str(dev), hard_only=True)))
    assert rows == [
        ("report_payment_demand", "hij wil 50 euro", []),  # the report stays, its entity does not
        ("out_of_scope", "mijn account is gehackt en hij wil geld", []),  # read as a report: taught away
    ]
    rows = cv.without_entities(asyncio.run(cv.silver(agent, str(labelled), hard_only=True)))
    assert rows == [
        ("out_of_scope", "mijn vriend wil een foto van me", []),  # gold intent, kept: read as a report
        ("report_blackmail", "hij zet mijn video online", []),
    ]
    # without the flag every look-alike is taught, as before
    assert len(asyncio.run(cv.silver(agent, str(dev)))) == 4
