"""Deterministic safety net for suicidal language, and the safety message that goes with it.

The classifier can miss a message; this list cannot be "untrained". Trainers maintain
``data/safety/suicidal_phrases.yml``; matching happens on normalised text (lowercase,
accents removed, letters repeated 3+ times collapsed to 2, whitespace folded), so
"ik wil dooooood" and "Ik  wil DOOD" both match "wil dood".

Every pattern is tried on the whole message *and* on each clause of it (split at . , ! ? ;
and new lines), with and without a leading "nee"/"ja"/"nou"/"sorry"...: an anchored pattern
such as ``^ik wil niet meer$`` then also fires on "nee, ik wil niet meer" (an answer to a
yes/no question) without firing on "ik wil niet meer betalen".

Where it runs (docs/safety.md): in the web app on the text of every message a person sends
(``bot/web/chat/api.py``, before anything else, also when a counsellor has taken over, when a
button payload came with it or when the message is rejected), in Rasa's NLU pipeline
(``bot/nlu/safety_net.py``) and in the facts form (``actions/form.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from bot.language.fold import fold
from bot.language.trainer_files import TrainerFileError, line_of, load_or_last_good, read_yaml

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_FILE = ROOT / "data" / "safety" / "suicidal_phrases.yml"
DOMAIN_FILE = ROOT / "domain.yml"
# The net reads at most this much of one message, its start and its end (25 times the default
# message limit; the chat page does not send more): the check stays well under a second.
MAX_CHECKED_CHARS = 50_000
_CLAUSE_SPLIT = re.compile(r"[.,!?;:\n\r\u2026]+|\s[-\u2013\u2014]\s")
_LEAD = re.compile(
    r"^((nee+|neen|ja+|jawel|nou|nja|ok|oke|okay|sorry|echt|eerlijk gezegd|en|want|dus|maar|"
    r"ik weet het niet|weet ik niet|idk|eh+|uh+|hmm+)\s+)+"
)


# Chat spellings folded before matching, so one pattern covers "kwil nie meer leve" and
# "ik wil niet meer leven" (phrases in the YAML file go through the same folding).
_CHAT_FORMS = [
    (
        re.compile(
            r"(?<!\w)'?k\s?(wil|wou|wilde|ben|ga|hoef|heb|had|zie|zit|kan|denk|zal|snap|voel|doe|mag|moet|weet|wist|vind|hoop|zeg)\b"
        ),
        r"ik \1",
    ),
    (re.compile(r"(?<!\w)'?k\s+(?=(er|het|dat|nu|toch|nog|al|echt|gwn|gewoon)\b)"), "ik "),
    (re.compile(r"\bmisse\b"), "missen"),
    (re.compile(r"\bworde\b"), "worden"),
    (re.compile(r"\b(nie|ni|nit|neit|nt)\b"), "niet"),
    (re.compile(r"\b(leve|leeven|lefen)\b"), "leven"),
    (re.compile(r"\bnietmeer\b"), "niet meer"),
    (re.compile(r"\bmake\b"), "maken"),
    (re.compile(r"\b(me|mij|m) ?zelf\b"), "mezelf"),
    (re.compile(r"\bmijzelf\b"), "mezelf"),
    # Flemish and chat short forms (safety dev set 12): "op 't dak", "da 't stopt"
    (re.compile(r"(?<![\w'])'t\b"), "het"),
    (re.compile(r"\bda\b"), "dat"),
    # "ik wil der gwn nie meer zijn" got only the check question (p_schrijfstijl.yml, session 33);
    # not "van der" of a name
    (re.compile(r"(?<!\bvan )\b(der|d'r)\b"), "er"),
    # Typed as heard (p_schrijfstijl.yml, session 33: a girl of 13 and one with dyslexia): "moet ik m
    # blokeren", "hoe maak ik een scrensot", "moet ik t aan mn moeder vertelle" got no topic's answer
    (re.compile(r"\bs[ck]?h?r[ie]{1,3}n?\s?sh?o+t(s|ten|je|jes)?\b"), r"screenshot\1"),
    (re.compile(r"\bblok{1,2}ere?n?\b"), "blokkeren"),
    (re.compile(r"\bblokeer(t|d)?\b"), r"blokkeer\1"),
    (re.compile(r"\bvertel+e\b"), "vertellen"),
    (re.compile(r"\bbel+e\b"), "bellen"),
    (re.compile(r"\b(fiedeo|fideo|vidio|viedeo|vidoe)(s)?\b"), r"video\2"),
    (re.compile(r"\bkamera\b"), "camera"),
    (re.compile(r"\bfersprei"), "versprei"),
    (re.compile(r"\b(iedreen|iedereen|iederen|idereen)\b"), "iedereen"),
    (re.compile(r"\bsturt\b"), "stuurt"),
    (re.compile(r"\biemant\b"), "iemand"),
    # between words, not in spelled-out letters ("k m s k m s": safety dev set 15)
    (re.compile(r"(?<=\w\w )m(?= \w\w|$)"), "hem"),
    (re.compile(r"(?<=\w\w )t(?= \w\w|$)"), "het"),
    (re.compile(r"\bikzelf\b"), "ik zelf"),
]


# Emoji that stand for a method, read as the word before punctuation is dropped ("🪢 ligt klaar",
# "💊💊💊 allemaal in één keer vanavond": scripts/safety_devset8.yml, session 14).
_EMOJI_WORDS = {
    "🔪": " mes ",
    "🗡": " mes ",
    "💊": " pillen ",
    "🪢": " touw ",
    "🩸": " bloed ",
    "🪦": " graf ",
    "⚰": " kist ",
}
_EMOJI = re.compile("|".join(map(re.escape, _EMOJI_WORDS)))


@lru_cache(maxsize=64)
def normalise(text: str) -> str:
    """fold() (bot/language/fold.py), method emoji as words, punctuation dropped, chat spellings folded.

    Cached: one message is normalised by the report net's checks (is it a report, is it said to be
    something else, is anything happening) and by the safety net, each on the same text."""
    text = _EMOJI.sub(lambda m: _EMOJI_WORDS[m.group(0)], text or "")
    text = re.sub(r"[^\w\s']", " ", fold(text))
    text = re.sub(r"\s+", " ", text).strip()
    for pattern, replacement in _CHAT_FORMS:
        text = pattern.sub(replacement, text)
    return text


# protective(): a bound before the patterns (which each cover the whole message) are tried.
PROTECTIVE_MAX_WORDS = 15
PROTECTIVE_MAX_CHARS = 200
# "not computed yet" for the optional ``matched`` arguments (None means: no match)
UNSET = object()


# Clauses are tried one by one only in messages up to this size (a chat message is at most a few
# thousand characters); a huge text is read as a whole, so it cannot make the check slow.
MAX_CLAUSE_CHARS = 8_000


def variants(text: str) -> list:
    """The normalised message, then each clause, each also without leading fillers."""
    text = text or ""
    if len(text) > MAX_CHECKED_CHARS:  # the start and the end, where people say what matters most
        half = MAX_CHECKED_CHARS // 2
        text = text[:half] + "\n" + text[-half:]
    out: list = []
    seen: set = set()

    def add(value: str) -> None:
        if value and value not in seen:
            seen.add(value)
            out.append(value)

    add(normalise(text))
    if len(text) > MAX_CLAUSE_CHARS:
        return out
    for clause in _CLAUSE_SPLIT.split(text):
        norm = normalise(clause)
        add(norm)
        add(_LEAD.sub("", norm))
    return out


def _first(patterns: list, candidates: list) -> str | None:
    """The text of the first pattern that matches one of the candidates, or None."""
    for pattern in patterns:
        if any(pattern.search(c) for c in candidates):
            return pattern.pattern
    return None


@dataclass
class SafetyNet:
    phrases: list
    patterns: list
    exclusions: list = field(default_factory=list)
    # a message that is only a protective step ("ik ga morgen naar de politie", "ik heb mn moeder
    # wakker gemaakt") or only a time: the classifier's suspicion alone does not make it suicidal
    protective_steps: list = field(default_factory=list)
    protective_unless: list = field(default_factory=list)
    # half-signs ("check_cues:"): not enough for the crisis message, enough for the gentle check
    # question "Denk jij daar ook aan?" with 113 (bot/web/chat/safety_check.py, docs/safety.md)
    check_cues: list = field(default_factory=list)

    @classmethod
    def from_file(cls, path: Path | str = DEFAULT_FILE) -> "SafetyNet":
        """The net in ``path``; a mistake is a TrainerFileError with the line and the fix."""
        data, text = read_yaml(path, dict)
        lists = {}
        for key in ("phrases", "patterns", "exclusions", "protective", "protective_unless", "check_cues"):
            items = data.get(key) or []
            if not isinstance(items, list):
                raise TrainerFileError(
                    path, line_of(text, f"{key}:"), f"'{key}:' moet een lijst zijn (regels met '- ')"
                )
            for item in items:
                if not isinstance(item, (str, int, float)) or isinstance(item, bool) or not str(item).strip():
                    shown = item if not isinstance(item, dict) else next(iter(item), "")
                    raise TrainerFileError(
                        path,
                        line_of(text, str(shown)) or line_of(text, f"{key}:"),
                        f"'{shown}' onder '{key}:' is geen tekst: staat er ': ' of ' #' in, of een ' of \" "
                        "aan het begin? Zet de zin tussen dubbele aanhalingstekens.",
                    )
                if key != "phrases":
                    try:
                        re.compile(str(item))
                    except re.error as exc:
                        raise TrainerFileError(
                            path, line_of(text, str(item)[:30]), f"patroon {str(item)!r} werkt niet ({exc})"
                        ) from exc
            lists[key] = items
        if not lists["phrases"] and not lists["patterns"]:
            raise TrainerFileError(path, None, "er staan geen zinnen in 'phrases:' of 'patterns:'")
        net = cls.from_lists(lists["phrases"], lists["patterns"], lists["exclusions"])
        if bool(lists["protective"]) != bool(lists["protective_unless"]):
            # a protective step without its risk words would let "ik ga het mn moeder zeggen, daarna
            # ben ik weg" pass the classifier's suspicion: both lists or neither
            raise TrainerFileError(
                path, line_of(text, "protective"), "'protective:' en 'protective_unless:' horen samen: vul ze allebei"
            )
        net.protective_steps = [re.compile(str(p)) for p in lists["protective"]]
        net.protective_unless = [re.compile(str(p)) for p in lists["protective_unless"]]
        net.check_cues = [re.compile(str(p)) for p in lists["check_cues"]]
        return net

    @classmethod
    def from_lists(cls, phrases: Iterable[str], patterns: Iterable[str], exclusions: Iterable[str] = ()) -> "SafetyNet":
        compiled = []
        for phrase in phrases:
            words = normalise(str(phrase)).split()
            if words:
                compiled.append(re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)"))
        for pattern in patterns:
            compiled.append(re.compile(str(pattern)))
        return cls(phrases=list(phrases), patterns=compiled, exclusions=[re.compile(str(p)) for p in exclusions])

    def _candidates(self, text: str) -> list:
        """variants() of the text with the denials (exclusions) cut out; the rest is still read."""
        candidates = variants(text)
        if self.exclusions:
            cut = []
            for c in candidates:
                for ex in self.exclusions:
                    c = ex.sub(" ", c)
                cut.append(re.sub(r"\s+", " ", c).strip())
            candidates = cut
        return candidates

    def match(self, text: str) -> str | None:
        """The first matching pattern's text, or None."""
        if not text:
            return None
        return _first(self.patterns, self._candidates(text))

    def check_cue(self, text: str, matched: str | None | object = UNSET) -> str | None:
        """The first half-sign of ``check_cues:`` in a message the net does not match and that does
        not only deny ("zorg goed voor haar", "ik wil het alleen ergens kwijt"), or None. Such a
        message gets the gentle check question, not the crisis message (bot/web/chat/safety_check.py).
        ``matched``: the caller's ``match(text)``, so the patterns are not run twice."""
        if not text or not self.check_cues:
            return None
        if (self.match(text) if matched is UNSET else matched) is not None:
            return None
        return _first(self.check_cues, self._candidates(text))

    def protective(self, text: str, matched: str | None | object = UNSET) -> bool:
        """A message that is only a protective step (each pattern covers the whole message): telling or waking a parent, going to
        the police ("ok. ik ga morgen naar de politie denk ik"), or that is only a time ("morgen",
        the answer to the deadline question). Never when it has a risk word (``risk_word``: a net
        match, or dood, leven, afscheid, pillen, weg … of ``protective_unless``). Used
        only against the classifier's suspicion (bot/nlu/safety_net.py): a phrase match always wins.
        ``matched``: the caller's ``match(text)``, so the patterns are not run twice."""
        if not text or not self.protective_steps or len(text) > PROTECTIVE_MAX_CHARS:
            return False
        if len(text.split()) > PROTECTIVE_MAX_WORDS or self.risk_word(text, matched):
            return False
        whole = normalise(text)
        return any(p.search(whole) for p in self.protective_steps)

    def risk_word(self, text: str, matched: str | None | object = UNSET) -> bool:
        """Any word of death, ending, farewell, self-harm, a plan or an arrangement
        (``protective_unless``), or a net match. The classifier's suicidal reading stands only with
        one (bot/nlu/safety_net.py): "Hoeveel weet ik ook niet. Hij wil er niet veel over zeggen"
        got the crisis message from the classifier alone (1.00, conversation suite, session 15).
        Measured on the 1,416 suicidal texts of the project: every one the net misses has one.
        ``matched``: the caller's ``match(text)``, so the patterns are not run twice."""
        if not text:
            return False
        if (self.match(text) if matched is UNSET else matched) is not None:
            return True
        whole = normalise(text)
        if any(p.search(whole) for p in self.protective_unless):
            return True
        # a half-sign (check_cues:) is a risk word too: the classifier's suicidal reading of
        # "mn kat gaat naar mijn zus" stands (dev set 11, session 17)
        return self.check_cue(text, matched=None) is not None  # no net match: checked above

    def denies(self, text: str, matched: str | None | object = UNSET) -> bool:
        """'ik denk niet aan zelfmoord', 'nee ik ga mezelf niks aandoen': a denial (one of the
        exclusions) with no suicidal language anywhere else in the message."""
        if not text or not self.exclusions:
            return False
        if (self.match(text) if matched is UNSET else matched) is not None:
            return False
        return any(ex.search(c) for c in variants(text) for ex in self.exclusions)


@lru_cache(maxsize=1)
def default_net() -> SafetyNet:
    """The project's net (data/safety/), loaded once on first use (never at import time)."""
    return load_or_last_good(DEFAULT_FILE, SafetyNet.from_file)


def is_suicidal(text: str | None) -> bool:
    return bool(text) and default_net().match(text) is not None


@lru_cache(maxsize=1)
def safety_message() -> str:
    """The 113/112 safety message: the first variant of ``utter_safety`` in domain.yml (one source)."""
    return load_or_last_good(DOMAIN_FILE, read_safety_message)


def read_safety_message(path: Path) -> str:
    """The first ``utter_safety`` text of domain.yml; refused unless every variant names 113 and 112."""
    domain, text = read_yaml(path, dict)
    try:
        variants = domain["responses"]["utter_safety"]
        message = variants[0]["text"]
    except (KeyError, IndexError, TypeError):
        raise TrainerFileError(path, line_of(text, "utter_safety"), "utter_safety met een 'text:' ontbreekt") from None
    for variant in variants:
        said = variant.get("text") if isinstance(variant, dict) else None
        if not isinstance(said, str) or "113" not in said or "112" not in said:
            raise TrainerFileError(
                path, line_of(text, "utter_safety"), "elke tekst van utter_safety moet 113 en 112 noemen"
            )
    return message


def check_cue(text: str | None, matched: str | None | object = UNSET) -> str | None:
    """A half-sign the net does not count as suicidal (``check_cues:``), or None. ``matched``: the
    caller's net verdict (None: the net did not match), so the patterns are not run twice."""
    return default_net().check_cue(text, matched) if text else None


def denies_suicidal(text: str | None) -> bool:
    return bool(text) and default_net().denies(text)


def has_safety_line(texts: Iterable[str | None]) -> bool:
    """Does any of these texts already give 113 (the crisis line)?"""
    return any(t and re.search(r"(?<!\d)113(?!\d)", t) for t in texts)
