"""The trainer-owned vocabularies in ``data/vocab/``: platforms and money words.

Read once, lazily (never at import time), and checked as a whole: a trainer's mistake is
reported as :class:`VocabError` with the file, the line and what to do, by ``make check``
before training and by the loaders here. Code elsewhere never holds its own copy of these
tables (tests/bot/test_vocab.py ties them to data/nlu/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Tuple

from bot.language.trainer_files import TrainerFileError, line_of, load_or_last_good, read_yaml

ROOT = Path(__file__).resolve().parent.parent.parent
VOCAB_DIR = ROOT / "data" / "vocab"
PLATFORMS_FILE = VOCAB_DIR / "platforms.yml"
MONEY_FILE = VOCAB_DIR / "money.yml"
GENERIC_TIPS = "generic"
_WORD = re.compile(r"^[a-z0-9][a-z0-9 .'&-]*$")


class VocabError(TrainerFileError):
    """A vocabulary file cannot be used; ``str()`` names the file, the line and the fix."""


@dataclass(frozen=True)
class Platform:
    key: str
    name: str
    aliases: Tuple[str, ...]
    short: Tuple[str, ...]
    word: Tuple[str, ...]
    tips: Optional[str]  # None: the general tips
    part_of: Optional[str] = None  # Messenger is part of Facebook: the same account, the same report


def _words(path: Path, text: str, where: str, value: object, field: str) -> Tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise VocabError(path, line_of(text, where), f"{field} moet een lijst zijn, zoals [insta, ig]")
    out = []
    for item in value:
        word = str(item).strip().lower() if isinstance(item, (str, int)) else None
        if not word or not _WORD.match(word):
            raise VocabError(
                path,
                line_of(text, where),
                f"{field}: '{item}' is geen woord (kleine letters, cijfers, spatie, punt of '-')",
            )
        out.append(word)
    return tuple(out)


def parse_platforms(path: Path = PLATFORMS_FILE) -> Dict[str, Platform]:
    data, text = read_yaml(path, dict)
    table = data.get("platforms")
    if not isinstance(table, dict) or not table:
        raise VocabError(path, line_of(text, "platforms"), "er moet een lijst 'platforms:' in staan")
    platforms: Dict[str, Platform] = {}
    owner: Dict[str, str] = {}
    for key, entry in table.items():
        key = str(key)
        where = f"  {key}:"
        line = line_of(text, where)
        if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
            raise VocabError(path, line, f"de sleutel '{key}' mag alleen kleine letters, cijfers en _ hebben")
        if not isinstance(entry, dict):
            raise VocabError(path, line, f"{key}: geef name, aliases en tips (zie de uitleg bovenin)")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise VocabError(path, line, f"{key}: 'name' ontbreekt (hoe het platform heet in de samenvatting)")
        aliases = _words(path, text, where, entry.get("aliases"), f"{key}: aliases")
        if key not in aliases:
            aliases = (key,) + aliases
        short = _words(path, text, where, entry.get("short"), f"{key}: short")
        word = _words(path, text, where, entry.get("word"), f"{key}: word")
        for listed, field in ((short, "short"), (word, "word")):
            stray = [w for w in listed if w not in aliases]
            if stray:
                raise VocabError(path, line, f"{key}: {field} noemt {stray}, maar die staan niet in aliases")
        for alias in aliases:
            if alias in owner and owner[alias] != key:
                raise VocabError(path, line, f"'{alias}' staat bij {owner[alias]} én bij {key}; kies er één")
            owner[alias] = key
        tips = entry.get("tips")
        if tips is None:
            raise VocabError(path, line, f"{key}: 'tips' ontbreekt; schrijf tips of zet 'tips: {GENERIC_TIPS}'")
        if not isinstance(tips, str) or not tips.strip():
            raise VocabError(path, line, f"{key}: 'tips' moet een tekst zijn (of '{GENERIC_TIPS}')")
        tips = None if tips.strip() == GENERIC_TIPS else tips.strip()
        part_of = entry.get("part_of")
        if part_of is not None and (not isinstance(part_of, str) or part_of not in table or part_of == key):
            raise VocabError(path, line, f"{key}: part_of '{part_of}' is geen ander platform uit deze lijst")
        platforms[key] = Platform(key, name.strip(), aliases, short, word, tips, part_of)
    return platforms


@dataclass(frozen=True)
class MoneyWords:
    currency_words: Tuple[str, ...]
    whole_answer_only: Tuple[str, ...]
    money_multipliers: Dict[str, float]
    number_multipliers: Dict[str, float]
    not_euros: Tuple[str, ...] = ()  # units with no value in euros ("0.01 btc")

    @property
    def all_words(self) -> Tuple[str, ...]:
        return (
            self.currency_words
            + self.whole_answer_only
            + tuple(self.money_multipliers)
            + tuple(self.number_multipliers)
        )


def _multipliers(path: Path, text: str, data: dict, field: str) -> Dict[str, float]:
    table = data.get(field) or {}
    if not isinstance(table, dict):
        raise VocabError(path, line_of(text, field), f"{field} moet woorden met een getal zijn, zoals 'rug: 1000'")
    out: Dict[str, float] = {}
    for word, value in table.items():
        word = str(word).strip().lower()
        if not _WORD.match(word):
            raise VocabError(path, line_of(text, f"{word}:"), f"{field}: '{word}' is geen woord")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise VocabError(
                path,
                line_of(text, f"{word}:"),
                f"{field}: '{word}' moet een getal groter dan 0 hebben, zoals 1000 (kreeg {value!r})",
            )
        out[word] = float(value)
    return out


def parse_money(path: Path = MONEY_FILE) -> MoneyWords:
    data, text = read_yaml(path, dict)
    for field in ("currency_words", "money_multipliers", "number_multipliers"):
        if field not in data:
            raise VocabError(path, None, f"'{field}:' ontbreekt (zie de uitleg bovenin)")
    words = MoneyWords(
        currency_words=_words(path, text, "currency_words", data.get("currency_words"), "currency_words"),
        whole_answer_only=_words(path, text, "whole_answer_only", data.get("whole_answer_only"), "whole_answer_only"),
        money_multipliers=_multipliers(path, text, data, "money_multipliers"),
        number_multipliers=_multipliers(path, text, data, "number_multipliers"),
        not_euros=_words(path, text, "not_euros", data.get("not_euros"), "not_euros"),
    )
    seen: Dict[str, int] = {}
    for word in words.all_words + words.not_euros:
        seen[word] = seen.get(word, 0) + 1
    double = sorted(w for w, n in seen.items() if n > 1)
    if double:
        raise VocabError(
            path,
            line_of(text, f"- {double[0]}") or line_of(text, f"{double[0]}:"),
            f"'{double[0]}' staat er twee keer in; een woord hoort in één lijst",
        )
    return words


@lru_cache(maxsize=1)
def platforms() -> Dict[str, Platform]:
    """The platforms of data/vocab/platforms.yml (read once per process)."""
    return load_or_last_good(PLATFORMS_FILE, parse_platforms)


@lru_cache(maxsize=1)
def money_words() -> MoneyWords:
    """The money words of data/vocab/money.yml (read once per process)."""
    return load_or_last_good(MONEY_FILE, parse_money)


def platform_name(key: str) -> str:
    """How counsellors and the bot write a platform ("twitter" -> "X (Twitter)"); an unknown one as is."""
    known = platforms().get(key)
    return known.name if known else key
