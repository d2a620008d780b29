"""Normalise a written amount of money to a float of euros.

Handles what people type in a chat: ``"500"``, ``"€750"``, ``"1.500"``, ``"1.250,50"``,
``"2k"``, ``"2,5k"``, ``"300 eu"``, ``"500,-"``, ``"$200"``, ``"honderd euro"``,
``"vijftig ballen"``, ``"tweehonderdvijftig"``, ``"2 duizend"``, ``"anderhalve ton"``.
Returns ``None`` when no amount can be read ("een paar honderd", "veel geld", "").
Other currencies (dollar, pound) are taken at face value: the contract stores euros and a
counsellor only needs the order of magnitude.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

# Words around an amount that carry no value.
_CURRENCY_WORDS = (
    "euros", "euro's", "euro", "eur", "eu", "e", "ballen", "bal", "piek", "pegels", "eggies",
    "dollars", "dollar", "usd", "pond", "gbp", "bucks", "knaken", "ekkies", "centen", "geld",
)
_SIGNS = "€$£"

_UNITS = {
    "nul": 0, "een": 1, "eén": 1, "één": 1, "n": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5,
    "zes": 6, "zeven": 7, "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12,
    "dertien": 13, "veertien": 14, "vijftien": 15, "zestien": 16, "zeventien": 17,
    "achttien": 18, "negentien": 19,
}
_TENS = {
    "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60,
    "zeventig": 70, "tachtig": 80, "negentig": 90,
}
_MULTIPLIERS = {"honderd": 100, "duizend": 1000, "miljoen": 1_000_000}
_SUFFIX_MULTIPLIERS = {"k": 1000, "duizend": 1000, "mille": 1000, "honderd": 100, "ton": 100_000,
                       "m": 1_000_000, "mln": 1_000_000, "miljoen": 1_000_000}
_VAGUE = re.compile(r"\b(paar|aantal|beetje|veel|heel wat|wat|rond|ongeveer|zo'?n)\b")


def _strip_accents(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def _parse_number(token: str) -> Optional[float]:
    """Digits with Dutch or English separators: 1.500 / 1,500 / 1.250,50 / 12,5 / 1500.00."""
    token = token.strip(".,")
    if not token or not re.fullmatch(r"[\d.,]+", token):
        return None
    if "." in token and "," in token:
        # the last separator is the decimal one
        if token.rfind(",") > token.rfind("."):
            token = token.replace(".", "").replace(",", ".")
        else:
            token = token.replace(",", "")
        return float(token)
    for sep in (".", ","):
        if sep in token:
            parts = token.split(sep)
            if len(parts) > 2 or (len(parts) == 2 and len(parts[1]) == 3 and parts[0] != "0"):
                # thousands separators: 1.500 / 1,500 / 1.000.000
                if all(len(p) == 3 for p in parts[1:]):
                    return float("".join(parts))
                return None
            return float(parts[0] + "." + parts[1])
    return float(token)


def _words_to_number(text: str) -> Optional[float]:
    """Dutch number words, written apart or together: 'twee honderd vijftig', 'vijfentwintig'."""
    text = text.replace("-", "").replace(" en ", "en")
    compact = re.sub(r"\s+", "", text)
    if not compact:
        return None
    if compact in ("anderhalf", "anderhalve"):
        return 1.5
    if compact == "half" or compact == "halve":
        return 0.5

    total = 0
    current = 0
    pos = 0
    matched_any = False
    vocab = sorted(list(_UNITS) + list(_TENS) + list(_MULTIPLIERS) + ["en"], key=len, reverse=True)
    while pos < len(compact):
        word = next((w for w in vocab if compact.startswith(w, pos)), None)
        if word is None:
            return None
        pos += len(word)
        if word == "en":
            continue
        matched_any = True
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        else:
            mult = _MULTIPLIERS[word]
            if mult == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * mult
                current = 0
    if not matched_any:
        return None
    return float(total + current)


def normalise_amount(text: Optional[str]) -> Optional[float]:
    """The amount in ``text`` as a float, or ``None`` if there is no clear amount."""
    if text is None:
        return None
    if isinstance(text, (int, float)):
        return float(text) if text >= 0 else None
    raw = _strip_accents(str(text)).lower().strip()
    if not raw or _VAGUE.search(raw):
        return None
    raw = raw.replace("\u00a0", " ")
    raw = re.sub(r"[" + re.escape(_SIGNS) + r"]", " ", raw)
    raw = re.sub(r",-+|\.-+|,=", " ", raw)  # 500,- / 500.-
    # drop currency words (as whole words or glued to a number: 500eu, 50euro)
    words = "|".join(sorted((re.escape(w) for w in _CURRENCY_WORDS), key=len, reverse=True))
    raw = re.sub(r"(?<=\d)(" + words + r")\b", " ", raw)
    raw = re.sub(r"\b(" + words + r")\b", " ", raw)
    raw = re.sub(r"\s+", " ", raw).strip()
    if not raw:
        return None

    # digits with an optional multiplier: 2k, 2,5k, 1.5 k, 2 duizend, 3 ton
    suffixes = "|".join(sorted(_SUFFIX_MULTIPLIERS, key=len, reverse=True))
    m = re.fullmatch(r"([\d.,]+)\s*(" + suffixes + r")?", raw)
    if m:
        number = m.group(1)
        mult = _SUFFIX_MULTIPLIERS.get(m.group(2) or "", 1)
        if mult != 1 and re.fullmatch(r"\d+[.,]\d{1,2}", number):
            value = float(number.replace(",", "."))  # 2,5k / 1.5k are decimals
        else:
            value = _parse_number(number)
        return None if value is None else round(value * mult, 2)

    # number words, possibly followed by a multiplier: "twee duizend", "anderhalve ton"
    m = re.fullmatch(r"([a-z\s-]+?)\s*(ton)?", raw)
    if m:
        value = _words_to_number(m.group(1).strip())
        if value is not None:
            mult = 100_000 if m.group(2) else 1
            return round(value * mult, 2)

    # digits and words mixed: "2 duizend 500"
    m = re.fullmatch(r"(\d+)\s*duizend\s*(\d+)?", raw)
    if m:
        return float(int(m.group(1)) * 1000 + int(m.group(2) or 0))
    return None


def find_amounts(text: Optional[str]) -> list:
    """All amounts written in a longer message (digits only, with or without sign/word)."""
    if not text:
        return []
    found = []
    pattern = re.compile(
        r"(?:[€$£]\s*)?\d[\d.,]*\s*(?:k\b|duizend\b|euro'?s?\b|eur\b|eu\b|ballen\b|piek\b|,-)?",
        re.IGNORECASE,
    )
    for m in pattern.finditer(text):
        chunk = m.group(0).strip()
        value = normalise_amount(chunk)
        if value is not None:
            found.append((chunk, value, m.start()))
    return found
