"""The blind protocol (docs/nlu.md) in code: the blind set is frozen and complete, and the tools
that run it refuse to show individual messages."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BLIND = ROOT / "tests" / "nlu" / "blind"
# the unread development set is made and kept the same way (tests/nlu/unread/README.md)
UNREAD = ROOT / "tests" / "nlu" / "unread"
ENTITIES = {"amount", "payment_method", "platform", "deadline", "audience", "age", "demand"}


def _examples(path: Path) -> list:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        (block["intent"], line.strip()[2:])
        for block in data["nlu"]
        for line in block["examples"].splitlines()
        if line.strip().startswith("- ")
    ]


@pytest.mark.parametrize("folder", [BLIND, UNREAD], ids=["blind", "unread"])
def test_the_blind_set_has_four_authors_and_at_least_600_messages_with_valid_entities(folder):
    files = sorted(folder.glob("*.yml"))
    assert len(files) >= 4
    examples = [ex for f in files for ex in _examples(f)]
    assert len(examples) >= 600
    annotation = (ROOT / "docs" / "annotation.md").read_text(encoding="utf-8")
    intents = set(re.findall(r"^\| (\w+) \|", annotation, re.M)) | {
        "greet",
        "goodbye",
        "affirm",
        "deny",
        "thank",
        "bot_challenge",
    }
    assert {intent for intent, _ in examples} <= intents
    for _, text in examples:
        assert set(re.findall(r"\]\((\w+)\)", text)) <= ENTITIES, "unknown entity name"


@pytest.mark.parametrize("folder", [BLIND, UNREAD], ids=["blind", "unread"])
def test_no_blind_message_is_in_the_training_data(folder):
    train = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            for line in (block.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    train.add(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line.strip()[2:]).lower())
    # Short everyday phrases ("zeg ik liever niet", "nee dat klopt niet") may well be written by
    # two people: 12 of up to 7 words are in both by chance (README). Eight words or more cannot be.
    leaked = [
        t
        for f in folder.glob("*.yml")
        for _, t in _examples(f)
        if len(t.split()) >= 8 and re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", t).lower() in train
    ]
    assert not leaked, (
        f"{len(leaked)} messages of {folder.name} are in data/nlu: the set is seen ({folder.name}/README.md)"
    )


@pytest.mark.parametrize("name", ["blind", "unread"])
def test_the_outcome_evaluation_refuses_to_list_blind_results(name):
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "evaluate_outcomes.py"), "--set", name, "--show"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "refused" in done.stdout
