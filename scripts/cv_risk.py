"""Leave-one-author-out estimate of a learned risk scorer for the gentle check question
(docs/safety.md, session 25; registered there before the first run).

Every safety development set (scripts/safety_devset*.yml) was written by its own helper, so holding
one set out is holding one author out. For each set: a scorer (TF-IDF n-grams + logistic regression,
the same kind as the report verifier) is trained on everything else the project labels (data/nlu's
crisis intent against its other intents, the safety suite, the other sets' suicidal messages against
their distress and negatives, every other non-suicidal text of the project) and scored on the held-out
set. Beside it: the net and its check cues as they were when the set was added (its first run: the set
was committed before it), and as they are now (seen: forms were written from its misses).

A second estimate: the project's non-suicidal texts the scorer never trains on (the conversation suite's
turns, the old NLU test set, the safety suite's negatives, retired sets): how often it would ask the
question on them.

    PYTHONPATH=. .venv/bin/python scripts/cv_risk.py [--variant whole|clauses] [--heldout FILE]

``--heldout FILE``: train on everything (as the product would) and score FILE, a new unread set,
aggregates only. Nothing here reads the blind safety sets (tests/safety/blind/).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from safety_negatives import non_suicidal_texts  # noqa: E402

from bot.language import risk_scorer  # noqa: E402
from bot.language.safety_phrases import DEFAULT_FILE, SafetyNet  # noqa: E402

THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)


key = risk_scorer.fold_key


UNREAD = risk_scorer.UNREAD_SETS  # new sets wait for their one confirming run (--heldout)


def dev_sets() -> list:
    """The development sets the scorer trains on, in the order they were written."""

    def number(path) -> int:
        digits = Path(path).stem.replace("safety_devset", "")
        return int(digits) if digits else 1

    return sorted((str(p) for p in risk_scorer.safety_sets()), key=number)


def clauses(text: str) -> list:
    import re

    parts = [p.strip() for p in re.split(r"[.!?;\n]+|,\s+(?=(?:maar|en|want|dus|daarna|toen)\b)", text) if p.strip()]
    return [text] + [p for p in parts if len(p.split()) >= 3 and p != text]


def fit(exclude: set):
    """The product's scorer (bot/language/risk_scorer.py), trained without the ``exclude`` texts."""
    texts_, labels = risk_scorer.training_rows(exclude=frozenset(exclude))
    return risk_scorer.make_scorer().fit(texts_, labels)


MIN_WORDS = 0  # --min-words: shorter messages are left to the lists (their scores count as 0)


def scores(model, items: list, variant: str) -> list:
    values = _scores(model, items, variant)
    if MIN_WORDS:
        return [v if len(t.split()) >= MIN_WORDS else 0.0 for t, v in zip(items, values)]
    return values


def _scores(model, items: list, variant: str) -> list:
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
    ap.add_argument("--heldout", help="a new unread set: train on everything else, score it (aggregates only)")
    ap.add_argument("--min-words", type=int, default=0, help="the scorer reads messages of at least N words")
    ap.add_argument("--skip-project", action="store_true", help="leave out the estimate on the project's test texts")
    args = ap.parse_args()
    global MIN_WORDS
    MIN_WORDS = args.min_words

    sets = dev_sets()
    per_set = {s: risk_scorer.read_safety_set(s) for s in sets}
    net_now = SafetyNet.from_file(DEFAULT_FILE)

    results = []
    if args.heldout:
        pos, neg = risk_scorer.read_safety_set(args.heldout)
        held = {key(t) for t in pos + neg}
        model = fit(held)
        row = score_set(model, net_now, net_now, pos, neg, args.variant)
        row["set"] = Path(args.heldout).name
        results.append(row)
    else:
        for s in sets:
            pos, neg = per_set[s]
            held = {key(t) for t in pos + neg}
            model = fit(held)
            row = score_set(model, net_at(added_in(s)), net_now, pos, neg, args.variant)
            row["set"] = Path(s).name
            results.append(row)
            print(
                f"{row['set']:24} first net {row['first_net']:3}/{row['pos']} net|cue {row['first_net_or_cue']:3} "
                + " ".join(f"+s{t}:{row[f'first_union_{t}']}" for t in THRESHOLDS)
                + f" | neg asked(first) cue {row['first_neg_cue']} "
                + " ".join(f"s{t}:{row[f'first_neg_asked_{t}']}" for t in THRESHOLDS),
                flush=True,
            )

    # sets 17 and 18 were committed before their first run; 1-16 came in the commit with their forms
    honest = [r for r in results if r["set"] in ("safety_devset17.yml", "safety_devset18.yml")]
    if honest and not args.heldout:
        h = {k: sum(r[k] for r in honest) for k in honest[0] if k != "set"}
        print(
            f"\nsets 17+18 (true first runs): net or cue {h['first_net_or_cue']}/{h['pos']}, with scorer "
            + " ".join(f"t{t}: {h[f'first_union_{t}']}" for t in THRESHOLDS)
            + f"; negatives asked {h['first_neg_cue']}/{h['neg']} by cues, with scorer "
            + " ".join(f"t{t}: {h[f'first_neg_asked_{t}']}" for t in THRESHOLDS)
        )
    total = {k: sum(r[k] for r in results) for k in results[0] if k != "set"}
    print(f"\n== {args.variant}: {len(results)} held-out author(s), {total['pos']} suicidal, {total['neg']} not")
    print("scorer alone:        " + " ".join(f"t{t}: {total[f'scorer_{t}'] / total['pos']:.3f}" for t in THRESHOLDS))
    print(
        "scorer on negatives: " + " ".join(f"t{t}: {total[f'scorer_neg_{t}'] / total['neg']:.3f}" for t in THRESHOLDS)
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
        # the project's texts the scorer never trains on (tests, the conversation suite, retired sets):
        # one scorer trained as the product's is, scored on them; net matches get the crisis message
        trained = {key(t) for t in risk_scorer.training_rows()[0]}
        unread = {
            key(t) for name in UNREAD for part in risk_scorer.read_safety_set(ROOT / "scripts" / name) for t in part
        }
        free = [
            t
            for t in non_suicidal_texts()
            if key(t) not in trained and key(t) not in unread and net_now.match(t) is None
        ]
        model = fit(unread)
        s = scores(model, free, args.variant)
        print(
            f"project texts never trained on ({len(free)}), net not matching, scorer would ask: "
            + " ".join(
                f"t{t}: {sum(v >= t for v in s)} ({sum(v >= t for v in s) / max(len(free), 1):.4f})" for t in THRESHOLDS
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
