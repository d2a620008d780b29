"""Cross-validation over authors of a report verifier (docs/nlu.md, session 24, registered first).

A small second classifier answers one question: is this first message a report (the advice script)
or a look-alike? It is trained on data/nlu (report intents against the other intents, the crisis
intent left out) plus the author files of two folds (scripts/cv_authors.py FOLDS), and scored on the
third: a report reading of the production model (whole NLU pipeline) is taken back when the verifier's
report probability is below the threshold. Nothing here reads the blind set.

    PYTHONPATH=. .venv/bin/python scripts/cv_verifier.py            # three folds, t = 0.25
    PYTHONPATH=. .venv/bin/python scripts/cv_verifier.py --spare-on-behalf  # the second variant
Results: reports/cv_verifier/results.md (the other thresholds: for information only).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from cv_authors import FOLDS, _hand_written  # noqa: E402
from evaluate_devset import BEHALF, GOLD, REPORTS, _labelled  # noqa: E402

from bot.language.author_files import author_examples  # noqa: E402
from bot.nlu.report_verifier import make_verifier, may_promote  # noqa: E402  (the pipeline's own)

THRESHOLD = 0.25  # registered before the first run
INFO_THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)


def author_rows(files: list) -> list:
    """(file, kind, text) of the author files: kind 'report', 'behalf' or 'other'."""
    rows = []
    for f in files:
        for label, items in _labelled(f).items():
            kind = "report" if label in GOLD else "behalf" if label in BEHALF else "other"
            rows += [(f, kind, " ".join(str(t).split())) for t in items or [] if str(t).strip()]
    return rows


def nlu_rows() -> list:
    """(text, is_report) of the hand-written training data."""
    from bot.language.trainer_files import nlu_examples

    out = []
    for path in _hand_written(ROOT / "data" / "nlu"):
        for intent, text in nlu_examples(path):
            if intent != "express_suicidal":
                out.append((text, intent in REPORTS))
    return out


async def readings(model: Path, texts: list, out: Path) -> dict:
    """The pipeline's reading of every text *before* the verifier (cached per model file): once the
    verifier is in the model, a reading it took back counts as the one it took back."""
    stat = model.stat()
    cache = out / f"readings_{model.stem}_{stat.st_size}_{int(stat.st_mtime)}.json"
    known = json.loads(cache.read_text()) if cache.exists() else {}
    todo = [t for t in texts if t not in known]
    if todo:
        from rasa.core.agent import load_agent

        agent = await load_agent(str(model))
        for i, t in enumerate(todo, 1):
            parsed = await agent.parse_message(t)
            intent = (parsed.get("report_verifier") or {}).get("model_intent") or parsed["intent"]["name"]
            classifier = (parsed.get("report_net") or {}).get("model_intent", intent)
            # by the net: a report the net made of a classifier reading that was none (clear wording)
            known[t] = [intent, intent in REPORTS and classifier not in REPORTS]
            if i % 500 == 0:
                print(f"[cv-verifier] parsed {i}/{len(todo)}", flush=True)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(known))
    return known


def fit(base: list, train_files: list):
    """The verifier trained on data/nlu's rows and the given author files, read as the pipeline reads
    them (bot.language.author_files.author_examples)."""
    examples = author_examples([ROOT / f for f in train_files])
    x = [t for t, _ in base] + [t for t, _ in examples]
    y = [int(r) for _, r in base] + [int(r) for _, r in examples]
    return make_verifier().fit(x, y)


def figures(
    rows: list, reads: dict, proba: dict | None, t: float, spare: frozenset = frozenset(), keep_money: bool = False
) -> dict:
    """Counts with the verifier's veto at threshold t; readings in `spare` are never taken back, nor
    (keep_money) a message that names money."""
    from bot.language.money import says_money

    n = {"report": 0, "report_ok": 0, "behalf": 0, "behalf_ok": 0, "other": 0, "other_report": 0}
    for _, kind, text in rows:
        intent, by_net = reads[text]
        is_report = intent in REPORTS
        vetoable = not by_net and intent not in spare and not (keep_money and says_money(text))
        if is_report and proba is not None and vetoable and proba[text] < t:
            is_report = False
        if kind == "report":
            n["report"] += 1
            n["report_ok"] += is_report
        elif kind == "behalf":
            n["behalf"] += 1
            n["behalf_ok"] += is_report
        else:
            n["other"] += 1
            n["other_report"] += is_report
    return n


def promoted(rows: list, reads: dict, proba: dict, t: float) -> dict:
    """Counts when, besides the registered veto, a promotable first-message reading with a report
    probability of at least t becomes a report (session 27)."""
    n = {"report": 0, "report_gain": 0, "behalf": 0, "behalf_gain": 0, "other": 0, "other_gain": 0}
    key = {"report": "report_gain", "behalf": "behalf_gain", "other": "other_gain"}
    for _, kind, text in rows:
        intent, _ = reads[text]
        n[kind] += 1
        n[key[kind]] += proba[text] >= t and may_promote(intent, text)
    return n


def promoted_line(n: dict) -> str:
    def pts(k: str, total: str) -> str:
        return f"+{100 * n[k] / max(n[total], 1):.1f} ({n[k]})"

    return (
        f"reports {pts('report_gain', 'report')}, on behalf {pts('behalf_gain', 'behalf')}, "
        f"look-alikes newly read as a report {pts('other_gain', 'other')}"
    )


def line(n: dict) -> str:
    return (
        f"reports {n['report_ok'] / max(n['report'], 1):.3f} ({n['report']}), on behalf "
        f"{n['behalf_ok'] / max(n['behalf'], 1):.3f} ({n['behalf']}), look-alikes read as a report "
        f"{n['other_report'] / max(n['other'], 1):.3f} ({n['other']})"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(ROOT / "models" / "nachtlicht.tar.gz"))
    ap.add_argument("--out", default=str(ROOT / "reports" / "cv_verifier"))
    ap.add_argument(
        "--spare-on-behalf",
        action="store_true",
        help="never take back a report_on_behalf reading (the second registered variant)",
    )
    ap.add_argument(
        "--heldout",
        help="instead of the folds: train on data/nlu and every author file but this one, score this one "
        "(a new development set's first, unread run: aggregates only)",
    )
    ap.add_argument(
        "--extra",
        help="with --heldout: also print every figure with this development file added to the verifier's "
        "training data (session 31: does an unread set help as an author file?)",
    )
    ap.add_argument("--spare", default="", help="comma-separated report intents never taken back")
    ap.add_argument("--keep-money", action="store_true", help="never take back a message that names money")
    ap.add_argument(
        "--promote",
        type=float,
        help="session 27: also count non-report first-message readings the verifier gives at least this "
        "report probability (gains in points; thresholds 0.7/0.8/0.9 printed beside it for information)",
    )
    args = ap.parse_args()
    spare = frozenset({"report_on_behalf"} if args.spare_on_behalf else set()) | frozenset(
        filter(None, args.spare.split(","))
    )
    keep = args.keep_money
    out = Path(args.out)
    files = [f for fold in FOLDS for f in fold]
    rows = author_rows(files)
    base = nlu_rows()
    if args.heldout:
        if "blind" in Path(args.heldout).parts:
            ap.error("never the blind set (docs/nlu.md, blind protocol)")
        held = author_rows([args.heldout])
        reads = asyncio.run(readings(Path(args.model), sorted({t for _, _, t in held}), out))
        train = [f for f in files if Path(f).resolve() != Path(args.heldout).resolve()]
        texts = sorted({t for _, _, t in held})
        print(f"| {args.heldout} | production model | {line(figures(held, reads, None, 0))} |")
        variants = [("", train)] + ([(f" (+ {args.extra})", train + [args.extra])] if args.extra else [])
        for label, train_files in variants:
            proba = dict(zip(texts, fit(base, train_files).predict_proba(texts)[:, 1]))
            veto = figures(held, reads, proba, THRESHOLD, spare, keep)
            print(f"| {args.heldout} | + verifier, t = {THRESHOLD}{label} | {line(veto)} |")
            if args.promote is not None:
                gains = promoted(held, reads, proba, args.promote)
                print(f"| {args.heldout} | + promotion at T = {args.promote}{label} | {promoted_line(gains)} |")
        return 0
    reads = asyncio.run(readings(Path(args.model), sorted({t for _, _, t in rows}), out))
    table = ["| fold | model | figures |", "|---|---|---|"]
    for k, held in enumerate(FOLDS, 1):
        test = [r for r in rows if r[0] in held]
        verifier = fit(base, [f for f in files if f not in held])
        texts = sorted({t for _, _, t in test})
        proba = dict(zip(texts, verifier.predict_proba(texts)[:, 1]))
        table.append(f"| {k} | production model | {line(figures(test, reads, None, 0))} |")
        table.append(
            f"| {k} | + verifier, t = {THRESHOLD} | {line(figures(test, reads, proba, THRESHOLD, spare, keep))} |"
        )
        if args.promote is not None:
            for t in sorted({args.promote, 0.7, 0.8, 0.9}):
                label = "+ promotion" if t == args.promote else "(information) promotion"
                table.append(f"| {k} | {label} at T = {t} | {promoted_line(promoted(test, reads, proba, t))} |")
            print("\n".join(table[-4:]), flush=True)
            continue
        for t in INFO_THRESHOLDS:
            if t != THRESHOLD:
                table.append(f"| {k} | (information) t = {t} | {line(figures(test, reads, proba, t, spare, keep))} |")
        print("\n".join(table[-len(INFO_THRESHOLDS) - 1 :]), flush=True)
    out.mkdir(parents=True, exist_ok=True)
    name = (
        "results"
        + "".join("_spare_" + i.replace("report_", "") for i in sorted(spare))
        + ("_keep_money" if keep else "")
        + (f"_promote_{args.promote}" if args.promote is not None else "")
    )
    (out / (name + ".md")).write_text("\n".join(table) + "\n")
    print("\n".join(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
