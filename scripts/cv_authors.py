"""Cross-validation over authors: do the development sets help the classifier as training data?

Every development file was written by one author with one brief (scripts/nlu_devset_*.yml,
bench/training_candidates/*.yml, tests/nlu/seen/blind_2026_12_03/*.yml). Wording learned from one
author carries over to the next one very little (docs/nlu.md, sessions 16-18), so the honest test of
"train on them" holds out whole authors: the files are split into folds by author; for each fold an
NLU model is trained on data/nlu plus the *other* folds' files and scored on the held-out files,
beside the production model (data/nlu only) on the same files. Nothing here reads the blind set.

The development files label messages by kind (payment / blackmail / on_behalf / other), not by intent
and entity. To train on them they are turned into Rasa examples by `silver()`:
- reports keep their gold intent (payment -> report_payment_demand, blackmail -> report_blackmail,
  on_behalf -> report_on_behalf; a file written for someone else, WRITTEN_FOR_SOMEONE: all
  report_on_behalf, as docs/annotation.md says);
- look-alikes ("other") keep the production model's reading when it is not a report, the fallback or
  the crisis intent (a question about sexting stays a question), and become out_of_scope otherwise;
- entities are the production model's own (silver labels), so the classifier keeps today's entity
  behaviour on this wording instead of learning that a platform in it is no platform.
Labelled Rasa files (training candidates, the retired blind set) are taken as they are.

    PYTHONPATH=. .venv/bin/python scripts/cv_authors.py            # folds, ~3 NLU trainings
    PYTHONPATH=. .venv/bin/python scripts/cv_authors.py --write FOLDER  # every file as training examples
    PYTHONPATH=. .venv/bin/python scripts/cv_authors.py --max-words 30  # long messages as windows
    PYTHONPATH=. .venv/bin/python scripts/cv_authors.py --max-words 60 --write data/nlu  # adopt (see below)
    PYTHONPATH=. .venv/bin/python scripts/cv_authors.py --max-words 60 --reports-only  # no look-alikes
    PYTHONPATH=. .venv/bin/python scripts/cv_authors.py --max-words 60 --hard-negatives  # see below
Results: reports/cv_authors/results.md (results_max30.md with --max-words 30).

Not adopted yet (docs/nlu.md, sessions 19-22; session 22: the folds held the rule, the conversation
suite did not, so it is now part of the rule; session 23: `--reports-only` failed the fold rule;
`--hard-negatives` is the next variant: reports, look-alikes only where the model reads a report, no
entities). `--write data/nlu` writes the files flat as
data/nlu/author_*.yml, so that every check that reads data/nlu/*.yml reads them. Once they are there the
production model has seen every author, so this script then trains a *baseline* first (data/nlu
without author_*.yml; or give one with --baseline) and uses it for the silver labels and as the
comparison column; the folds copy data/nlu without author_*.yml too.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from evaluate_devset import AUTHOR_FILES, BEHALF, GOLD, REPORTS, _line, score  # noqa: E402

# Folds by author, mixed by brief so that each fold holds teens, adults, people writing for someone
# and look-alikes (sizes in messages: ~1,400 each).
FOLDS = [
    [
        "scripts/nlu_devset_teens.yml",
        "scripts/nlu_devset_adults3.yml",
        "scripts/nlu_devset_lookalikes5.yml",
        "bench/training_candidates/on_behalf_2.yml",
        "tests/nlu/seen/blind_2026_12_03/author_d_lookalikes.yml",
        "tests/nlu/seen/blind_2026_12_03/author_a_teens.yml",
        # session 24 (written for the held-out test of the report verifier, docs/nlu.md); folds
        # measured before session 24 did not have it
        "scripts/nlu_devset_mixed2.yml",
    ],
    [
        "scripts/nlu_devset_adults.yml",
        "scripts/nlu_devset_teens2.yml",
        "scripts/nlu_devset_lookalikes6.yml",
        "scripts/nlu_devset_parents.yml",
        "bench/training_candidates/lookalikes_3.yml",
        "tests/nlu/seen/blind_2026_12_03/author_b_adults.yml",
    ],
    [
        "scripts/nlu_devset_adults2.yml",
        "scripts/nlu_devset_mixed.yml",
        "scripts/nlu_devset_others.yml",
        "scripts/nlu_devset_lookalikes4.yml",
        # session 23 (written for the held-out test of the report net's look-alike gate, docs/nlu.md);
        # in the smallest fold. Folds measured before session 23 did not have it
        "scripts/nlu_devset_lookalikes7.yml",
        "bench/training_candidates/reports_adults.yml",
        "bench/training_candidates/reports_teens.yml",
        "tests/nlu/seen/blind_2026_12_03/author_c_others.yml",
    ],
]
BEHALF_INTENT = BEHALF["on_behalf"]
# Files whose payment / blackmail reports are all written for someone else (the file's header says
# so): by docs/annotation.md those are report_on_behalf, whatever the demand (session 20: folds 1 and
# 2 of sessions 19 and 20 were trained with them as payment / blackmail).
WRITTEN_FOR_SOMEONE = {"scripts/nlu_devset_others.yml"}
# readings a look-alike must not be trained to: it is none of these
NOT_FOR_LOOKALIKES = REPORTS | {"nlu_fallback", "express_suicidal", "report_received_image"}


def _spans(entities: list, text: str) -> list:
    """Non-overlapping (start, end, entity) spans, longest first on overlap."""
    out: list = []
    for e in sorted(entities or [], key=lambda e: (-(e["end"] - e["start"]), e["start"])):
        s, t = int(e["start"]), int(e["end"])
        if s >= t or not text[s:t].strip() or any(s < b and a < t for a, b, _ in out):
            continue
        out.append((s, t, e["entity"]))
    return sorted(out)


def _trainable(parsed: dict, intent: str) -> bool:
    """What scripts/check.py demands of every example in data/nlu: the safety net and the intent
    agree (the net always wins, so a report that names suicide would be taught for nothing)."""
    by_phrases = (parsed.get("safety_net") or {}).get("by") == "phrases"
    return by_phrases == (intent == "express_suicidal")


def _readable(spans: list, text: str) -> list:
    """Silver amounts that scripts/check.py can read as euros (or knows are not euros)."""
    from check import _not_euros, normalise_amount

    return [
        (s, t, e)
        for s, t, e in spans
        if e != "amount" or normalise_amount(text[s:t]) is not None or _not_euros(text[s:t])
    ]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def windows(text: str, max_words: int) -> list:
    """(start, end) character windows of consecutive sentences, each at most max_words words: for
    every sentence, the longest run from it that fits (a sentence longer than max_words alone is cut
    at max_words words). Why: DIET pads each batch to its longest example, so a few 90-word stories
    make every epoch several times slower (docs/nlu.md, session 19); a window keeps whole sentences."""
    if max_words < 1:
        raise ValueError(f"max_words must be at least 1, not {max_words}")
    if len(text.split()) <= max_words:
        return [(0, len(text))]
    bounds, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    sizes = [len(text[a:b].split()) for a, b in bounds]
    out = []
    for i, (a, b) in enumerate(bounds):
        if sizes[i] > max_words:
            cut = [m.end() for m in re.finditer(r"\S+", text[a:b])][max_words - 1]
            out.append((a, a + cut))
            continue
        j, words = i, sizes[i]
        while j + 1 < len(bounds) and words + sizes[j + 1] <= max_words:
            j += 1
            words += sizes[j]
        if not out or out[-1][1] < bounds[j][1]:  # a run inside the previous one adds nothing
            out.append((a, bounds[j][1]))
    return out


def _confidence(parsed: dict, intents) -> float:
    return max((r["confidence"] for r in parsed.get("intent_ranking") or [] if r["name"] in intents), default=0.0)


def _unmark(line: str) -> tuple:
    """Annotated example -> (plain text, [(start, end, entity)]); the project writes only [text](entity)."""
    from bot.language.trainer_files import _ANNOTATION

    text, spans, pos = "", [], 0
    for m in _ANNOTATION.finditer(line):
        text += line[pos : m.start()]
        spans.append((len(text), len(text) + len(m.group(1)), m.group(2)))
        text += m.group(1)
        pos = m.end()
    return text + line[pos:], spans


@functools.lru_cache(maxsize=1)
def _report_net():
    """The trainer's report net, read once per run (default_net() parses the file on every call)."""
    from bot.language.report_phrases import default_net

    return default_net()


def _keeps_label(intent: str, text: str) -> bool:
    """The data checks every example in data/nlu must pass for its intent (tests/bot/test_report_net.py,
    tests/actions/test_extract.py): a report the report net calls something else, a report on behalf
    that names nothing happening, or a spread report without a word for spreading teaches the wrong
    thing. Why here: a window of a long report can lose the part that made it one (session 21)."""
    from actions.extract import _SPREAD_WORDS
    from bot.language.text_facts import norm

    net = _report_net()
    if intent.startswith("report_") and intent != "report_received_image" and net.not_sextortion(text):
        return False
    if intent == BEHALF_INTENT and net.nothing_happening(text):
        return False
    return intent != "report_images_shared" or bool(_SPREAD_WORDS.search(norm(text)))


async def _best_window(agent, text: str, intent: str, max_words: int | None, whole: dict | None = None) -> tuple:
    """(start, end, parsed) of the window to train on: the whole text when it fits; otherwise, of the
    windows that keep the label (_keeps_label), the one the production model reads most as `intent`
    (for a look-alike taught as out_of_scope: the window it reads most as a report, the hardest
    negative). None when no window keeps the label. `whole`: the text's parse, if done already."""
    spans = windows(text, max_words) if max_words else [(0, len(text))]
    if spans == [(0, len(text))]:
        if not _keeps_label(intent, text):
            return None
        return 0, len(text), whole or await agent.parse_message(text)
    wanted = REPORTS if intent == "out_of_scope" else {intent}
    best = None
    for a, b in spans:
        if not _keeps_label(intent, text[a:b]):
            continue
        parsed = await agent.parse_message(text[a:b])
        if best is None or _confidence(parsed, wanted) > _confidence(best[2], wanted):
            best = (a, b, parsed)
    return best


async def silver(agent, path: str, max_words: int | None = None, hard_only: bool = False) -> list:
    """[(intent, text, spans)] of one development file, ready to train on (see the module doc).
    With max_words, a longer message is trained as one window of whole sentences (_best_window).
    hard_only: of the look-alikes only the hard negatives, those the production model reads as a
    report (session 22's second variant: taught as out_of_scope; the others are left out)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    rows = []
    if "nlu" in data:
        from bot.language.trainer_files import nlu_examples

        for intent, line in nlu_examples(path, annotated=True):
            text, gold = _unmark(line)
            # a labelled look-alike keeps its gold intent; hard_only keeps it only when read as a report
            if (
                hard_only
                and intent not in REPORTS
                and (await agent.parse_message(text))["intent"]["name"] not in REPORTS
            ):
                continue
            window = await _best_window(agent, text, intent, max_words)
            if window is None:
                continue
            a, b, parsed = window
            if _trainable(parsed, intent):
                rows.append((intent, text[a:b], [(s - a, t - a, e) for s, t, e in gold if a <= s and t <= b]))
        return rows
    for_someone = Path(path).resolve() in {(ROOT / f).resolve() for f in WRITTEN_FOR_SOMEONE}
    for label, items in data.items():
        for text in items or []:
            text = " ".join(str(text).split())
            if not text or "[" in text or "]" in text:
                continue
            parsed = await agent.parse_message(text)
            predicted = parsed["intent"]["name"]
            if label in GOLD:
                intent = BEHALF_INTENT if for_someone else GOLD[label]
            elif label in BEHALF:
                intent = BEHALF_INTENT
            elif hard_only and predicted not in REPORTS:
                continue
            else:
                intent = "out_of_scope" if predicted in NOT_FOR_LOOKALIKES else predicted
            window = await _best_window(agent, text, intent, max_words, whole=parsed)
            if window is None:
                continue
            a, b, parsed = window
            text = text[a:b]
            if _trainable(parsed, intent):
                rows.append((intent, text, _readable(_spans(parsed.get("entities"), text), text)))
    return rows


def reports_only(rows: list) -> list:
    """The rows taught as a report intent (session 22's first variant): no look-alike taught as
    out_of_scope or as a question, because those also taught that answers inside a conversation
    ("ik heb nooit iets gestuurd") are out of scope (docs/nlu.md, session 22)."""
    return [row for row in rows if row[0] in REPORTS]


def without_entities(rows: list) -> list:
    """The rows with no entity marked (session 22's second variant): silver entities taught facts
    where none were (a deadline "vanavond", docs/nlu.md session 22), so only the intents are learned
    from the author files; the entities stay what the hand-written data teaches."""
    return [(intent, text, []) for intent, text, _ in rows]


def _key(text: str) -> str:
    """How two examples count as the same message (case and spacing do not matter)."""
    return " ".join(text.lower().split())


def _markup(text: str, spans) -> str:
    for s, t, entity in reversed(spans):
        text = f"{text[:s]}[{text[s:t]}]({entity}){text[t:]}"
    return text


def write_nlu(rows: list, path: Path, header: str, seen: set) -> int:
    """A Rasa NLU file of rows, leaving out texts already in data/nlu (or written before)."""
    by_intent: dict = {}
    for intent, text, spans in rows:
        plain = _key(text)  # every row is plain text + spans since _unmark
        if plain in seen:
            continue
        seen.add(plain)
        by_intent.setdefault(intent, []).append(_markup(text, spans))
    lines = ['version: "3.1"', *[f"# {h}" if h else "#" for h in header.splitlines()], "nlu:"]
    for intent in sorted(by_intent):
        lines.append(f"- intent: {intent}\n  examples: |")
        lines += [f"    - {t}" for t in by_intent[intent]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sum(len(v) for v in by_intent.values())


def author_file_name(source: str) -> str:
    """data/nlu file name for one development file: author_<brief>.yml (retired blind: author_retired_*)."""
    stem = Path(source).stem.replace("nlu_devset_", "")
    if "blind_2026_12_03" in source:
        stem = "retired_" + stem.replace("author_", "")
    return f"author_{stem}.yml"


def _hand_written(nlu_dir: Path) -> list:
    """data/nlu's files without the generated author files: what the baseline and the folds start from."""
    return [f for f in sorted(nlu_dir.glob("*.yml")) if not f.match(AUTHOR_FILES)]


def _seen_texts() -> set:
    """Texts not to write again: the hand-written training data and the old test set (a message of it
    in the training data would make its figures seen ones)."""
    from bot.language.trainer_files import nlu_examples

    files = _hand_written(ROOT / "data" / "nlu") + [ROOT / "tests" / "nlu" / "test_set.yml"]
    return {_key(t) for f in files for _, t in nlu_examples(f)}


def _copy_hand_written(target: Path) -> None:
    shutil.copytree(ROOT / "data" / "nlu", target, ignore=shutil.ignore_patterns(AUTHOR_FILES))


def _baseline(args, out: Path) -> Path:
    """The model to label with and to compare against: the production model while data/nlu holds no
    author files; otherwise one trained on data/nlu without them (else it has seen the held-out authors)."""
    from rasa.model_training import train_nlu

    if args.baseline:
        return Path(args.baseline)
    if not any((ROOT / "data" / "nlu").glob(AUTHOR_FILES)):
        return Path(args.model)
    out.mkdir(parents=True, exist_ok=True)
    print("[cv-authors] data/nlu holds author files: training a baseline without them (about 4 minutes)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        _copy_hand_written(Path(tmp) / "nlu")
        return Path(train_nlu(args.config, str(Path(tmp) / "nlu"), str(out), fixed_model_name="baseline"))


async def _silver_all(model: Path, files: list, max_words: int | None, hard_only: bool = False) -> dict:
    from rasa.core.agent import load_agent

    agent = await load_agent(str(model))
    out = {}
    for f in files:
        out[f] = await silver(agent, f, max_words, hard_only)
        print(f"[cv-authors] silver labels: {f} ({len(out[f])} examples)", flush=True)
    return out


def main() -> int:
    from rasa.model_training import train_nlu

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(ROOT / "models" / "nachtlicht.tar.gz"), help="production model")
    ap.add_argument("--baseline", help="model trained without the author files (default: trained here when needed)")
    ap.add_argument("--config", default=str(ROOT / "config.yml"))
    ap.add_argument("--out", default=str(ROOT / "reports" / "cv_authors"))
    ap.add_argument("--folds", default="1,2,3", help="which folds to run (1-based)")
    ap.add_argument("--write", help="write every file's training examples to this folder and stop")
    ap.add_argument(
        "--max-words", type=int, help="train a longer message as one window of whole sentences (see windows())"
    )
    ap.add_argument(
        "--reports-only",
        action="store_true",
        help="train only the author files' reports, no look-alikes (session 22's registered first variant)",
    )
    ap.add_argument(
        "--hard-negatives",
        action="store_true",
        help="reports plus only the look-alikes the production model reads as a report, no entities "
        "(session 22's registered second variant)",
    )
    args = ap.parse_args()
    if args.reports_only and args.hard_negatives:
        ap.error("--reports-only and --hard-negatives are two different variants: give one")
    if args.max_words is not None and args.max_words < 1:
        ap.error("--max-words must be at least 1 (session 20 measured 30 and 60)")
    for name in ("model", "baseline"):
        path = getattr(args, name)
        if path and not Path(path).is_file():
            ap.error(f"--{name} {path}: no such model file (make train writes models/nachtlicht.tar.gz)")
    files = [f for fold in FOLDS for f in fold]
    out = Path(args.out)
    baseline = _baseline(args, out)
    silver_rows = asyncio.run(_silver_all(baseline, files, args.max_words, args.hard_negatives))
    if args.reports_only:
        silver_rows = {f: reports_only(rows) for f, rows in silver_rows.items()}
    if args.hard_negatives:
        silver_rows = {f: without_entities(rows) for f, rows in silver_rows.items()}
    variant = "_reports" if args.reports_only else "_hard" if args.hard_negatives else ""
    flag = " --reports-only" if args.reports_only else " --hard-negatives" if args.hard_negatives else ""
    if args.write:
        target = ROOT / args.write
        target.mkdir(parents=True, exist_ok=True)
        for old in target.glob(AUTHOR_FILES):  # regenerate: no stale file of an author dropped from FOLDS
            old.unlink()
        seen = _seen_texts()
        cap = f" --max-words {args.max_words}" if args.max_words else ""
        cap += flag
        for f in files:
            name = author_file_name(f)
            n = write_nlu(
                silver_rows[f],
                target / name,
                f"Generated by scripts/cv_authors.py{cap} --write {args.write} from {f}\n"
                "(one author, one brief). Do not edit here: edit the source and regenerate (docs/training.md).\n"
                "Reports keep their gold intent; look-alikes keep the model's reading unless it was a report\n"
                "(then out_of_scope); entities are silver (the baseline model's).",
                seen,
            )
            print(f"[cv-authors] wrote {target.name}/{name}: {n} examples", flush=True)
        return 0

    out.mkdir(parents=True, exist_ok=True)
    stem = f"results_max{args.max_words}" if args.max_words else "results"
    results = out / (stem + variant + ".md")
    cap = f", windows <= {args.max_words} words" if args.max_words else ""
    cap += ", reports only" if args.reports_only else ", hard negatives, no entities" if args.hard_negatives else ""
    table = ["| fold | held-out files | model | figures |", "|---|---|---|---|"]
    for k in [int(x) for x in args.folds.split(",")]:
        held = FOLDS[k - 1]
        train_files = [f for i, fold in enumerate(FOLDS, 1) if i != k for f in fold]
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = Path(tmp) / "nlu"
            _copy_hand_written(data_dir)
            seen = _seen_texts()
            total = sum(
                write_nlu(silver_rows[f], data_dir / f"extra_{i}.yml", "cv", seen) for i, f in enumerate(train_files)
            )
            print(
                f"[cv-authors] fold {k}: training on data/nlu + {total} examples of {len(train_files)} files",
                flush=True,
            )
            t = time.time()
            model = train_nlu(args.config, str(data_dir), tmp, fixed_model_name=f"fold{k}")
            seconds = time.time() - t
            print(f"[cv-authors] fold {k}: trained in {seconds:.0f} s", flush=True)
            base = asyncio.run(score(baseline, held, show=False, per_file=True))
            cand = asyncio.run(score(Path(model), held, show=False, per_file=True))
        table.append(f"| {k} | {len(held)} | baseline (data/nlu without author files) | {_line(base)} |")
        table.append(
            f"| {k} | {len(held)} | + other folds' files ({total} ex.{cap}, {seconds:.0f} s) | {_line(cand)} |"
        )
        results.write_text("\n".join(table) + "\n")
        print("\n".join(table[-2:]), flush=True)
    print("\n".join(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
