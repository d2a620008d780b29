"""A learned risk scorer for the gentle check question (docs/safety.md, session 25).

Eighteen safety development sets, each by its own author, showed the same thing: the phrase lists
(data/safety/) know the wording they were written from and little else, so a new author's suicidal
messages got the crisis message or the check question about 80-90 % of the time on their first run.
This scorer learns from all of them at once: n-grams and a logistic regression (bot/language/ngrams.py),
trained on data/nlu (the crisis intent against the others), the safety development sets (their
suicidal messages against their distress and ordinary messages) and the NLU development files (all
not suicidal). Never on a test: not the safety suite, the conversation suite, the old NLU test set or
any blind set, so those still measure it.

Its only power is the check question (bot/web/chat/safety_check.py ``due``): one question that names
113, no urgent case, asked once, only when the net did not match. It never gives the crisis message and
never takes one away: the phrase lists stay the guarantee. Trained by ``make train`` (scripts/train.py)
into ``models/risk_scorer.joblib`` next to the Rasa model, with a fingerprint of its inputs; when that
file is missing or unreadable the check question falls back to the cues alone and a warning is logged.
"""

from __future__ import annotations

import glob
import hashlib
import logging
import threading
from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Tuple

import yaml

from bot.language.author_files import author_examples, author_paths, hash_author_files

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent.parent
# chosen on the leave-one-author-out estimate (scripts/cv_risk.py) and confirmed on safety set 19
THRESHOLD = 0.9
# The person's opening messages (the web app's opening mark: before the advice script, within their
# first five) are asked from this score on: a first message is where a sign in unknown wording was
# still missed (4 of 56 on the unread NLU set, session 32); later answers keep THRESHOLD, where a
# lower one asks on ordinary answers (docs/safety.md, session 33: registered, then tested once)
OPENING_THRESHOLD = 0.8
# None: it reads every message of the person. Session 25 had 2 (the opening only: it had learned from
# first messages and read "Dat houd ik liever voor mezelf" mid-conversation as a sign); session 26 taught
# it answers in the middle of a conversation (safety set 20) and lifted that (docs/safety.md)
OPENING_MESSAGES: Optional[int] = None
# scoring reads at most this much of a message (the chat accepts longer ones; the net reads all of it)
MAX_CHARS = 4000
SAFETY_SETS = "scripts/safety_devset*.yml"
# New safety sets wait here for their one confirming run (scripts/cv_risk.py --heldout): not trained on
UNREAD_SETS: Tuple[str, ...] = ()
CRISIS_INTENT = "express_suicidal"
FILE_NAME = "risk_scorer.joblib"
_CODE = (Path(__file__), ROOT / "bot" / "language" / "ngrams.py")


def _texts(items) -> List[str]:
    return [i["text"] if isinstance(i, dict) else str(i) for i in items or [] if str(i).strip()]


def safety_sets() -> List[Path]:
    found = (Path(p) for p in glob.glob(str(ROOT / SAFETY_SETS)))
    return sorted(p for p in found if p.name not in UNREAD_SETS)


def nlu_files() -> List[Path]:
    return sorted(Path(p) for p in glob.glob(str(ROOT / "data" / "nlu" / "*.yml")))


def read_safety_set(path: Path) -> Tuple[List[str], List[str]]:
    """(suicidal, not suicidal) of one safety development set: distress and negatives are not."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return _texts(data.get("suicidal")), _texts(data.get("distress")) + _texts(data.get("negatives"))


def training_rows(exclude: frozenset = frozenset()) -> Tuple[List[str], List[int]]:
    """(texts, labels) with 1 for suicidal; each text once (first label kept), ``exclude``: folded keys."""
    from bot.language.trainer_files import nlu_examples

    rows: List[Tuple[str, bool]] = []
    for path in nlu_files():
        rows += [(t, intent == CRISIS_INTENT) for intent, t in nlu_examples(path)]
    for path in safety_sets():
        suicidal, other = read_safety_set(path)
        rows += [(t, True) for t in suicidal] + [(t, False) for t in other]
    # the NLU development files hold no suicidal message (their briefs exclude it)
    rows += [(t, False) for t, _ in author_examples(author_paths())]
    seen, texts, labels = set(exclude), [], []
    for text, label in rows:
        key = fold_key(text)
        if key and key not in seen:
            seen.add(key)
            texts.append(text)
            labels.append(int(label))
    return texts, labels


def fold_key(text: str) -> str:
    return " ".join(str(text).lower().split())


def make_scorer():
    from bot.language.ngrams import ngram_classifier

    return ngram_classifier(c=4.0, max_iter=3000)


def fingerprint() -> str:
    """Of everything the scorer is trained from, and its code: a change retrains (scripts/train.py)."""
    h = hashlib.sha256()
    for path in list(_CODE) + nlu_files() + safety_sets():
        h.update(str(path.relative_to(ROOT)).encode())
        h.update(path.read_bytes())
    hash_author_files(h)
    h.update(repr((THRESHOLD, UNREAD_SETS)).encode())
    return h.hexdigest()


def train(path: Path) -> Path:
    """Train on ``training_rows()`` and save to ``path`` with the fingerprint."""
    import joblib

    texts, labels = training_rows()
    model = make_scorer().fit(texts, labels)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    joblib.dump({"fingerprint": fingerprint(), "model": model}, tmp)
    tmp.replace(path)  # never half a file for a web app that loads it now
    return path


def stored_fingerprint(path: Path) -> Optional[str]:
    loaded = _load(path)
    return loaded[0] if loaded else None


def path_for(model_path: Path) -> Path:
    """Where the scorer lives: next to the Rasa model (settings ``model_path``)."""
    return Path(model_path).with_name(FILE_NAME)


_lock = threading.Lock()


@lru_cache(maxsize=4)
def _cached(path: Path, mtime: float) -> Optional[tuple]:
    import joblib

    try:
        stored = joblib.load(path)
        return stored["fingerprint"], stored["model"]
    except Exception as exc:  # a broken or foreign file: the cues alone, never a failed answer
        logger.warning(
            "risk scorer: %s cannot be read (%s); the check question uses the cues alone", path, type(exc).__name__
        )
        return None


def _load(path: Path) -> Optional[tuple]:
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    with _lock:  # two worker threads loading the same file at once would both unpickle it
        return _cached(path, mtime)


_warned: set = set()


def score(text: Optional[str], path: Path) -> Optional[float]:
    """The probability that ``text`` is suicidal, or None when there is no trained scorer at ``path``
    (``path_for(settings.model_path)``: bot/language reads no settings itself)."""
    if not text or not text.strip():
        return None
    loaded = _load(path)
    if loaded is None:
        if path not in _warned:
            _warned.add(path)
            logger.warning("risk scorer: no trained scorer at %s ('make train' makes it); cues alone", path)
        return None
    return float(loaded[1].predict_proba([text[:MAX_CHARS]])[0][1])


def flags(text: Optional[str], path: Path, opening: bool = False) -> bool:
    """Should this message get the check question by the scorer (net not matched: the caller's)?
    ``opening``: one of the person's opening messages (OPENING_THRESHOLD)."""
    value = score(text, path)
    return value is not None and value >= (OPENING_THRESHOLD if opening else THRESHOLD)
