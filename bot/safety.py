"""Deterministic safety net for suicidal language.

The classifier can miss a message; this list cannot be "untrained". Trainers maintain
``data/safety/suicidal_phrases.yml``; matching happens on normalised text (lowercase,
accents removed, letters repeated 3+ times collapsed to 2, whitespace folded), so
"ik wil dooooood" and "Ik  wil DOOD" both match "wil dood".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "safety" / "suicidal_phrases.yml"


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"(\w)\1{2,}", r"\1\1", text)
    text = re.sub(r"[^\w\s']", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class SafetyNet:
    phrases: list
    patterns: list

    @classmethod
    def from_file(cls, path: Path | str = DEFAULT_FILE) -> "SafetyNet":
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        return cls.from_lists(data.get("phrases") or [], data.get("patterns") or [])

    @classmethod
    def from_lists(cls, phrases: Iterable[str], patterns: Iterable[str]) -> "SafetyNet":
        compiled = []
        for phrase in phrases:
            words = normalise(str(phrase)).split()
            if words:
                compiled.append(re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)"))
        for pattern in patterns:
            compiled.append(re.compile(str(pattern)))
        return cls(phrases=list(phrases), patterns=compiled)

    def match(self, text: str) -> str | None:
        """The first matching pattern's text, or None."""
        norm = normalise(text)
        for pattern in self.patterns:
            if pattern.search(norm):
                return pattern.pattern
        return None
