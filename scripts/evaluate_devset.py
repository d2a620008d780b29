"""Score the trained model (whole NLU pipeline, report net and safety net included) on a
development set of first messages: ``payment:`` / ``blackmail:`` (sextortion reports) and
``other:`` (look-alikes), or labelled Rasa NLU files (bench/training_candidates/). Development sets may be read and tuned on (``--show`` lists the
misses); never point this at tests/nlu/blind/ (docs/nlu.md, blind protocol).

    PYTHONPATH=. .venv/bin/python scripts/evaluate_devset.py scripts/nlu_devset_adults.yml --show
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FAMILY = {"report_blackmail", "report_payment_demand"}
# every report intent gets the advice script (report_paid: already paid, by docs/annotation.md)
REPORTS = FAMILY | {"report_paid", "report_images_shared", "report_on_behalf"}
GOLD = {"payment": "report_payment_demand", "blackmail": "report_blackmail"}
# on_behalf: reports by someone writing for another person (any report intent gets the script)
BEHALF = {"on_behalf": "report_on_behalf"}
# Development files turned into training data (scripts/cv_authors.py --write data/nlu), flat in data/nlu
AUTHOR_FILES = "author_*.yml"
# Labelled data in Rasa's NLU format (bench/training_candidates/) read as a development set; the
# other report intents are left out (their own labels are not scored here)
FROM_INTENT = {
    "report_payment_demand": "payment",
    "report_blackmail": "blackmail",
    "report_on_behalf": "on_behalf",
    "out_of_scope": "other",
}


def _labelled(path: str) -> dict:
    """{label: [texts]} of a development set, or of a Rasa NLU file (annotations removed)."""
    from bot.language.trainer_files import nlu_examples

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if "nlu" not in data:
        return data
    out: dict = {}
    for intent, text in nlu_examples(path):
        if intent in FROM_INTENT:
            out.setdefault(FROM_INTENT[intent], []).append(text)
    return out


def _line(n: dict) -> str:
    reports, other = max(n["report"], 1), max(n["other"], 1)
    line = (
        f"reports {n['report']}: family recall {n['family'] / reports:.3f}, any report intent "
        f"{n['any_report'] / reports:.3f}, exact payment/blackmail {n['exact'] / reports:.3f}; "
        f"look-alikes {n['other']}: read as a report {n['other_report'] / other:.3f}"
    )
    if n["behalf"]:
        line += f"; on behalf {n['behalf']}: any report intent {n['behalf_report'] / n['behalf']:.3f}"
    return line


async def score(model: Path, files: list, show: bool, per_file: bool = False) -> dict:
    from rasa.core.agent import load_agent

    if any("blind" in Path(f).parts for f in files):
        raise SystemExit("Not on a blind set: run scripts/evaluate_blind.py for aggregates (docs/nlu.md).")
    print(f"[devset] loading {model} ...", flush=True)
    agent = await load_agent(str(model))
    n = {
        "report": 0,
        "family": 0,
        "any_report": 0,
        "exact": 0,
        "other": 0,
        "other_report": 0,
        "behalf": 0,
        "behalf_report": 0,
    }
    rows = []
    for f in files:
        before = dict(n)
        for label, items in _labelled(f).items():
            for i, text in enumerate(items or []):
                intent = (await agent.parse_message(str(text)))["intent"]["name"]
                if label in GOLD:
                    n["report"] += 1
                    n["family"] += intent in FAMILY
                    n["any_report"] += intent in REPORTS
                    n["exact"] += intent == GOLD[label]
                    if intent not in REPORTS:
                        rows.append(("MISSED", intent, text))
                elif label in BEHALF:
                    n["behalf"] += 1
                    n["behalf_report"] += intent in REPORTS
                    if intent not in REPORTS:
                        rows.append(("MISSED", intent, text))
                else:
                    n["other"] += 1
                    if intent in REPORTS:
                        n["other_report"] += 1
                        rows.append(("FALSE ALARM", intent, text))
                if (i + 1) % 50 == 0 and not per_file:
                    print(f"[devset] {f}: {label} {i + 1}/{len(items)}", flush=True)
        if per_file:
            print(f"[devset] {Path(f).name:28s} {_line({k: n[k] - before[k] for k in n})}", flush=True)
    print(f"[devset] {'all files':28s} {_line(n)}")
    if show:
        for kind, intent, text in rows:
            print(f"  {kind:11s} {intent:22s} {text}")
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", help="development set YAML files")
    ap.add_argument("--model", default=str(ROOT / "models" / "nachtlicht.tar.gz"))
    ap.add_argument("--show", action="store_true", help="list the misses and false alarms")
    ap.add_argument("--per-file", action="store_true", help="a line of figures per file, then all together")
    args = ap.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if not Path(args.model).exists():
        print(f"No model at {args.model}: run 'make train' first.")
        return 1
    for f in args.files:
        trained = _trained_on(f)
        if trained:
            print(
                f"[devset] note: {f} is training data ({trained}): its figures are seen, not a test;"
                " scripts/cv_authors.py holds authors out (docs/nlu.md)",
                flush=True,
            )
    asyncio.run(score(Path(args.model), args.files, args.show, args.per_file))
    return 0


def _trained_on(path: str) -> str | None:
    """The data/nlu file generated from this development file (scripts/cv_authors.py --write), if any."""
    try:
        rel = str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return None
    for f in sorted((ROOT / "data" / "nlu").glob(AUTHOR_FILES)):
        if f"from {rel}\n" in f.read_text(encoding="utf-8")[:600]:
            return str(f.relative_to(ROOT))
    return None


if __name__ == "__main__":
    sys.exit(main())
