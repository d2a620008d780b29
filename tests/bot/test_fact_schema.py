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


def test_the_text_readers_values_are_the_summarys_values():
    """What bot/language/text_facts.py can read is what the counsellor summary can show: a payment
    method, audience or identifier kind without a Dutch label would reach counsellors raw."""
    from bot.language import text_facts

    assert set(text_facts.PAYMENT_METHODS) == set(summary.PAYMENT)
    assert {kind for kind, _ in text_facts._PAYMENT_PATTERNS} | {"other"} == set(summary.PAYMENT)
    assert set(text_facts.AUDIENCES) == set(summary.AUDIENCE)
    assert {kind for kind, _ in text_facts._AUDIENCE_PATTERNS} == set(summary.AUDIENCE)
    samples = (
        "https://www.instagram.com/afperser123",
        "@afperser",
        "NL91ABNA0417164300",
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "de code is 1234 5678 9012 3456",
    )
    found = [item for s in samples for item in text_facts.find_identifiers(s, payment_method="giftcard")]
    assert {item.split(":", 1)[0] for item in found} == set(summary.IDENTIFIER)


def test_the_contracts_table_of_slots_is_the_fact_schema():
    """docs/contracts.md explains the fact slots; it names every fact, with domain.yml's slot type."""
    text = (ROOT / "docs" / "contracts.md").read_text(encoding="utf-8")
    table = text.split("## Slots that feed the counsellor summary", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| ([a-z_0-9]+) \| ([a-z]+) \|", table, re.MULTILINE))
    rows.pop("slot", None)  # the header
    assert set(FACT_NAMES) <= set(rows), set(FACT_NAMES) - set(rows)
    for name, kind in rows.items():
        assert name in DOMAIN["slots"], f"docs/contracts.md names slot {name}, which domain.yml does not have"
        assert DOMAIN["slots"][name]["type"] == kind, (name, kind, DOMAIN["slots"][name]["type"])
