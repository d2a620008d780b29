"""Leave-one-author-out estimate of a learned risk scorer for the gentle check question
(docs/safety.md, session 25; registered there before the first run).

Every safety development set (scripts/safety_devset*.yml) was written by its own helper, so holding
one set out is holding one author out. For each set: a scorer (TF-IDF n-grams + logistic regression,
the same kind as the report verifier) is trained on everything else the project labels (data/nlu's
crisis intent against its other intents, the safety suite, the other sets' suicidal messages against
their distress and negatives, every other non-suicidal text of the project) and scored on the held-out
set. Beside it: the net and its check cues as they were when the set was added (its first run: the set
was committed before it), and as they are now (seen: forms were written from its misses).

A second estimate: the non-suicidal texts of the project that are in no set, in five folds, trained on
the other four and every set: how often the scorer would ask the question on ordinary chat.

    PYTHONPATH=. .venv/bin/python scripts/cv_risk.py [--variant whole|clauses] [--heldout FILE]

``--heldout FILE``: train on everything (as the product would) and score FILE, a new unread set,
aggregates only. Nothing here reads the blind safety sets (tests/safety/blind/).
"""

from __future__ import annotations

import argparse
import glob
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from safety_negatives import non_suicidal_texts  # noqa: E402

from bot.language.safety_phrases import DEFAULT_FILE, SafetyNet  # noqa: E402
from bot.language.trainer_files import nlu_examples  # noqa: E402

THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)


def key(text: str) -> str:
    return " ".join(str(text).lower().split())


def texts(items) -> list:
    return [i["text"] if isinstance(i, dict) else str(i) for i in items or []]


def dev_sets() -> list:
    def number(path: str) -> int:
        digits = Path(path).stem.replace("safety_devset", "")
        return int(digits) if digits else 1

    return sorted(glob.glob(str(ROOT / "scripts/safety_devset*.yml")), key=number)


def labelled_set(path: str) -> tuple:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return texts(data.get("suicidal")), texts(data.get("distress")), texts(data.get("negatives"))


def base_rows() -> list:
    """(text, is_suicidal) of data/nlu and the safety suite."""
    rows = []
    for f in glob.glob(str(ROOT / "data/nlu/*.yml")):
        rows += [(t, intent == "express_suicidal") for intent, t in nlu_examples(f)]
    suite = yaml.safe_load((ROOT / "tests/safety/suite.yml").read_text(encoding="utf-8")) or {}
    rows += [(t, True) for t in texts(suite.get("suicidal"))]
    rows += [(t, False) for t in texts(suite.get("negatives"))]
    return rows


def make_scorer():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=True, sublinear_tf=True, min_df=2),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), lowercase=True, sublinear_tf=True, min_df=1),
    )
    return make_pipeline(features, LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000))


def clauses(text: str) -> list:
    import re

    parts = [p.strip() for p in re.split(r"[.!?;\n]+|,\s+(?=(?:maar|en|want|dus|daarna|toen)\b)", text) if p.strip()]
    return [text] + [p for p in parts if len(p.split()) >= 3 and p != text]


def fit(rows: list, exclude: set):
    seen, xs, ys = set(), [], []
    for text, label in rows:
        k = key(text)
        if k in exclude or k in seen or not k:
            continue
        seen.add(k)
        xs.append(text)
        ys.append(int(label))
    return make_scorer().fit(xs, ys)


def scores(model, items: list, variant: str) -> list:
    if not items:
        return []
    if variant == "whole":
        return list(model.predict_proba(items)[:, 1])
    out = []
    for text in items:
        out.append(max(model.predict_proba(clauses(text))[:, 1]))
    return out


def net_at(commit: str | None) -> SafetyNet:
    if commit is None:
        return SafetyNet.from_file(DEFAULT_FILE)
    shown = subprocess.run(
        ["git", "show", f"{commit}:data/safety/suicidal_phrases.yml"], cwd=ROOT, capture_output=True, text=True
    )
    if shown.returncode != 0:
        return SafetyNet.from_file(DEFAULT_FILE)
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False, encoding="utf-8") as fh:
        fh.write(shown.stdout)
    return SafetyNet.from_file(fh.name)


def added_in(path: str) -> str | None:
    log = subprocess.run(
        ["git", "log", "--diff-filter=A", "--format=%H", "--", str(Path(path).relative_to(ROOT))],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split()
    return log[-1] if log else None


def covered(net: SafetyNet, text: str) -> tuple:
    matched = net.match(text)
    return matched is not None, matched is None and net.check_cue(text, matched=None) is not None


def score_set(model, net_first, net_now, pos, neg, variant) -> dict:
    pos_s, neg_s = scores(model, pos, variant), scores(model, neg, variant)
    row = {"pos": len(pos), "neg": len(neg)}
    for name, net in (("first", net_first), ("now", net_now)):
        cov = [covered(net, t) for t in pos]
        row[f"{name}_net"] = sum(c[0] for c in cov)
        row[f"{name}_net_or_cue"] = sum(c[0] or c[1] for c in cov)
        negcov = [covered(net, t) for t in neg]
        row[f"{name}_neg_net"] = sum(c[0] for c in negcov)
        row[f"{name}_neg_cue"] = sum(c[1] for c in negcov)
        for t in THRESHOLDS:
            row[f"{name}_union_{t}"] = sum(c[0] or c[1] or s >= t for c, s in zip(cov, pos_s))
            # the question is asked on a negative when the net misses it and (cue or scorer)
            row[f"{name}_neg_asked_{t}"] = sum((not c[0]) and (c[1] or s >= t) for c, s in zip(negcov, neg_s))
    for t in THRESHOLDS:
        row[f"scorer_{t}"] = sum(s >= t for s in pos_s)
        row[f"scorer_neg_{t}"] = sum(s >= t for s in neg_s)
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variant", choices=("whole", "clauses"), default="whole")
    ap.add_argument("--heldout", help="a new unread set: train on everything, score it (aggregates only)")
    ap.add_argument("--skip-project", action="store_true", help="leave out the five-fold estimate on project texts")
    args = ap.parse_args()

    sets = dev_sets()
    per_set = {s: labelled_set(s) for s in sets}
    base = base_rows()
    project = non_suicidal_texts()
    net_now = SafetyNet.from_file(DEFAULT_FILE)

    def rows_without(held: set) -> list:
        rows = list(base)
        for s in sets:
            pos, distress, neg = per_set[s]
            rows += [(t, True) for t in pos] + [(t, False) for t in distress + neg]
        # the conversation suite labels no turn: its suicidal turns (net matches) are not negatives
        rows += [(t, False) for t in project if net_now.match(t) is None]
        return [(t, y) for t, y in rows if key(t) not in held]

    results = []
    if args.heldout:
        pos, distress, neg = labelled_set(args.heldout)
        held = {key(t) for t in pos + distress + neg}
        model = fit(rows_without(held), held)
        row = score_set(model, net_now, net_now, pos, distress + neg, args.variant)
        row["set"] = Path(args.heldout).name
        results.append(row)
    else:
        for s in sets:
            pos, distress, neg = per_set[s]
            held = {key(t) for t in pos + distress + neg}
            model = fit(rows_without(held), held)
            row = score_set(model, net_at(added_in(s)), net_now, pos, distress + neg, args.variant)
            row["set"] = Path(s).name
            results.append(row)
            print(
                f"{row['set']:24} first net {row['first_net']:3}/{row['pos']} net|cue {row['first_net_or_cue']:3} "
                + " ".join(f"+s{t}:{row[f'first_union_{t}']}" for t in THRESHOLDS)
                + f" | neg asked(first) cue {row['first_neg_cue']} "
                + " ".join(f"s{t}:{row[f'first_neg_asked_{t}']}" for t in THRESHOLDS),
                flush=True,
            )

    total = {k: sum(r[k] for r in results) for k in results[0] if k != "set"}
    print(f"\n== {args.variant}: {len(results)} held-out author(s), {total['pos']} suicidal, {total['neg']} not")
    print(
        f"scorer alone:        " + " ".join(f"t{t}: {total[f'scorer_{t}'] / total['pos']:.3f}" for t in THRESHOLDS)
    )
    print(
        f"scorer on negatives: " + " ".join(f"t{t}: {total[f'scorer_neg_{t}'] / total['neg']:.3f}" for t in THRESHOLDS)
    )
    for name in ("first", "now"):
        print(
            f"[{name}] net {total[f'{name}_net'] / total['pos']:.3f}, net or cue "
            f"{total[f'{name}_net_or_cue'] / total['pos']:.3f}, with scorer "
            + " ".join(f"t{t}: {total[f'{name}_union_{t}'] / total['pos']:.3f}" for t in THRESHOLDS)
        )
        print(
            f"[{name}] negatives asked: cue alone {total[f'{name}_neg_cue'] / total['neg']:.3f}, with scorer "
            + " ".join(f"t{t}: {total[f'{name}_neg_asked_{t}'] / total['neg']:.3f}" for t in THRESHOLDS)
        )

    if not args.heldout and not args.skip_project:
        in_sets = {key(t) for s in sets for part in per_set[s] for t in part}
        free = [t for t in project if key(t) not in in_sets]
        random.Random(13).shuffle(free)
        flagged = {t: 0 for t in THRESHOLDS}
        for fold in range(5):
            held_texts = free[fold::5]
            held = {key(t) for t in held_texts}
            model = fit(rows_without(held), held)
            s = scores(model, held_texts, args.variant)
            for t in THRESHOLDS:
                flagged[t] += sum(v >= t for v in s)
        print(
            f"project texts in no set ({len(free)}), five folds, scorer would ask: "
            + " ".join(f"t{t}: {flagged[t]} ({flagged[t] / len(free):.4f})" for t in THRESHOLDS)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
