"""Reading the files trainers edit (data/, texts/, actions/responses.yml) so that a mistake in
one can never take the running bot down.

* :func:`read_yaml` turns a YAML mistake into :class:`TrainerFileError` with the file, the line
  and what to do, in Dutch (``make check`` prints it as ``FOUT …``).
* :func:`load_or_last_good` is the one door every runtime loader goes through: a file that parses
  is used and a copy is kept in ``var/last_good/``; a broken file is refused with its reason in
  the log, and the last good copy is used instead. Only when there never was a good copy does the
  error reach the caller (at start-up, so the bot does not start half-working).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path
from typing import Any, Callable, List, Optional, Tuple, TypeVar

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
LAST_GOOD_DIR = ROOT / "var" / "last_good"
RESPONSES_FILE = ROOT / "actions" / "responses.yml"
T = TypeVar("T")
log = logging.getLogger(__name__)


def rel(path: Path | str) -> str:
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


class TrainerFileError(ValueError):
    """A trainer file cannot be used; ``str()`` names the file, the line and the fix."""

    def __init__(self, path: Path | str, line: Optional[int], message: str) -> None:
        self.path, self.line, self.message = Path(path), line, message
        where = f"{rel(path)}:{line}" if line else rel(path)
        super().__init__(f"{where}: {message}")


def line_of(text: str, needle: str) -> Optional[int]:
    """The first line (1-based) that contains ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None


def read_yaml(path: Path | str, kind: type = dict) -> Tuple[Any, str]:
    """The YAML in ``path`` and its text; any mistake becomes a TrainerFileError with its line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TrainerFileError(path, None, f"kan het bestand niet lezen ({exc})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        # where it was noticed; for a quote that never closes, where that quote started
        mark = getattr(exc, "problem_mark", None)
        if "quoted scalar" in str(getattr(exc, "context", "") or "") and getattr(exc, "context_mark", None):
            mark = exc.context_mark
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        line = mark.line + 1 if mark else None
        # a quote that opens a list item and never closes on its line ("- 'k wil ...") makes YAML
        # read on until some later quote: name that line, not where YAML finally gave up
        suspect = _unclosed_quote_line(text, line)
        line = suspect or line
        raise TrainerFileError(
            path,
            line,
            f"geen geldige YAML ({problem}). Begint een zin met ' of \", of staat er ': ' of ' #' in? "
            'Zet de hele zin dan tussen dubbele aanhalingstekens (en een " erin als \\"). '
            "Gebruik spaties, geen tabs.",
        ) from exc
    if data is None:
        data = kind()
    if not isinstance(data, kind):
        raise TrainerFileError(path, 1, "het bestand heeft niet de vorm die de uitleg bovenin beschrijft")
    return data, text


def _unclosed_quote_line(text: str, before: Optional[int]) -> Optional[int]:
    """The first line up to ``before`` whose item starts with a quote that does not close on it."""
    for number, line in enumerate(text.splitlines(), start=1):
        if before is not None and number > before:
            break
        m = re.match(r"^\s*(?:-\s+|[\w-]+:\s+)(['\"])(.*)$", line)
        if m and not re.search(re.escape(m.group(1)) + r"\s*(#.*)?$", m.group(2)):
            return number
    return None


def _copy_path(path: Path, keep_dir: Path) -> Path:
    return keep_dir / rel(path).replace("/", "__").replace("\\", "__")


def load_or_last_good(path: Path | str, parse: Callable[[Path], T], keep_dir: Optional[Path] = None) -> T:
    """``parse(path)``; on success keep a copy, on failure use the last good copy (logged)."""
    path, keep_dir = Path(path), Path(keep_dir or LAST_GOOD_DIR)
    copy = _copy_path(path, keep_dir)
    try:
        value = parse(path)
    except Exception as exc:  # any mistake in a trainer file: never take the bot down
        if not copy.exists():
            raise
        log.error("%s is refused (%s); the last good version is used. Fix it and run 'make check'.", rel(path), exc)
        return parse(copy)
    try:
        keep_dir.mkdir(parents=True, exist_ok=True)
        if not copy.exists() or copy.read_bytes() != path.read_bytes():
            tmp = copy.with_suffix(f"{copy.suffix}.{os.getpid()}.tmp")  # several processes load at once
            shutil.copyfile(path, tmp)
            tmp.replace(copy)
    except OSError as exc:  # a read-only checkout still runs; it only has no fallback
        log.warning("Could not keep a copy of %s in %s: %s", rel(path), rel(keep_dir), exc)
    return value


# An entity annotation in an NLU example: "[300 euro](amount)" -> "300 euro" (group 2: the entity)
_ANNOTATION = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


def nlu_examples(path: Path | str, annotated: bool = False) -> list:
    """(intent, plain text) of every example of a Rasa NLU file, annotations removed (kept as written
    with ``annotated``). One reader for the scripts and tests that go through the labelled files
    (evaluation, safety and report checks, scripts/cv_authors.py)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    out = []
    for block in data.get("nlu") or []:
        intent = block.get("intent")
        for line in str(block.get("examples") or "").splitlines() if intent else []:
            if line.strip().startswith("- "):
                example = line.strip()[2:]
                out.append((intent, example if annotated else _ANNOTATION.sub(r"\1", example)))
    return out


def response_variants(keep: Callable[[str], bool]) -> List[str]:
    """The text of every variant of the actions/responses.yml entries whose name ``keep`` accepts (how the
    web app recognises a bot text it gets back from Rasa)."""
    texts, _ = read_yaml(RESPONSES_FILE, dict)
    found = []
    for key, variants in texts.items():
        if not keep(key):
            continue
        for variant in variants or []:
            said = variant.get("text") if isinstance(variant, dict) else variant
            if isinstance(said, str) and said.strip():
                found.append(said)
    return found
