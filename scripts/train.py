"""Train the Rasa model only when its inputs changed, then the check question's risk scorer
(bot/language/risk_scorer.py, models/risk_scorer.joblib) only when its inputs changed.

Runs `scripts/check.py --files-only` first: a broken trainer file is refused with its reason.
The fingerprint covers config.yml, domain.yml, data/, our custom NLU components and the code they use,
and is stored next to the model (models/nachtlicht.fingerprint).
Usage: python scripts/train.py [--force]
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "nachtlicht.tar.gz"
STAMP = ROOT / "models" / "nachtlicht.fingerprint"
sys.path.insert(0, str(ROOT))
from bot.language.author_files import hash_author_files  # noqa: E402

INPUTS = ["config.yml", "domain.yml", "data", "bot/nlu", "bot/language"]
# read by the web app only, never by Rasa: a change retrains the risk scorer, not the Rasa model
NOT_RASA = {"bot/language/risk_scorer.py"}


def fingerprint() -> str:
    h = hashlib.sha256()
    for name in INPUTS:
        path = ROOT / name
        files = (
            sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
            if path.is_dir()
            else [path]
        )
        for f in files:
            if str(f.relative_to(ROOT)) in NOT_RASA:
                continue
            h.update(str(f.relative_to(ROOT)).encode())
            h.update(f.read_bytes())
    # the report verifier also learns from the authors' development files (bot/nlu/report_verifier.py)
    hash_author_files(h)
    return h.hexdigest()


def train_risk_scorer(force: bool) -> int:
    """The learned scorer behind the gentle check question (docs/safety.md, session 25)."""
    from bot.language import risk_scorer

    path = risk_scorer.path_for(MODEL)
    if not force and path.exists() and risk_scorer.stored_fingerprint(path) == risk_scorer.fingerprint():
        print(f"Risk scorer {path.relative_to(ROOT)} is up to date; not retraining.")
        return 0
    print("Training the risk scorer for the check question (about half a minute) ...", flush=True)
    t0 = time.time()
    try:
        risk_scorer.train(path)
    except Exception as exc:  # the chat still works without it (cues alone); say what to do
        print(f"Training the risk scorer failed ({type(exc).__name__}: {exc}). Run 'make check', fix, 'make train'.")
        return 1
    print(f"Risk scorer trained in {time.time() - t0:.0f}s: {path.relative_to(ROOT)}")
    return 0


def main() -> int:
    force = "--force" in sys.argv
    fp = fingerprint()
    if not force and MODEL.exists() and STAMP.exists() and STAMP.read_text().strip() == fp:
        print(f"Model {MODEL.relative_to(ROOT)} is up to date (data, config and domain unchanged); not retraining.")
        return train_risk_scorer(force)
    # A broken trainer file is refused before training, with the file, the line and the fix.
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check.py"), "--files-only"],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    if check.returncode != 0:
        print("Not training: fix the file named above (FOUT ...), then run 'make check' and 'make train'.")
        return 1
    print("Training the Rasa model (NLU + dialogue); this takes a few minutes on 2 cores ...", flush=True)
    t0 = time.time()
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=str(ROOT))
    cmd = [
        sys.executable,
        "-m",
        "rasa",
        "train",
        "--fixed-model-name",
        "nachtlicht",
        "--out",
        "models",
        "--config",
        "config.yml",
        "--domain",
        "domain.yml",
        "--data",
        "data",
    ]
    if force:
        cmd.append("--force")
    proc = subprocess.run(cmd, cwd=ROOT, env=env)
    if proc.returncode != 0 or not MODEL.exists():
        print("Training failed. Run 'make validate' to find data errors, fix them, then 'make train'.")
        return 1
    STAMP.write_text(fp)
    print(f"Model trained in {time.time() - t0:.0f}s: {MODEL.relative_to(ROOT)}")
    return train_risk_scorer(force)


if __name__ == "__main__":
    sys.exit(main())
