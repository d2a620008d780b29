"""Docs and comments name files that exist (issue 18: 6 of 10 checked doc claims had drifted,
several by naming files that had moved). Every path under a project folder that a README, a
doc, a Python module, a YAML file or the Makefile names must exist."""

from __future__ import annotations

import glob
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = "bot|actions|scripts|tests|data|texts|docs|configs|bench|deploy|migrations|spacy_nl|\\.ci"
PATH = re.compile(rf"(?<![\w./-])((?:{FOLDERS})/[\w./-]*\w)")
# Named on purpose although they do not exist (yet): where a retired blind set goes, a name
# pattern, files that tests create in a temporary folder, a made-up example in a usage line.
NOT_FILES = {
    "tests/nlu/seen",
    "tests/fixtures/trackers/NAME.json",
    "data/nlu/x.yml",
    "configs/cv/a.yml",
    "data/config",
    "bot/human",
    # the author files' name pattern (data/nlu/author_*.yml, written only if a rule adopts them) and
    # one that tests/bot/test_cv_authors.py writes in a temporary folder
    "data/nlu/author_",
    "data/nlu/author_teens.yml",
}


def _sources():
    patterns = ["README.md", "Makefile", "docs/*.md", "tests/**/README.md", "**/*.py", "**/*.yml"]
    for pattern in patterns:
        for name in glob.glob(str(ROOT / pattern), recursive=True):
            rel = Path(name).relative_to(ROOT).as_posix()
            if not rel.startswith((".venv/", "var/", "reports/", "models/", ".rasa/")):
                yield Path(name), rel


def test_every_named_project_path_exists():
    missing = []
    for path, rel in _sources():
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="ignore").splitlines(), start=1):
            for m in PATH.finditer(line):
                named = m.group(1).rstrip(".")
                if named in NOT_FILES or any(c in named for c in "*<>{}"):
                    continue
                if not (ROOT / named).exists() and not glob.glob(str(ROOT / named) + "*"):
                    missing.append(f"{rel}:{number}: {named}")
    assert not missing, "named but missing:\n" + "\n".join(missing)
