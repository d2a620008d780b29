"""Keep the previous evaluation report and show what changed (issue 18, `make evaluate`).

Used by scripts/evaluate_nlu.py, scripts/evaluate_blind.py and scripts/evaluate_outcomes.py:

* ``keep_previous(out)`` copies a report folder (``reports/nlu``) to ``reports/previous/nlu``
  right before the new report overwrites it, and returns the previous ``summary.json`` (or None);
* ``changes_text(kind, old, new)`` is the short table of headline numbers that changed, old → new
  with + / −. ``kind`` says which numbers: ``"dev"`` (the development set, in full: bars, per
  intent, per entity, and the messages that became right or wrong), ``"blind"`` and
  ``"outcomes"`` (aggregates only: only numbers are ever read from those summaries, so no
  message of the blind set can be printed; docs/nlu.md, blind protocol).

Run on its own, it prints the headline changes of all three reports:
``python scripts/report_diff.py`` (compares reports/previous/<name> with reports/<name>).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Iterable, Optional

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
PREVIOUS = "previous"
# Report folder -> kind of numbers that may be shown from it.
KINDS = {"nlu": "dev", "nlu_blind": "blind", "outcomes_blind": "outcomes", "outcomes_dev": "outcomes_dev"}
# The bars and overall figures (scripts/evaluate_nlu.py THRESHOLDS and its extra metrics).
NLU_HEADLINE = (
    "family_recall",
    "family_false_alarm_rate",
    "suicidal_recall",
    "payment_vs_blackmail_accuracy",
    "entity_f1_amount",
    "entity_f1_platform",
    "intent_accuracy",
    "macro_f1",
    "safety_net_hits",
)
MAX_MESSAGES = 15  # per direction, in the development-set message list
MINUS = "\u2212"


def previous_dir(out: Path) -> Path:
    """reports/nlu -> reports/previous/nlu (next to the report, for any --out)."""
    out = Path(out)
    return out.parent / PREVIOUS / out.name


def load_summary(folder: Path) -> Optional[dict]:
    path = Path(folder) / "summary.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def keep_previous(out: Path) -> Optional[dict]:
    """Copy the report folder ``out`` (if it has a report) to reports/previous/<name>, replacing the
    copy kept there before; returns the kept summary (None on a first run)."""
    out = Path(out)
    if not (out / "summary.json").is_file():
        return None
    dest = previous_dir(out)
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(out, dest)
    return load_summary(dest)


# --- picking the numbers -------------------------------------------------------------------


def _number(value) -> Optional[float]:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    return None


def numbers(section: Optional[dict], prefix: str = "") -> dict:
    """The numeric leaves of a (nested) dict as {"a.b": value}; text and lists are never taken."""
    out: dict = {}
    for key, value in (section or {}).items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(numbers(value, name + "."))
        else:
            n = _number(value)
            if n is not None:
                out[name] = n
    return out


def headline(kind: str, summary: Optional[dict], full: bool = True) -> dict:
    """The numbers of a summary.json worth comparing. ``full=False``: only the overall figures."""
    s = summary or {}
    if kind in ("dev", "blind"):
        metrics = s.get("metrics") or {}
        out = {k: metrics[k] for k in NLU_HEADLINE if _number(metrics.get(k)) is not None}
        if not full:
            return out
        if kind == "dev":
            out["messages"] = s.get("n")
            out.update({f"intent {k} F1": v.get("f1") for k, v in (s.get("per_intent") or {}).items()})
            out.update({f"entity {k} F1": v.get("f1") for k, v in (s.get("entities") or {}).items()})
        else:
            out["messages"] = s.get("messages")
            out.update(numbers(s.get("by_author"), "author "))
    elif kind.startswith("outcomes"):
        out = numbers({k: v for k, v in (s.get("metrics") or {}).items() if k != "counts"})
        if full:
            out["messages"] = s.get("messages")
            out.update(numbers((s.get("metrics") or {}).get("counts"), "messages "))
    else:
        raise ValueError(f"unknown report kind {kind!r}")
    return {k: v for k, v in out.items() if _number(v) is not None}


def changes(old: dict, new: dict, places: int = 3) -> list:
    """[(name, old, new)] for every number that differs when rounded to ``places`` decimals
    (None for a number that is only on one side), in the order of ``new`` then ``old``."""
    rows = []
    for key in list(new) + [k for k in old if k not in new]:
        a, b = old.get(key), new.get(key)
        if a is None or b is None:
            if a is not None or b is not None:
                rows.append((key, a, b))
        elif round(float(a), places) != round(float(b), places):
            rows.append((key, a, b))
    return rows


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return str(value)
    return f"{value:.3f}"


def _delta(a, b) -> str:
    if a is None or b is None:
        return "new" if a is None else "gone"
    d = b - a
    text = str(abs(d)) if isinstance(a, int) and isinstance(b, int) else f"{abs(d):.3f}"
    return ("+" if d > 0 else MINUS) + text


def table(rows: Iterable[tuple]) -> list:
    """Aligned lines 'name   old → new   ±delta'."""
    rows = list(rows)
    if not rows:
        return []
    width = max(len(r[0]) for r in rows)
    return [f"  {name:<{width}}  {_fmt(a):>7} → {_fmt(b):<7}  {_delta(a, b)}" for name, a, b in rows]


def message_changes(old: Optional[dict], new: Optional[dict]) -> tuple:
    """Development set only: (newly wrong, now right) messages from the 'misclassified' lists,
    each as (text, expected, predicted)."""

    def wrong(s):
        return {m["text"]: m for m in (s or {}).get("misclassified") or [] if isinstance(m, dict) and "text" in m}

    before, after = wrong(old), wrong(new)
    newly = [(t, m.get("expected"), m.get("predicted")) for t, m in after.items() if t not in before]
    fixed = [(t, m.get("expected"), m.get("predicted")) for t, m in before.items() if t not in after]
    return newly, fixed


def changes_text(kind: str, old: Optional[dict], new: Optional[dict], title: str = "", full: bool = True) -> str:
    """The short 'what changed' block printed after a report."""
    head = f"Changes since the previous run{' (' + title + ')' if title else ''}:"
    if old is None:
        return f"{head} no previous report to compare with (first run); next time the differences are shown here."
    rows = changes(headline(kind, old, full), headline(kind, new, full))
    lines = [head] + (table(rows) or ["  no headline number changed"])
    if kind == "dev" and full and "misclassified" in (old or {}):
        newly, fixed = message_changes(old, new)
        for label, items in (("now wrong", newly), ("now right", fixed)):
            if items:
                lines.append(f"  {label} ({len(items)}):")
                for text, expected, predicted in items[:MAX_MESSAGES]:
                    lines.append(f"    - {text}  [{expected}; model: {predicted}]")
                if len(items) > MAX_MESSAGES:
                    lines.append(f"    … and {len(items) - MAX_MESSAGES} more (reports/nlu/misclassified.md)")
    return "\n".join(lines)


def main(argv: list) -> int:
    reports = Path(argv[0]) if argv else REPORTS
    shown = 0
    for name, kind in KINDS.items():
        new = load_summary(reports / name)
        if new is None:
            continue
        if not shown:
            print("\n== What changed since the previous evaluation (overall figures; details above) ==")
        shown += 1
        print(changes_text(kind, load_summary(reports / PREVIOUS / name), new, title=f"reports/{name}", full=False))
    if not shown:
        print(f"No reports in {reports}; run 'make evaluate' first.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
