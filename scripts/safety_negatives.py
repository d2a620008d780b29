"""Which non-suicidal texts of the project does the safety net match? Every text the project
labels as something else: the training data (all intents but express_suicidal), the old NLU set,
the retired blind set, bench/training_candidates/, the negatives of every safety development set
and of the safety suite, every NLU development set and every user turn of the conversation suite
(which labels no turn, so its suicidal turns are hits too; the blind sets are not read). Use it after a change to data/safety/suicidal_phrases.yml: with
``--against`` an older copy of the file, only the NEW hits are listed (docs/safety.md).

    git show HEAD:data/safety/suicidal_phrases.yml > /tmp/net_before.yml
    .venv/bin/python scripts/safety_negatives.py --against /tmp/net_before.yml

``--check`` lists instead the texts that would get the gentle check question (``check_cues:``).
"""

from __future__ import annotations

import argparse
import glob
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.language.risk_scorer import safety_sets  # noqa: E402
from bot.language.safety_phrases import DEFAULT_FILE, SafetyNet  # noqa: E402
from bot.language.trainer_files import nlu_examples  # noqa: E402


def _user_turns(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("user", "say", "text", "message") and isinstance(value, str):
                yield value
            else:
                yield from _user_turns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _user_turns(value)


def non_suicidal_texts() -> list:
    texts = []
    nlu = glob.glob(str(ROOT / "data/nlu/*.yml")) + [str(ROOT / "tests/nlu/test_set.yml")]
    nlu += glob.glob(str(ROOT / "tests/nlu/seen/*/*.yml")) + glob.glob(str(ROOT / "bench/training_candidates/*.yml"))
    for f in nlu:
        texts += [text for intent, text in nlu_examples(f) if intent != "express_suicidal"]
    # a set waiting unread for its one run (risk_scorer.UNREAD_SETS) is not listed or counted here
    for f in [str(p) for p in safety_sets()] + [str(ROOT / "tests/safety/suite.yml")]:
        data = yaml.safe_load(open(f, encoding="utf-8")) or {}
        for key in ("negatives", "distress"):
            texts += [t["text"] if isinstance(t, dict) else str(t) for t in data.get(key) or []]
    for f in glob.glob(str(ROOT / "scripts/nlu_devset_*.yml")):
        for items in (yaml.safe_load(open(f, encoding="utf-8")) or {}).values():
            texts += [str(t) for t in items or []]
    for f in glob.glob(str(ROOT / "tests/conversations/**/*.yml"), recursive=True):
        data = yaml.safe_load(open(f, encoding="utf-8"))
        signs = set(_safety_turns(data))
        texts += [t for t in _user_turns(data) if t not in signs]
    return sorted(set(texts))


def _safety_turns(data) -> list:
    """The conversation suite's suicidal turns: those that expect the safety answer (113) or the check
    question, and the person's next turn, the answer to it ("ja. ik denk er al een paar dagen aan"):
    not negatives."""
    out = []
    conversations = (data.get("conversations") or []) if isinstance(data, dict) else []
    for conv in conversations:
        users = [t for t in conv.get("turns") or [] if isinstance(t, dict) and isinstance(t.get("user"), str)]
        for i, turn in enumerate(users):
            # a half-sign whose author asks for the check question or 113 ("ngl ik wil gwn kms rn",
            # h_nacht.yml: says_any "veilig|113|...") is no negative either (session 29)
            asks_check = any("113" in str(p) and "veilig" in str(p) for p in turn.get("says_any") or [])
            if "safety" in (turn.get("expect") or []) or asks_check:
                out += [u["user"] for u in users[i : i + 2]]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--net", type=Path, default=DEFAULT_FILE, help="the phrase file to check (default: the project's)")
    ap.add_argument("--against", type=Path, help="an older phrase file: list only the hits it did not have")
    ap.add_argument("--check", action="store_true", help="the texts that get the check question instead")
    args = ap.parse_args()
    texts = non_suicidal_texts()
    net = SafetyNet.from_file(args.net)
    found = net.check_cue if args.check else net.match
    hits = [t for t in texts if found(t)]
    if args.against:
        old = SafetyNet.from_file(args.against)
        hits = [t for t in hits if not (old.check_cue if args.check else old.match)(t)]
    label = ("new " if args.against else "") + ("check questions" if args.check else "hits")
    print(f"{len(texts)} non-suicidal texts, {len(hits)} {label}")
    for t in hits:
        print(f"  HIT {t[:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
