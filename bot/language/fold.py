"""The one text folding of Dutch chat text, before any pattern is matched.

:func:`fold`: lowercase, accents removed ("gênant" -> "genant"), typographic apostrophes as ',
stretched letters folded ("neeeee" -> "nee"), single spaces. The fact readers
(bot/language/text_facts.py ``norm``) use it as it is; the phrase nets (safety, report, question
topics: bot/language/safety_phrases.py ``normalise``) also drop punctuation and fold chat
spellings; the money reader strips accents with it (bot/language/money.py).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional


def strip_accents(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c))


def fold(text: Optional[str]) -> str:
    """Lowercase, accents removed, ’ and ` as ', stretched letters folded, single spaces."""
    text = strip_accents(text or "").lower()
    text = text.replace("\u2019", "'").replace("`", "'")
    text = re.sub(r"(\w)\1{2,}", r"\1\1", text)
    return re.sub(r"\s+", " ", text).strip()
