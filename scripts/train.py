"""Train the Rasa model only when its inputs changed.

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
            h.update(str(f.relative_to(ROOT)).encode())
            h.update(f.read_bytes())
    # the report verifier also learns from the authors' development files (bot/nlu/report_verifier.py)
    hash_author_files(h)
    return h.hexdigest()


def main() -> int:
    force = "--force" in sys.argv
    fp = fingerprint()
    if not force and MODEL.exists() and STAMP.exists() and STAMP.read_text().strip() == fp:
        print(f"Model {MODEL.relative_to(ROOT)} is up to date (data, config and domain unchanged); not retraining.")
        return 0
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
