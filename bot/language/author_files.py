"""The development files written by independent authors (docs/nlu.md, "Blind protocol"; the folds of
scripts/cv_authors.py) as training examples of the report verifier (bot/nlu/report_verifier.py):
their reports against their look-alikes. No Rasa import: scripts/train.py reads AUTHOR_FILES for
the model's fingerprint."""

from __future__ import annotations

import glob
from pathlib import Path
from typing import List

import yaml

from bot.language.report_phrases import NOT_SEXTORTION

ROOT = Path(__file__).resolve().parent.parent.parent
# Never the blind set (tests/nlu/blind/) nor the old test set: tests/bot/test_report_verifier.py checks.
AUTHOR_FILES = (
    "scripts/nlu_devset_*.yml",
    "bench/training_candidates/*.yml",
    "tests/nlu/seen/blind_2026_12_03/*.yml",
)
# a development file's labels: its reports (payment, blackmail, on behalf) against its look-alikes
REPORT_LABELS = ("payment", "blackmail", "on_behalf")
OTHER_LABELS = ("other",)
# the report intents: every one gets the advice script (the report net's list)
REPORT_INTENTS = frozenset(NOT_SEXTORTION)
# a labelled (Rasa) development file's examples, as scripts/evaluate_devset.py scores them: these
# intents only, as report (True) or look-alike (False)
LABELLED = {
    "report_payment_demand": True,
    "report_blackmail": True,
    "report_on_behalf": True,
    "out_of_scope": False,
}


def author_paths(patterns=AUTHOR_FILES) -> List[Path]:
    paths: List[Path] = []
    for pattern in patterns:
        paths += sorted(Path(p) for p in glob.glob(str(ROOT / pattern)))
    return paths


def hash_author_files(h, patterns=AUTHOR_FILES) -> None:
    """Feed every author file (its path and bytes) into the hash ``h``: the model's fingerprint in
    scripts/train.py and the verifier's Rasa fingerprint read them the same way."""
    for path in author_paths(patterns):
        h.update(str(path.relative_to(ROOT)).encode())
        h.update(path.read_bytes())


def author_examples(paths) -> List[tuple]:
    """(text, is_report) of every development file: labelled Rasa files by intent, the others by key."""
    from bot.language.trainer_files import nlu_examples

    out = []
    for path in paths:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        if "nlu" in data:
            out += [(t, LABELLED[i]) for i, t in nlu_examples(path) if i in LABELLED]
            continue
        for label, items in data.items():
            if label in REPORT_LABELS or label in OTHER_LABELS:
                out += [(" ".join(str(t).split()), label in REPORT_LABELS) for t in items or [] if str(t).strip()]
    return out
