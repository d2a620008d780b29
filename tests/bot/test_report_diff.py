"""scripts/report_diff.py: `make evaluate` keeps the previous report and shows what changed
(issue 18). Pure functions on small dicts; no model needed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import report_diff as rd  # noqa: E402

BARS = {
    "family_recall": 0.95,
    "family_false_alarm_rate": 0.04,
    "suicidal_recall": 1.0,
    "payment_vs_blackmail_accuracy": 0.9,
    "entity_f1_amount": 0.91,
    "entity_f1_platform": 0.93,
    "intent_accuracy": 0.88,
    "macro_f1": 0.85,
    "safety_net_hits": 12,
}


def dev(**changes):
    metrics = dict(BARS, **changes.pop("metrics", {}))
    summary = {
        "metrics": metrics,
        "n": 700,
        "latency": {"p50_ms": 9.0},
        "per_intent": {"report_blackmail": {"f1": 0.9, "support": 80}, "greet": {"f1": 1.0, "support": 10}},
        "entities": {"amount": {"f1": 0.91}},
        "misclassified": [
            {"text": "hij wil geld", "expected": "report_payment_demand", "predicted": "report_blackmail"}
        ],
    }
    summary.update(changes)
    return summary


def test_only_changed_numbers_are_listed_with_plus_and_minus():
    old, new = dev(), dev(metrics={"family_recall": 0.962, "entity_f1_amount": 0.9, "safety_net_hits": 14})
    rows = rd.changes(rd.headline("dev", old), rd.headline("dev", new))
    assert rows == [("family_recall", 0.95, 0.962), ("entity_f1_amount", 0.91, 0.9), ("safety_net_hits", 12, 14)]
    text = "\n".join(rd.table(rows))
    assert "0.950 → 0.962" in text and "+0.012" in text
    assert "\u22120.010" in text  # a drop shows a minus
    assert "12 → 14" in text and "+2" in text


def test_rounding_noise_and_latency_are_not_changes():
    old, new = dev(), dev(metrics={"macro_f1": 0.85000001}, latency={"p50_ms": 30.0})
    assert rd.changes(rd.headline("dev", old), rd.headline("dev", new)) == []
    assert "no headline number changed" in rd.changes_text("dev", old, new)


def test_development_set_in_full_per_intent_entity_and_messages():
    old = dev()
    new = dev(
        per_intent={"report_blackmail": {"f1": 0.95}, "greet": {"f1": 1.0}, "ask_police": {"f1": 0.5}},
        misclassified=[{"text": "mag ik anoniem blijven", "expected": "ask_anonymous", "predicted": "ask_police"}],
    )
    text = rd.changes_text("dev", old, new, title="development set")
    assert "intent report_blackmail F1" in text and "0.900 → 0.950" in text
    assert "intent ask_police F1" in text and "new" in text  # an intent that was not there before
    assert "intent greet F1" not in text  # unchanged
    assert "now wrong (1):" in text and "mag ik anoniem blijven" in text
    assert "now right (1):" in text and "hij wil geld" in text


def test_blind_and_outcomes_show_aggregates_only_never_a_message():
    secret = "dit is een blind bericht"
    old = {
        "messages": 708,
        "metrics": dict(BARS),
        "by_author": {"author_a": {"family_recall": 0.9, "messages": 180}},
        "misclassified": [{"text": secret}],
        "note": secret,
    }
    new = {
        "messages": 708,
        "metrics": dict(BARS, family_recall=0.97),
        "by_author": {"author_a": {"family_recall": 0.8, "messages": 180}},
        "misclassified": [{"text": secret + " 2"}],
        "note": secret + " 2",
        "examples": [secret],
    }
    text = rd.changes_text("blind", old, new)
    assert "family_recall" in text and "0.950 → 0.970" in text
    assert "author author_a.family_recall" in text
    assert secret not in text and "now wrong" not in text
    assert all(isinstance(v, (int, float)) for v in rd.headline("blind", new).values())

    outcomes_old = {
        "messages": 708,
        "metrics": {"family_script": 0.9, "unrelated_script": 0.05, "suicidal_113": None, "counts": {"family": 300}},
    }
    outcomes_new = {
        "messages": 708,
        "metrics": {
            "family_script": 0.93,
            "unrelated_script": 0.05,
            "suicidal_113": 1.0,
            "counts": {"family": 300},
            "texts": [secret],
        },
    }
    text = rd.changes_text("outcomes", outcomes_old, outcomes_new)
    assert "family_script" in text and "+0.030" in text
    assert "suicidal_113" in text and "new" in text
    assert "unrelated_script" not in text and secret not in text


def test_short_form_has_only_the_overall_figures():
    old, new = dev(), dev(metrics={"family_recall": 0.9}, per_intent={"report_blackmail": {"f1": 0.1}})
    text = rd.changes_text("dev", old, new, full=False)
    assert "family_recall" in text and "report_blackmail" not in text and "now wrong" not in text


def test_first_run_says_there_is_nothing_to_compare():
    assert "no previous report" in rd.changes_text("dev", None, dev())


def test_keep_previous_copies_the_report_folder(tmp_path):
    out = tmp_path / "reports" / "nlu"
    assert rd.keep_previous(out) is None  # nothing yet
    out.mkdir(parents=True)
    (out / "summary.json").write_text(json.dumps(dev()))
    (out / "README.md").write_text("old report")
    kept = rd.keep_previous(out)
    assert kept == dev()
    assert rd.previous_dir(out) == tmp_path / "reports" / "previous" / "nlu"
    assert (tmp_path / "reports" / "previous" / "nlu" / "README.md").read_text() == "old report"
    (out / "README.md").write_text("newer report")
    rd.keep_previous(out)  # the copy of the run before is replaced
    assert (tmp_path / "reports" / "previous" / "nlu" / "README.md").read_text() == "newer report"


def test_main_prints_the_headline_changes_of_every_report(tmp_path, capsys):
    for folder, summary in (("nlu", dev()), ("previous/nlu", dev(metrics={"family_recall": 0.9}))):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "summary.json").write_text(json.dumps(summary))
    assert rd.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "reports/nlu" in out and "0.900 → 0.950" in out and "+0.050" in out
