"""scripts/try.py (`make try "zin"`, issue 18): one sentence through the current model."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "try.py"
MODEL = ROOT / "models" / "nachtlicht.tar.gz"
ENV = dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3")


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=timeout
    )


def test_a_missing_model_gives_the_dutch_message_and_fails(tmp_path):
    done = run("--model", str(tmp_path / "geen.tar.gz"), "hoi")
    assert done.returncode == 1
    assert "Geen model gevonden" in done.stderr and "make train" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_no_sentence_is_refused_with_an_example():
    done = run("  ")
    assert done.returncode == 2
    assert "Geef een zin" in done.stderr and "make try" in done.stderr


@pytest.mark.e2e  # starts the action server for a moment
def test_a_model_that_does_not_load_gives_one_error_line(tmp_path):
    broken = tmp_path / "kapot.tar.gz"
    broken.write_text("geen model")
    done = run("--model", str(broken), "hoi", timeout=120)
    assert done.returncode == 1
    assert "FOUT:" in done.stderr and "Traceback" not in done.stderr + done.stdout


@pytest.mark.e2e
@pytest.mark.skipif(not MODEL.exists(), reason="no trained model (make train)")
def test_a_payment_demand_shows_intent_euros_and_the_reply():
    done = run("hij wil 300 euro anders stuurt hij mijn naaktfoto door", timeout=300)
    out = done.stdout
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Model laden" in out
    assert "Intentie:" in out and "Top 3:" in out
    assert re.search(r"^Bedrag:\s+€ 300\s", out, re.M), out  # the amount entity read as euros
    assert "Vangnet:" in out and "Vraagonderwerp:" in out
    reply = out.split("Antwoord van de bot", 1)[1]
    assert "1." in reply and len(reply.split()) > 20  # the bot's first reply, in full
