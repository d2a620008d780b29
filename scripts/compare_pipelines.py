"""Compare NLU pipelines by stratified k-fold cross-validation on data/nlu/.

For each config in configs/cv/ and each fold: train an NLU-only model on the other folds,
parse the held-out fold, and compute the same measures as scripts/evaluate_nlu.py
(blackmail-family recall, false alarms, payment-vs-blackmail accuracy, entity F1, macro F1)
plus training time and parse latency. Results: reports/cv/results.md and results.json.

This is slow (folds x configs NLU trainings: ~30-45 minutes on 2 cores), so it is not part
of `make test`; docs/nlu.md records the last run.
Usage: python scripts/compare_pipelines.py [--folds 3] [configs/cv/a.yml ...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from evaluate_nlu import compute, parse_all, percentile  # noqa: E402

KEYS = [
    "family_recall",
    "family_false_alarm_rate",
    "payment_vs_blackmail_accuracy",
    "entity_f1_amount",
    "entity_f1_platform",
    "macro_f1",
    "intent_accuracy",
]


def examples_of(td) -> list:
    return [
        {
            "text": m.get("text"),
            "intent": m.get("intent"),
            "entities": [(e["start"], e["end"], e["entity"]) for e in m.get("entities") or []],
        }
        for m in td.training_examples
    ]


def write_report(out: Path, results: dict, folds: int, n_examples: int) -> str:
    """reports/cv/results.json + results.md; returns the Markdown table."""
    (out / "results.json").write_text(json.dumps(results, indent=2))
    lines = [
        f"# NLU pipeline comparison ({folds}-fold cross-validation on data/nlu, {n_examples} examples)",
        "",
        "| pipeline | family recall | false alarms | pay-vs-blackmail acc | amount F1 | platform F1 | "
        "macro F1 | intent acc | train s/fold | parse p95 ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():

        def cell(k, m=r["mean"], s=r["std"]):
            return f"{m[k]:.3f} ± {s[k]:.3f}"

        lines.append(
            f"| {name} | {cell('family_recall')} | {cell('family_false_alarm_rate')} | "
            f"{cell('payment_vs_blackmail_accuracy')} | {cell('entity_f1_amount')} | "
            f"{cell('entity_f1_platform')} | {cell('macro_f1')} | {cell('intent_accuracy')} | "
            f"{r['train_seconds_mean']:.0f} | {r['parse_p95_ms']:.1f} |"
        )
    table = "\n".join(lines) + "\n"
    (out / "results.md").write_text(table)
    return table


def main() -> int:
    from rasa.model_training import train_nlu
    from rasa.nlu.test import generate_folds
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.loading import load_data

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("configs", nargs="*", default=sorted(str(p) for p in (ROOT / "configs" / "cv").glob("*.yml")))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "reports" / "cv"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    data = load_data(str(ROOT / "data" / "nlu"))
    folds = list(generate_folds(args.folds, data))
    print(f"[cv] {len(data.training_examples)} examples, {args.folds} folds, {len(args.configs)} configs", flush=True)
    results = {}
    for config in args.configs:
        name = Path(config).stem
        per_fold, train_s, latencies, predictions = [], [], [], []
        for i, (train, test) in enumerate(folds, 1):
            with tempfile.TemporaryDirectory() as tmp:
                nlu_file = Path(tmp) / "train.yml"
                nlu_file.write_text(RasaYAMLWriter().dumps(train))
                t = time.time()
                model = train_nlu(config, str(nlu_file), tmp, fixed_model_name="cv")
                train_s.append(time.time() - t)
                examples = examples_of(test)
                parsed, times = asyncio.run(parse_all(Path(model), examples))
            latencies.extend(times)
            predictions += [
                {
                    "text": ex["text"],
                    "gold": ex["intent"],
                    "fold": i,
                    "ranking": [
                        {"name": r["name"], "confidence": r["confidence"]} for r in (p.get("intent_ranking") or [])[:10]
                    ],
                }
                for ex, p in zip(examples, parsed)
            ]
            metrics = compute(examples, parsed)["metrics"]
            per_fold.append(metrics)
            print(
                f"[cv] {name} fold {i}/{args.folds}: family recall {metrics['family_recall']:.3f}, "
                f"false alarms {metrics['family_false_alarm_rate']:.3f}, macro F1 {metrics['macro_f1']:.3f}, "
                f"train {train_s[-1]:.0f}s",
                flush=True,
            )
        results[name] = {
            "mean": {k: statistics.mean(m[k] for m in per_fold) for k in KEYS},
            "std": {k: statistics.pstdev(m[k] for m in per_fold) for k in KEYS},
            "train_seconds_mean": statistics.mean(train_s),
            "parse_p95_ms": percentile(latencies, 95),
        }
        # out-of-fold intent rankings, for tuning decision rules without touching the test set
        (out / f"predictions_{name}.json").write_text(json.dumps(predictions, ensure_ascii=False))
        write_report(out, results, args.folds, len(data.training_examples))  # keep partial results
    print(write_report(out, results, args.folds, len(data.training_examples)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
