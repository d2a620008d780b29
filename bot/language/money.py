"""Money in chat text: find it ("500 euro", "€ 50,-", "2k", "60 ballen", "3 ruggen") and read
it as euros ("1.500" -> 1500.0, "honderd euro" -> 100.0, "anderhalve ton" -> 150000.0).

The one money module (it replaced the former amounts and money modules of bot/). The words come from the
trainer-owned data/vocab/money.yml (bot/language/vocab.py); only Dutch number grammar lives here.

* :func:`normalise_amount` reads one amount (an entity, a form answer) as euros, or ``None``
  when no amount can be read ("een paar honderd", "veel geld", ""). Other currencies are taken
  at face value: the contract stores euros and a counsellor needs the order of magnitude.
* :func:`find_amounts` lists the amounts written with digits in a longer message.
* :func:`money_spans` gives the exact span of every *unambiguous* money expression, for the
  NLU component ``bot.nlu.money_spans.MoneySpans``: DIET finds bare numbers from context well
  but often cuts the span short ("60" of "60 ballen") or calls a clear sum an age or a time.
  A bare number ("ik moet 200 sturen") is left to DIET.
* :func:`bare_number_kind` says when a bare number is an age or a count, not money.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

from bot.language.fold import strip_accents
from bot.language.vocab import money_words

_SIGNS = "€$£"

_UNITS = {
    "nul": 0,
    "een": 1,
    "eén": 1,
    "één": 1,
    "n": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "zestien": 16,
    "zeventien": 17,
    "achttien": 18,
    "negentien": 19,
}
_TENS = {
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "zestig": 60,
    "zeventig": 70,
    "tachtig": 80,
    "negentig": 90,
}
_MULTIPLIERS = {"honderd": 100, "duizend": 1000, "miljoen": 1_000_000}
_VAGUE = re.compile(r"\b(paar|aantal|beetje|veel|heel wat|wat|rond|ongeveer|zo'?n)\b")


def _alternation(words) -> str:
    """Longest first, so "euros" wins over "euro" and "eur"."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> dict:
    """The regular expressions built from data/vocab/money.yml (once per process)."""
    vocab = money_words()
    multipliers = dict(vocab.number_multipliers, **vocab.money_multipliers)
    money_alone = _alternation(vocab.currency_words + tuple(vocab.money_multipliers))
    # In running text: a number with a currency word, a money word ("ruggen") or a safe multiplier
    # ("k", "duizend"); a one-letter unit other than k ("10 m") is too often not money.
    in_text = [w for w in multipliers if len(w) > 1 or w == "k"]
    return {
        "multipliers": multipliers,
        "strip_glued": re.compile(r"(?<=\d)(" + _alternation(vocab.currency_words + vocab.whole_answer_only) + r")\b"),
        "strip_word": re.compile(r"\b(" + _alternation(vocab.currency_words + vocab.whole_answer_only) + r")\b"),
        "digits": re.compile(r"([\d.,]+)\s*(" + _alternation(multipliers) + r")?"),
        "words": re.compile(r"([a-z\s-]+?)\s*(" + _alternation([w for w in multipliers if len(w) > 2]) + r")?"),
        "find": re.compile(
            r"(?:[€$£]\s*)?\d[\d.,]*\s*(?:(?:" + _alternation(vocab.currency_words + tuple(in_text)) + r")\b|,-)?",
            re.IGNORECASE,
        ),
        "marker": re.compile(
            r"[€$£]|,-|\d\s*k\b|(?<![a-z])(?:"
            + _alternation(vocab.currency_words + tuple(vocab.money_multipliers) + ("duizend",))
            + r")\b",
            re.IGNORECASE,
        ),
        "spans": _span_pattern(currency_alone=money_alone, multiplier=_alternation(vocab.number_multipliers)),
        # right after a number: a sign, a currency or money word, or a multiplier ("16 ballen", "16k")
        "follows": re.compile(
            r"\s*(?:[€$£]|,-|(?:" + _alternation(vocab.currency_words + tuple(multipliers)) + r")\b)", re.IGNORECASE
        ),
        # a money word on its own in running text ("hij wil ballen", "3 ruggen"); words of fewer
        # than four letters ("bal", "eu", "k") say money only after a number
        "word": re.compile(
            r"(?<![a-z])(?:"
            + _alternation([w for w in vocab.currency_words + tuple(vocab.money_multipliers) if len(w) >= 4])
            + r")\b",
            re.IGNORECASE,
        ),
    }


# --- Reading one amount as euros -------------------------------------------------------------
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
    """The amount in ``text`` as a float of euros, or ``None`` if there is no clear amount."""
    if text is None:
        return None
    if isinstance(text, (int, float)):
        return float(text) if text >= 0 else None
    raw = strip_accents(str(text)).lower().strip()
    if not raw or _VAGUE.search(raw):
        return None
    p = _patterns()
    raw = raw.replace("\u00a0", " ")
    raw = re.sub(r"[" + re.escape(_SIGNS) + r"]", " ", raw)
    raw = re.sub(r",-+|\.-+|,=", " ", raw)  # 500,- / 500.-
    # drop currency words (as whole words or glued to a number: 500eu, 50euro)
    raw = p["strip_glued"].sub(" ", raw)
    raw = p["strip_word"].sub(" ", raw)
    raw = re.sub(r"\s+", " ", raw).strip()
    if not raw:
        return None

    # digits with an optional multiplier: 2k, 2,5k, 1.5 k, 2 duizend, 3 ton, 3 ruggen
    m = p["digits"].fullmatch(raw)
    if m:
        number = m.group(1)
        mult = p["multipliers"].get(m.group(2) or "", 1)
        if mult != 1 and re.fullmatch(r"\d+[.,]\d{1,2}", number):
            value = float(number.replace(",", "."))  # 2,5k / 1.5k are decimals
        else:
            value = _parse_number(number)
        return None if value is None else round(value * mult, 2)

    # number words, possibly followed by a multiplier: "twee duizend", "anderhalve ton", "twee ruggen"
    # (number words alone first: "twee duizend vijfhonderd" is 2500, not 2005 × honderd)
    if re.fullmatch(r"[a-z\s-]+", raw):
        value = _words_to_number(raw)
        if value is not None:
            return round(value, 2)
    m = p["words"].fullmatch(raw)
    if m:
        value = _words_to_number(m.group(1).strip())
        if value is not None:
            mult = p["multipliers"].get(m.group(2) or "", 1)
            return round(value * mult, 2)

    # digits and words mixed: "2 duizend 500"
    m = re.fullmatch(r"(\d+)\s*duizend\s*(\d+)?", raw)
    if m:
        return float(int(m.group(1)) * 1000 + int(m.group(2) or 0))
    return None


HELPLINES_FILE = Path(__file__).resolve().parent.parent.parent / "texts" / "helplines.yml"


def _parse_helpline_digits(path: Path) -> frozenset:
    from bot.language.trainer_files import read_yaml

    data, _ = read_yaml(path, dict)
    numbers = [
        str(v)
        for fields in data.values()
        if isinstance(fields, dict)
        for k, v in fields.items()
        if k in ("phone", "short")
    ]
    # "0800-0113" is also read as "0800" and "0113"
    return frozenset(re.sub(r"\D", "", n) for n in numbers) | frozenset(
        g for n in numbers for g in re.findall(r"\d+", n)
    )


@lru_cache(maxsize=1)
def helpline_digits() -> frozenset:
    """The digits of every helpline number of texts/helplines.yml (the one source): "113", "112",
    "0800", "0113", ... A bare one of these in a message is a phone number, not an amount."""
    from bot.language.trainer_files import load_or_last_good

    return load_or_last_good(HELPLINES_FILE, _parse_helpline_digits)


def is_helpline_number(surface: str) -> bool:
    """Are these digits a helpline number (or a part of one) of texts/helplines.yml?"""
    return re.sub(r"\D", "", surface or "") in helpline_digits()


def find_amounts(text: Optional[str]) -> List[Tuple[str, float, int]]:
    """All amounts written with digits in a longer message: (text, euros, position). A helpline number
    without a money marker is none ("kan ik alleen bij 113 terecht?" gave an amount of 113)."""
    if not text:
        return []
    found = []
    for m in _patterns()["find"].finditer(text):
        chunk = m.group(0).strip()
        value = normalise_amount(chunk)
        if value is None:
            continue
        if not has_money_marker(chunk) and is_helpline_number(chunk):
            continue
        found.append((chunk, value, m.start()))
    return found


def money_follows(text: str, position: int) -> bool:
    """Is the number that ends at ``position`` followed by money ("16 ballen", "16 euro", "16k")?"""
    return _patterns()["follows"].match(text or "", position) is not None


def says_money(text: str) -> bool:
    """Does running text name money with a word from data/vocab/money.yml ("euro", "ballen", "ruggen")?"""
    return _patterns()["word"].search(text or "") is not None


def has_money_marker(text: str) -> bool:
    """Does this amount text say it is money (a sign, ",-", "2k", a currency or money word)?"""
    return _patterns()["marker"].search(text or "") is not None


# --- Spans of unambiguous money, for the NLU --------------------------------------------------
_NUMBER = r"\d{1,3}(?:[.,]\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_WORD_NUMBER = (
    r"(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|vijftien|twintig|dertig|"
    r"veertig|vijftig|zestig|zeventig|tachtig|negentig|honderd|duizend|anderhalve|anderhalf)"
    r"(?:(?:\s?en\s?|\s|-)?(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|twintig|dertig|"
    r"veertig|vijftig|zestig|zeventig|tachtig|negentig|honderd|duizend|ton))*"
)
_SIGN = r"[€$£]"
_DASH = r"(?:\s?,-|\s?,=|\s?\.-)"


def _span_pattern(currency_alone: str, multiplier: str) -> "re.Pattern[str]":
    # Currency words that only mean money after a number: not "e" (2e = second), not "geld".
    currency = rf"(?:{currency_alone})"
    mult = rf"(?:{multiplier})"
    patterns = [
        # € 50 / €1.500,- / $200 / €2k
        rf"{_SIGN}\s?(?:{_NUMBER})(?:\s?{mult}\b)?{_DASH}?",
        # 500 euro / 2k euro / 2 duizend euro / 300eu / 50 ballen / 3 ruggen / 1.500,- / 50€
        rf"\b(?:{_NUMBER})(?:\s?{mult})?\s?(?:{currency}\b|{_SIGN}){_DASH}?",
        rf"\b(?:{_NUMBER}){_DASH}",
        # 2k / 2,5k / 10K (a number glued to k is money in chat)
        r"\b\d+(?:[.,]\d)?[kK]\b",
        # honderd euro / vijfhonderd ballen / twee duizend euro / twee ruggen
        rf"\b{_WORD_NUMBER}\s?{currency}\b",
    ]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def money_spans(text: str) -> Iterator[Tuple[int, int]]:
    """(start, end) of every unambiguous money expression in ``text``, left to right."""
    for match in _patterns()["spans"].finditer(text or ""):
        start, end = match.span()
        # trailing whitespace can be swallowed by optional groups
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            yield start, end


# A bare number that DIET called an amount, but the words around it say otherwise.
_BARE = re.compile(r"\d+(?:[.,]\d+)?")
_COUNT_AFTER = re.compile(
    r"\s*(?:e|ste|de|x|keer|maal|views|likes|volgers|followers|foto'?s|pics|video'?s|berichten|"
    r"dagen|dag|uur|u|min|minuten|weken|maanden|jaar|jr|kaarten|codes|paysafecards?)\b",
    re.IGNORECASE,
)
_AGE_BEFORE = re.compile(r"\b(?:ik ben|ben|bn|im|i'm|was)\s+(?:pas\s+|nog\s+maar\s+|net\s+|bijna\s+)?$", re.IGNORECASE)
# Session 14 (the retired blind set read on one machine kind, where DIET tagged ages as amounts): an
# age of someone named ("een jongen van 13", "onze zoon is 16", "zoon 15", "als je 14 bent"). Only
# numbers under 100: "een bedrag van 500" and "het is 300" stay amounts.
_PERSON = (
    r"(?:zoon|zoontje|dochter|dochtertje|kind|kindje|jongen|jongetje|meisje|man|vrouw|neef|neefje|nicht|nichtje|"
    r"broer|broertje|zus|zusje|leerling|leerlinge|kleinzoon|kleindochter|knul|vriend|vriendin|tiener|dame|kerel|"
    r"vent|gast|pupil|puber|stiefzoon|stiefdochter|pleegzoon|pleegdochter|ik|hij|ze|zij|je|jij)"
)
_AGE_OF = re.compile(
    rf"\b{_PERSON}\s+(?:(?:van|is|ben|bent|werd|wordt)\s+(?:pas\s+|net\s+|nog\s+maar\s+|bijna\s+|al\s+)?)?$",
    re.IGNORECASE,
)
_AGE_AFTER = re.compile(r"\s+(?:bent|zijn)\b", re.IGNORECASE)
_COUNT_WORDS_AFTER = re.compile(
    r"\s*(?:mensen|personen|vriend|vrienden|weergaven|leden|klasgenoten|followers|volgers)\b", re.IGNORECASE
)


def bare_number_kind(text: str, start: int, end: int) -> str:
    """For a bare number at text[start:end]: "age", "count", "phone" (a helpline number; none of
    them money) or "amount" (no objection)."""
    if not _BARE.fullmatch(text[start:end]):
        return "amount"
    after, before = text[end:], text[:start]
    if _AGE_BEFORE.search(before) or re.match(r"\s*(?:jaar\s+oud|ben)\b", after, re.IGNORECASE):
        return "age"
    if _COUNT_AFTER.match(after) or _COUNT_WORDS_AFTER.match(after):
        return "count"
    if _number(text[start:end]) < 100 and (_AGE_OF.search(before) or _AGE_AFTER.match(after)):
        return "age"
    if is_helpline_number(text[start:end]):
        return "phone"  # "alleen bij 113?", "bel 112"
    return "amount"


def _number(surface: str) -> float:
    try:
        return float(surface.replace(".", "").replace(",", "."))
    except ValueError:
        return float("inf")
