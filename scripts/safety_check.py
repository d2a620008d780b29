"""Score the deterministic safety net (data/safety/) on a YAML set of suicidal messages and
hard negatives. ``--show`` lists the misses and false alarms: use it on the development set
(scripts/safety_devset.yml) only, never on the blind suite in tests/safety/ (docs/safety.md).
Beside the net it scores the gentle check question (``check_cues:``): how many suicidal messages
get 113 from the net or the question, and how many negatives (and ``distress:`` messages, shame
and panic that are not suicidal) would be asked it.

    .venv/bin/python scripts/safety_check.py scripts/safety_devset.yml --show
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.language.safety_phrases import DEFAULT_FILE, SafetyNet


def texts(items) -> list:
    return [i["text"] if isinstance(i, dict) else str(i) for i in items or []]


def score(path: Path, net: SafetyNet) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pos, neg = texts(data.get("suicidal")), texts(data.get("negatives"))
    distress = texts(data.get("distress"))  # not suicidal: false alarms like the negatives
    neg = neg + distress
    missed = [t for t in pos if not net.match(t)]
    alarms = [t for t in neg if net.match(t)]
    return {
        "not_asked": [t for t in missed if not net.check_cue(t, None)],
        "asked_negatives": [t for t in neg if net.check_cue(t)],
        "distress": len(distress),
        "asked_distress": [t for t in distress if net.check_cue(t)],
        "suicidal": len(pos),
        "negatives": len(neg),
        "missed": missed,
        "false_alarms": alarms,
        "recall": 1 - len(missed) / max(len(pos), 1),
        "false_alarm_rate": len(alarms) / max(len(neg), 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--show", action="store_true", help="list misses and false alarms (development set only)")
    args = ap.parse_args()
    net = SafetyNet.from_file(DEFAULT_FILE)
    result = score(args.file, net)
    print(
        f"{args.file}: recall {result['recall']:.3f} ({result['suicidal'] - len(result['missed'])}/"
        f"{result['suicidal']}), false alarms {result['false_alarm_rate']:.3f} "
        f"({len(result['false_alarms'])}/{result['negatives']})"
    )
    caught = result["suicidal"] - len(result["not_asked"])
    print(
        f"  with the check question: 113 for {caught}/{result['suicidal']} suicidal messages "
        f"({caught / max(result['suicidal'], 1):.3f}); the question asked on "
        f"{len(result['asked_negatives'])}/{result['negatives']} negatives"
        + (f" ({len(result['asked_distress'])}/{result['distress']} of distress:)" if result["distress"] else "")
    )
    # the learned risk scorer (bot/language/risk_scorer.py) asks too; it trains on every development set,
    # so on those its figure is in-sample (a new set: run scripts/cv_risk.py --heldout first)
    from bot.language import risk_scorer
    from bot.settings import get_settings

    scorer = risk_scorer.path_for(get_settings().model_path)
    if risk_scorer.score("hallo", scorer) is not None:
        data = yaml.safe_load(args.file.read_text(encoding="utf-8")) or {}
        neg = texts(data.get("negatives")) + texts(data.get("distress"))
        by_scorer = [t for t in result["not_asked"] if risk_scorer.flags(t, scorer)]
        asked = [
            t for t in neg if t not in result["false_alarms"] and risk_scorer.flags(t, scorer) and not net.check_cue(t)
        ]
        print(
            f"  with the risk scorer too: {caught + len(by_scorer)}/{result['suicidal']}; "
            f"it asks on {len(asked)} more of the {result['negatives']} negatives"
        )
    if args.show:
        for t in result["missed"]:
            print("  MISSED     ", "(asked)" if t not in result["not_asked"] else "", t)
        for t in result["asked_negatives"]:
            print("  ASKED      ", t, "<-", net.check_cue(t)[:80])
        for t in result["false_alarms"]:
            print("  FALSE ALARM", t, "<-", net.match(t)[:80])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
