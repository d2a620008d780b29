"""Score the trained NLU on the BLIND set (tests/nlu/blind/): aggregate figures only.

The blind protocol (docs/nlu.md): this script never prints or writes a message of the set, or
which messages were wrong; it reports the same bars as scripts/evaluate_nlu.py, overall and per
author file, to reports/nlu_blind/ (README.md, summary.json). Do not change data because of a
figure here unless you also retire the set (tests/nlu/blind/README.md).

Usage: python scripts/evaluate_blind.py [--set blind|unread] [--model models/nachtlicht.tar.gz] [--not-yet-met a,b]
Exit 1 when a bar is not met (except the ones listed in --not-yet-met, reported as NOT MET).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evaluate_nlu import FAMILY, ROOT, THRESHOLDS, check, compute, load_examples, parse_all, percentile, say
from report_diff import changes_text, keep_previous

BLIND = ROOT / "tests" / "nlu" / "blind"
# An unread development set made the blind set's way (tests/nlu/unread/README.md): for registered
# tests of a change, aggregates only, like the blind set, until it is retired to tests/nlu/seen/.
SETS = {"blind": BLIND, "unread": ROOT / "tests" / "nlu" / "unread"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(ROOT / "models" / "nachtlicht.tar.gz"))
    parser.add_argument("--set", choices=sorted(SETS), default="blind")
    parser.add_argument("--out", default=None, help="default reports/nlu_<set>")
    parser.add_argument("--not-yet-met", default="", help="comma-separated bars known to miss (reported, not blocking)")
    args = parser.parse_args()
    logging.getLogger().setLevel(logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    model, out = Path(args.model).resolve(), Path(args.out or ROOT / "reports" / f"nlu_{args.set}").resolve()
    if not model.exists():
        say(f"No model at {model}; run 'make train' first.")
        return 1
    files = sorted(SETS[args.set].glob("*.yml"))
    parts = {f.stem: load_examples(f) for f in files}
    examples = [ex for exs in parts.values() for ex in exs]
    say(f"Parsing {len(examples)} {args.set} messages ({len(files)} authors) with {model.name}; aggregates only ...")
    results, times = asyncio.run(parse_all(model, examples))
    overall = compute(examples, results)
    failures = check(overall["metrics"])
    by_author, start = {}, 0
    for name, exs in parts.items():
        res = compute(exs, results[start : start + len(exs)])
        by_author[name] = {
            k: res["metrics"][k]
            for k in ("family_recall", "family_false_alarm_rate", "suicidal_recall", "intent_accuracy")
        }
        by_author[name]["messages"] = len(exs)
        has = {
            "family_recall": any(e["intent"] in FAMILY for e in exs),
            "family_false_alarm_rate": any(e["intent"] not in FAMILY for e in exs),
            "suicidal_recall": any(e["intent"] == "express_suicidal" for e in exs),
        }
        for key, present in has.items():
            if not present:  # no such messages in this file: no figure, not 0
                by_author[name][key] = None
        start += len(exs)
    metrics = overall["metrics"]
    summary = {
        "messages": len(examples),
        "model": model.name,
        "metrics": metrics,
        "by_author": by_author,
        "parse_ms_p95": percentile(times, 95),
        "failures": failures,
    }
    previous = keep_previous(out)  # reports/previous/nlu_blind; only its numbers are compared
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    lines = [
        f"# {args.set.capitalize()} NLU evaluation (aggregates only)",
        "",
        f"{len(examples)} messages by {len(files)} independent authors (tests/nlu/{args.set}/README.md); "
        f"model `{model.name}`. No message and no individual error is shown (docs/nlu.md, blind protocol).",
        "",
        "| bar | value | needed | met |",
        "|---|---|---|---|",
    ]
    for key, (op, bar, desc) in THRESHOLDS.items():
        ok = not any(f.startswith(key + " ") for f in failures)
        lines.append(f"| {desc} | {metrics[key]:.3f} | {op} {bar} | {'yes' if ok else 'NO'} |")
    lines += [
        "",
        f"Intent accuracy {metrics['intent_accuracy']:.3f}, macro F1 {metrics['macro_f1']:.3f}.",
        "",
        "| author file | messages | family recall | false alarms | suicidal recall | intent accuracy |",
        "|---|---|---|---|---|---|",
    ]
    for name, m in by_author.items():
        f = lambda v: "–" if v is None else f"{v:.3f}"  # noqa: E731
        lines.append(
            f"| {name} | {m['messages']} | {f(m['family_recall'])} | {f(m['family_false_alarm_rate'])} | "
            f"{f(m['suicidal_recall'])} | {f(m['intent_accuracy'])} |"
        )
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print("\n" + changes_text("blind", previous, summary, title=f"{args.set} set, aggregates only") + "\n")
    if failures:
        say(f"{args.set.upper()} BARS NOT MET: " + "; ".join(failures))
        tolerated = {k.strip() for k in args.not_yet_met.split(",") if k.strip()}
        if [f for f in failures if f.split(" ")[0] not in tolerated]:
            return 1
        say("Known open (issue 13; reported, not blocking this run): " + ", ".join(sorted(tolerated)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
