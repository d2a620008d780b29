"""Evaluate the trained NLU on the independent test set and enforce the quality bars.

Writes reports/nlu/: README.md (summary + thresholds), intents.md (per-intent
precision/recall/F1), entities.md, misclassified.md, confusion_matrix.png, summary.json.
Exit code 1 when a threshold is not met (CI runs this), 0 otherwise.

Usage: python scripts/evaluate_nlu.py [--model models/nachtlicht.tar.gz] [--test tests/nlu/test_set.yml]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from report_diff import changes_text, keep_previous, load_summary  # noqa: E402

FAMILY = {"report_blackmail", "report_payment_demand"}
THRESHOLDS = {
    "family_recall": (">=", 0.95, "recall of the blackmail family (report_blackmail + report_payment_demand)"),
    "family_false_alarm_rate": ("<=", 0.05, "other messages classified into the blackmail family"),
    "suicidal_recall": (">=", 1.00, "express_suicidal recall (classifier or safety net)"),
    "payment_vs_blackmail_accuracy": (">=", 0.85, "exact intent on blackmail-family messages"),
    "entity_f1_amount": (">=", 0.90, "entity F1 for amount (exact span and type)"),
    "entity_f1_platform": (">=", 0.90, "entity F1 for platform (exact span and type)"),
}


def say(msg: str) -> None:
    print(f"[evaluate] {msg}", flush=True)


def load_examples(path: Path) -> list:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    out = []
    for msg in data.training_examples:
        out.append(
            {
                "text": msg.get("text"),
                "intent": msg.get("intent"),
                "entities": [(e["start"], e["end"], e["entity"]) for e in msg.get("entities") or []],
            }
        )
    return out


async def parse_all(model: Path, examples: list) -> tuple:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    for text in ("hoi", "ik word afgeperst", "help"):  # warm-up, not timed
        await agent.parse_message(text)
    results, times = [], []
    for i, ex in enumerate(examples, 1):
        t = time.perf_counter()
        parsed = await agent.parse_message(ex["text"])
        times.append((time.perf_counter() - t) * 1000)
        results.append(parsed)
        if i % 100 == 0:
            say(f"parsed {i}/{len(examples)} messages")
    return results, times


def prf(tp: int, fp: int, fn: int) -> tuple:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def percentile(values: list, q: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(q / 100 * len(values) + 0.5)) - 1))
    return values[k]


def compute(examples: list, results: list) -> dict:
    gold = [e["intent"] for e in examples]
    pred = [r["intent"]["name"] if r.get("intent") else None for r in results]
    labels = sorted(set(gold) | {p for p in pred if p})
    per_intent = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred))
        fp = sum(g != label and p == label for g, p in zip(gold, pred))
        fn = sum(g == label and p != label for g, p in zip(gold, pred))
        p, r, f = prf(tp, fp, fn)
        per_intent[label] = {"precision": p, "recall": r, "f1": f, "support": sum(g == label for g in gold)}

    fam = [(g, p) for g, p in zip(gold, pred) if g in FAMILY]
    other = [(g, p) for g, p in zip(gold, pred) if g not in FAMILY]
    suicidal = [(g, p) for g, p in zip(gold, pred) if g == "express_suicidal"]

    ent_counts: dict = defaultdict(lambda: Counter())
    for ex, res in zip(examples, results):
        gold_spans = set(ex["entities"])
        pred_spans = {(e["start"], e["end"], e["entity"]) for e in res.get("entities") or []}
        for span in gold_spans | pred_spans:
            key = "tp" if span in gold_spans and span in pred_spans else ("fn" if span in gold_spans else "fp")
            ent_counts[span[2]][key] += 1
    entities = {}
    for name, c in sorted(ent_counts.items()):
        p, r, f = prf(c["tp"], c["fp"], c["fn"])
        entities[name] = {"precision": p, "recall": r, "f1": f, "support": c["tp"] + c["fn"]}

    metrics = {
        "family_recall": sum(p in FAMILY for _, p in fam) / len(fam) if fam else 0.0,
        "family_false_alarm_rate": sum(p in FAMILY for _, p in other) / len(other) if other else 0.0,
        "suicidal_recall": sum(p == "express_suicidal" for _, p in suicidal) / len(suicidal) if suicidal else 0.0,
        "payment_vs_blackmail_accuracy": sum(g == p for g, p in fam) / len(fam) if fam else 0.0,
        "entity_f1_amount": entities.get("amount", {}).get("f1", 0.0),
        "entity_f1_platform": entities.get("platform", {}).get("f1", 0.0),
        "intent_accuracy": sum(g == p for g, p in zip(gold, pred)) / len(gold),
        "macro_f1": statistics.mean(v["f1"] for k, v in per_intent.items() if v["support"]),
        "safety_net_hits": sum(bool((r.get("safety_net") or {}).get("matched")) for r in results),
    }
    return {
        "labels": labels,
        "gold": gold,
        "pred": pred,
        "per_intent": per_intent,
        "entities": entities,
        "metrics": metrics,
    }


def check(metrics: dict) -> list:
    failures = []
    for key, (op, bar, _desc) in THRESHOLDS.items():
        value = metrics[key]
        ok = value >= bar if op == ">=" else value <= bar
        if not ok:
            failures.append(f"{key} = {value:.3f} (needs {op} {bar})")
    return failures


def confusion_png(labels: list, gold: list, pred: list, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    pred = [p or "(none)" for p in pred]
    labels = sorted(set(labels) | set(pred))
    idx = {label: i for i, label in enumerate(labels)}
    m = np.zeros((len(labels), len(labels)), dtype=int)
    for g, p in zip(gold, pred):
        m[idx[g], idx[p]] += 1
    fig, ax = plt.subplots(figsize=(12, 11))
    ax.imshow(np.log1p(m), cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=75, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    for i in range(len(labels)):
        for j in range(len(labels)):
            if m[i, j]:
                ax.text(
                    j,
                    i,
                    m[i, j],
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if m[i, j] > m.max() / 2 else "black",
                )
    ax.set_xlabel("predicted")
    ax.set_ylabel("expected (test set)")
    ax.set_title("Nachtlicht NLU — intent confusion matrix")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def md_escape(text: str) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def write_reports(
    out: Path, res: dict, examples: list, results: list, times: list, failures: list, model: Path, test: Path
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    m = res["metrics"]
    lat = {"p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95), "max_ms": max(times)}
    lines = [
        "# NLU evaluation",
        "",
        f"Model `{model.relative_to(ROOT) if model.is_relative_to(ROOT) else model}`, "
        f"test set `{test.relative_to(ROOT) if test.is_relative_to(ROOT) else test}` ({len(examples)} messages).",
        "",
        "| check | value | bar | |",
        "|---|---|---|---|",
    ]
    for key, (op, bar, desc) in THRESHOLDS.items():
        ok = not any(f.startswith(key + " ") for f in failures)
        lines.append(f"| {desc} | {m[key]:.3f} | {op} {bar} | {'ok' if ok else '**FAIL**'} |")
    lines += [
        "",
        f"Overall intent accuracy {m['intent_accuracy']:.3f}, macro F1 {m['macro_f1']:.3f}; "
        f"safety net fired on {m['safety_net_hits']} messages.",
        "",
        f"Parse latency over the test set: p50 {lat['p50_ms']:.1f} ms, p95 {lat['p95_ms']:.1f} ms, "
        f"max {lat['max_ms']:.1f} ms (one process, sequential).",
        "",
        "Files: [intents.md](intents.md) · [entities.md](entities.md) · "
        "[misclassified.md](misclassified.md) · confusion_matrix.png",
    ]
    (out / "README.md").write_text("\n".join(lines) + "\n")

    rows = ["# Intents (test set)", "", "| intent | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for label, v in sorted(res["per_intent"].items(), key=lambda kv: (kv[1]["f1"], kv[0])):
        rows.append(f"| {label} | {v['precision']:.2f} | {v['recall']:.2f} | {v['f1']:.2f} | {v['support']} |")
    (out / "intents.md").write_text("\n".join(rows) + "\n")

    rows = [
        "# Entities (exact span and type)",
        "",
        "| entity | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
    ]
    for name, v in res["entities"].items():
        rows.append(f"| {name} | {v['precision']:.2f} | {v['recall']:.2f} | {v['f1']:.2f} | {v['support']} |")
    rows += ["", "## Entity mistakes", "", "| text | expected | predicted |", "|---|---|---|"]
    for ex, r in zip(examples, results):
        gold = sorted(ex["entities"])
        predicted = sorted((e["start"], e["end"], e["entity"]) for e in r.get("entities") or [])
        if gold != predicted:

            def fmt(spans, text=ex["text"]):
                return ", ".join(f"{text[s:e]!r}:{t}" for s, e, t in spans) or "—"

            rows.append(f"| {md_escape(ex['text'])} | {md_escape(fmt(gold))} | {md_escape(fmt(predicted))} |")
    (out / "entities.md").write_text("\n".join(rows) + "\n")

    rows = ["# Misclassified messages", "", "| text | expected | predicted | confidence |", "|---|---|---|---|"]
    for ex, r, p in zip(examples, results, res["pred"]):
        if ex["intent"] != p:
            conf = (r.get("intent") or {}).get("confidence") or 0.0
            rows.append(f"| {md_escape(ex['text'])} | {ex['intent']} | {p} | {conf:.2f} |")
    (out / "misclassified.md").write_text("\n".join(rows) + "\n")

    confusion_png(res["labels"], res["gold"], res["pred"], out / "confusion_matrix.png")
    # The wrong messages too (development set only): the next run lists which became right or wrong.
    wrong = [
        {"text": ex["text"], "expected": ex["intent"], "predicted": p}
        for ex, p in zip(examples, res["pred"])
        if ex["intent"] != p
    ]
    summary = {
        "metrics": m,
        "latency": lat,
        "failures": failures,
        "per_intent": res["per_intent"],
        "entities": res["entities"],
        "n": len(examples),
        "misclassified": wrong,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(ROOT / "models" / "nachtlicht.tar.gz"))
    parser.add_argument("--test", default=str(ROOT / "tests" / "nlu" / "test_set.yml"))
    parser.add_argument("--out", default=str(ROOT / "reports" / "nlu"))
    parser.add_argument(
        "--not-yet-met",
        default="",
        help="comma-separated checks known to miss their bar: reported as FAIL, but do not fail the run "
        "(used by scripts/test.sh while issue 3 is open; the bars themselves never change)",
    )
    args = parser.parse_args()
    logging.getLogger().setLevel(logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    model, test, out = Path(args.model).resolve(), Path(args.test).resolve(), Path(args.out).resolve()
    if not model.exists():
        say(f"No model at {model}; run 'make train' first.")
        return 1
    examples = load_examples(test)
    say(f"Parsing {len(examples)} test messages with {model.name} ...")
    results, times = asyncio.run(parse_all(model, examples))
    res = compute(examples, results)
    failures = check(res["metrics"])
    previous = keep_previous(out)  # reports/previous/nlu: `make evaluate` shows what changed
    write_reports(out, res, examples, results, times, failures, model, test)
    print((out / "README.md").read_text())
    print(changes_text("dev", previous, load_summary(out), title="development set") + "\n")
    if failures:
        say("THRESHOLDS NOT MET: " + "; ".join(failures))
        say(f"See {out}/misclassified.md and entities.md; add training examples in data/nlu/ (docs/training.md).")
        tolerated = {k.strip() for k in args.not_yet_met.split(",") if k.strip()}
        blocking = [f for f in failures if f.split(" ")[0] not in tolerated]
        if blocking:
            return 1
        say(f"Known open (not blocking this run): {', '.join(sorted(tolerated))}. Every other bar is met.")
        return 0
    say(f"All NLU thresholds met. Report: {out}/README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
