"""One fact schema (bot/cases/facts.py FACTS): domain.yml's slots, the NLU entities, the summary
labels and the actions' fact list all follow from it (issue 18)."""

import glob
import re
from pathlib import Path

import yaml

from bot.cases import summary
from bot.cases.facts import FACT_NAMES, FACTS, KEY_FACTS, MISSING_LABELS, normalise_facts

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
SLOT_TYPES = {"bool": {"bool"}, "float": {"float"}, "list": {"list"}, "text": {"text", "categorical", "any"}}


def test_every_fact_is_a_slot_of_the_right_type():
    for fact in FACTS:
        slot = DOMAIN["slots"].get(fact.name)
        assert slot is not None, f"{fact.name} is no slot in domain.yml"
        assert slot["type"] in SLOT_TYPES[fact.kind], (fact.name, slot["type"], fact.kind)


def test_fact_entities_are_the_domains_entities_and_the_ones_annotated():
    fact_entities = {f.entity for f in FACTS if f.entity}
    assert fact_entities == set(DOMAIN["entities"])
    annotated = set()
    for name in glob.glob(str(ROOT / "data" / "nlu" / "*.yml")):
        annotated |= set(re.findall(r"\]\(([a-z_]+)", Path(name).read_text(encoding="utf-8")))
    assert annotated <= fact_entities


def test_categorical_values_have_a_dutch_label():
    labels = {
        "writer": summary.WRITER_SHORT,
        "age_group": summary.AGE_GROUP,
        "demand_type": summary.DEMAND,
        "payment_method": summary.PAYMENT,
    }
    for name, table in labels.items():
        values = DOMAIN["slots"][name].get("values")
        if values:
            assert set(values) <= set(table), name


def test_actions_summary_and_normalisation_use_the_one_list():
    assert set(normalise_facts({})) == set(FACT_NAMES)
    rows = summary.field_rows({})
    assert [label for label, _ in rows] == [f.label for f in FACTS if f.in_table]
    assert set(KEY_FACTS) == set(MISSING_LABELS)
